// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Reads one line of text from a rendered image with tesseract: the image (premultiplied, maybe
// transparent) is put over white, turned grey and saved under test-output/`name`, for a look when
// it fails.

#include "core/util/image.hpp"
#include "core/util/png_io.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace cuecard::test {

/// Fails the test case (never skips it) when tesseract is missing.
inline void requireTesseract() {
    REQUIRE_MESSAGE(std::system("command -v tesseract >/dev/null 2>&1") == 0,
                    "tesseract is not installed: run scripts/install-deps.sh");
}

/// `psm` is tesseract's page segmentation mode: 7 reads one line, 11 scattered text.
inline std::string ocrText(const Image &img, const std::string &name, int psm) {
    Image flat(img.width, img.height);
    fill(flat, 255, 255, 255);
    compositeOver(flat, img, 0, 0);
    // Grey levels: tesseract's binarization reads dark text on a coloured note (the yellow
    // sticky note) only once the colour is gone.
    for (int y = 0; y < flat.height; ++y) {
        for (int x = 0; x < flat.width; ++x) {
            std::uint8_t *p = flat.at(x, y);
            const auto l = static_cast<std::uint8_t>((p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000);
            p[0] = p[1] = p[2] = l;
        }
    }
    const auto path = outputDir() / name;
    REQUIRE(writePng(flat, path, true).ok());
    std::string out;
    FILE *pipe = popen(
        ("tesseract '" + path.string() + "' stdout --psm " + std::to_string(psm) + " 2>/dev/null")
            .c_str(),
        "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 256> buf{};
    while (fgets(buf.data(), buf.size(), pipe) != nullptr) {
        out += buf.data();
    }
    pclose(pipe);
    return out;
}

inline std::string ocrLine(const Image &img, const std::string &name) {
    return ocrText(img, name, 7);
}

} // namespace cuecard::test
