// SPDX-License-Identifier: GPL-2.0-or-later
// The rep's private notes never reach a pixel: every built-in theme renders the same picture
// with and without a row's notes, OCR finds no word of them, and the sticky note draws the
// on-camera talking_points instead.

#include "core/theme/theme.hpp"
#include "gpu/gpu_support.hpp"
#include "gpu/ocr_line.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstring>

using namespace cuecard;

namespace {

Image renderTheme(test::TextStack &stack, const Theme &theme, const Recipient &r) {
    auto composed = stack.composer->compose(theme, r, 1920, 1080);
    REQUIRE_MESSAGE(composed.ok(), (composed.ok() ? std::string() : composed.message()));
    auto renderer = OverlayRenderer::create(test::gpu(), 1920, 1080, 2048);
    REQUIRE(renderer.ok());
    auto image = renderer.value()->render(composed->drawList, stack.glyphs->atlas());
    REQUIRE(image.ok());
    return std::move(image.value());
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

Recipient person(bool withNotes) {
    Recipient r;
    r.set("full_name", "Jane Doe");
    r.set("first_name", "Jane");
    r.set("title", "VP Marketing");
    r.set("company", "Acme Corp");
    r.set("email", "jane@acme.example");
    r.set("talking_points", "Your demo is on Tuesday");
    if (withNotes) {
        r.set("notes", "Budget approved renewal in May");
    }
    return r;
}

} // namespace

TEST_CASE("private: no built-in theme draws a row's notes (same pixels, OCR finds none of it)") {
    test::requireTesseract();
    test::TextStack stack;
    const auto names = builtinThemeNames({test::dataDir()});
    REQUIRE(names.size() >= 8);
    for (const auto &name : names) {
        CAPTURE(name);
        auto theme = loadTheme(name, {test::dataDir()});
        REQUIRE_MESSAGE(theme.ok(), (theme.ok() ? std::string() : theme.message()));
        const Image with = renderTheme(stack, theme.value(), person(true));
        const Image without = renderTheme(stack, theme.value(), person(false));
        REQUIRE(with.width == without.width);
        CHECK_MESSAGE(std::memcmp(with.pixels.data(), without.pixels.data(), with.pixels.size()) ==
                          0,
                      "the notes column changed the picture of theme " << name);
        const std::string read = lower(test::ocrText(with, "private-" + name + ".png", 11));
        CAPTURE(read);
        for (const char *word : {"budget", "approved", "renewal"}) {
            CHECK_MESSAGE(read.find(word) == std::string::npos, "OCR read \"" << word << "\"");
        }
    }
}

TEST_CASE("private: the sticky note draws talking_points (OCR, the note laid flat)") {
    test::requireTesseract();
    test::TextStack stack;
    auto theme = loadTheme("sticky-note", {test::dataDir()});
    REQUIRE(theme.ok());
    REQUIRE(!theme->layers.empty());
    theme->layers.front().quad.reset(); // flat where the group is: what OCR reads best
    theme->layers.front().rotate = 0.0f;
    const Image img = renderTheme(stack, theme.value(), person(true));
    const std::string read = lower(test::ocrText(img, "private-sticky-note-flat.png", 11));
    CAPTURE(read);
    CHECK(read.find("tuesday") != std::string::npos);
    CHECK(read.find("jane") != std::string::npos);
    CHECK(read.find("budget") == std::string::npos);
}
