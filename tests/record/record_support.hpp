// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Shared by the recorder tests: running the CLI, reading its JSON, OCR of a frame's lower third.

#include "core/util/image.hpp"
#include "core/util/png_io.hpp"
#include "record/decode.hpp"
#include "support.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace cuecard::test::record {

namespace fs = std::filesystem;

inline const fs::path kOut = CUECARD_TEST_OUTPUT_DIR "/record";
inline const std::string kCli = CUECARD_CLI;
inline const std::string kQueue = CUECARD_SOURCE_DIR "/tests/e2e/queue.csv";

using Run = test::CommandRun;
inline Run run(const std::string &command) {
    return test::runCommand(command);
}

inline nlohmann::json readJson(const fs::path &p) {
    std::ifstream in(p);
    std::ostringstream os;
    os << in.rdbuf();
    return nlohmann::json::parse(os.str(), nullptr, false);
}

/// OCR of the lower band of an RGB frame (inverted grey, doubled: what tesseract reads best).
inline std::string ocrLowerThird(const test::DecodedFrame &f, int w, int h,
                                 const std::string &name) {
    const int y0 = h * 74 / 100;
    const int y1 = h * 93 / 100;
    const int x1 = w * 60 / 100;
    Image img(x1 * 2, (y1 - y0) * 2);
    for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x) {
            const std::uint8_t *p =
                f.rgb.data() + (static_cast<std::size_t>(y0 + y / 2) * w + x / 2) * 3;
            const auto l =
                static_cast<std::uint8_t>(255 - (p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000);
            std::uint8_t *o = img.at(x, y);
            o[0] = o[1] = o[2] = l;
            o[3] = 255;
        }
    }
    const fs::path png = kOut / (name + ".png");
    (void)writePng(img, png, true);
    return run("tesseract '" + png.string() + "' stdout --psm 6").output;
}

} // namespace cuecard::test::record
