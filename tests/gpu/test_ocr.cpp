// SPDX-License-Identifier: GPL-2.0-or-later
// The rendered lower-third reads back as text: tesseract OCRs the band of a 1920x1080 render.

#include "core/theme/theme.hpp"
#include "gpu/gpu_support.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <vector>

using namespace cuecard;

namespace {

std::string runCommand(const std::string &command) {
    std::string out;
    FILE *pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return out;
    }
    std::array<char, 256> buf{};
    while (fgets(buf.data(), buf.size(), pipe) != nullptr) {
        out += buf.data();
    }
    pclose(pipe);
    return out;
}

/// What tesseract reads best: grey levels, dark text on a light ground, twice the size.
Image prepareForOcr(const Image &src) {
    Image out(src.width * 2, src.height * 2);
    long long sum = 0;
    std::vector<std::uint8_t> luma(static_cast<std::size_t>(src.width) * src.height);
    for (int y = 0; y < src.height; ++y) {
        for (int x = 0; x < src.width; ++x) {
            const std::uint8_t *p = src.at(x, y);
            const int l = (p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000;
            luma[static_cast<std::size_t>(y) * src.width + x] = static_cast<std::uint8_t>(l);
            sum += l;
        }
    }
    const bool invert = sum / static_cast<long long>(luma.size()) < 128;
    for (int y = 0; y < out.height; ++y) {
        for (int x = 0; x < out.width; ++x) {
            std::uint8_t l = luma[static_cast<std::size_t>(y / 2) * src.width + x / 2];
            if (invert) {
                l = static_cast<std::uint8_t>(255 - l);
            }
            std::uint8_t *o = out.at(x, y);
            o[0] = o[1] = o[2] = l;
            o[3] = 255;
        }
    }
    return out;
}

} // namespace

TEST_CASE("ocr: a rendered Jane Doe / Acme Corp lower-third reads back") {
    REQUIRE_MESSAGE(std::system("command -v tesseract >/dev/null 2>&1") == 0,
                    "tesseract is not installed: run scripts/install-deps.sh");
    test::TextStack stack;
    for (const char *themeName : {"default", "minimal-light"}) {
        const std::string theme_name = themeName;
        CAPTURE(theme_name);
        auto theme = loadTheme(themeName, {test::dataDir()});
        REQUIRE(theme.ok());
        Recipient r;
        r.set("full_name", "Jane Doe");
        r.set("title", "VP Marketing");
        r.set("company", "Acme Corp");
        auto composed = stack.composer->compose(theme.value(), r, 1920, 1080);
        REQUIRE(composed.ok());
        auto renderer = OverlayRenderer::create(test::gpu(), 1920, 1080, 2048);
        REQUIRE(renderer.ok());
        const PixelRect band = composed->drawList.bounds(1920, 1080);
        auto image = renderer.value()->render(composed->drawList, stack.glyphs->atlas(), band);
        REQUIRE(image.ok());
        // Over a mid-grey background, as it would sit over a webcam picture.
        Image flat(image->width, image->height);
        fill(flat, 120, 120, 120);
        compositeOver(flat, image.value(), 0, 0);
        const auto path = test::outputDir() / (std::string("ocr-") + themeName + ".png");
        REQUIRE(writePng(prepareForOcr(flat), path, true).ok());
        const std::string text =
            runCommand("tesseract '" + path.string() + "' stdout --psm 6 2>/dev/null");
        CAPTURE(text);
        CHECK(text.find("Jane Doe") != std::string::npos);
        CHECK(text.find("Acme Corp") != std::string::npos);
        CHECK(text.find("VP Marketing") != std::string::npos);
    }
}
