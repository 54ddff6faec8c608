#pragma once
// Reads one line of text from a rendered image with tesseract: the image (premultiplied, maybe
// transparent) is put over white and saved under test-output/`name`, for a look when it fails.

#include "core/util/image.hpp"
#include "core/util/png_io.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <string>

namespace cuecard::test {

inline std::string ocrLine(const Image &img, const std::string &name) {
    Image flat(img.width, img.height);
    fill(flat, 255, 255, 255);
    compositeOver(flat, img, 0, 0);
    const auto path = outputDir() / name;
    REQUIRE(writePng(flat, path, true).ok());
    std::string out;
    FILE *pipe =
        popen(("tesseract '" + path.string() + "' stdout --psm 7 2>/dev/null").c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 256> buf{};
    while (fgets(buf.data(), buf.size(), pipe) != nullptr) {
        out += buf.data();
    }
    pclose(pipe);
    return out;
}

} // namespace cuecard::test
