// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/queue.hpp"
#include "core/theme/theme.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

using namespace cuecard;

TEST_CASE("shaping: every sample name shapes with no .notdef glyph") {
    test::TextStack stack;
    auto queue = loadQueueFile(test::dataDir() / "samples" / "recipients.csv");
    REQUIRE(queue.ok());
    REQUIRE(queue->recipients.size() >= 8);
    for (const auto &themeName : builtinThemeNames({test::dataDir()})) {
        auto theme = loadTheme(themeName, {test::dataDir()});
        REQUIRE(theme.ok());
        for (const auto &r : queue->recipients) {
            for (const auto &e : theme->elements) {
                const auto *t = std::get_if<TextElement>(&e);
                if (t == nullptr) {
                    continue;
                }
                const std::string text = t->expand(r);
                auto laid = stack.composer->layout(theme.value(), *t, text, 1.0f);
                REQUIRE(laid.ok());
                CAPTURE(themeName);
                CAPTURE(text);
                CHECK(laid->missing.empty());
                for (const auto &g : laid->glyphs) {
                    CHECK(g.glyph != 0);
                }
            }
        }
    }
}

TEST_CASE("shaping: fallback fonts come from fontconfig for scripts Inter lacks") {
    test::TextStack stack;
    auto inter = stack.fonts->resolve({"Inter", 400, false});
    REQUIRE(inter.ok());
    CHECK(stack.fonts->font(*inter).family == "Inter");
    const std::vector<FontId> chain{*inter};
    for (char32_t cp : {U'李', U'م', U'ש'}) {
        CAPTURE(static_cast<unsigned>(cp));
        CHECK_FALSE(stack.fonts->hasGlyph(*inter, cp));
        const FontId f = stack.fonts->fontFor(cp, chain, 400);
        REQUIRE(f != kNoFont);
        CHECK(stack.fonts->hasGlyph(f, cp));
    }
    // An unassigned code point no font has is reported, not silently dropped.
    ShapedLine line = stack.composer->shaper().shape(U"a\u0378b", chain, 400);
    CHECK(line.missing == U"\u0378");
}

TEST_CASE("shaping: right-to-left runs come out in visual order") {
    test::TextStack stack;
    auto inter = stack.fonts->resolve({"Inter", 400, false});
    REQUIRE(inter.ok());
    const std::u32string text = U"abc שלום def";
    ShapedLine line = stack.composer->shaper().shape(text, {*inter}, 400);
    CHECK_FALSE(line.rtl); // first strong character is Latin
    REQUIRE(line.glyphs.size() == text.size());
    std::vector<std::uint32_t> clusters;
    for (const auto &g : line.glyphs) {
        clusters.push_back(g.cluster);
    }
    // Visual: a b c ␠ ם ו ל ש ␠ d e f  (the Hebrew word reversed, the rest in order)
    const std::vector<std::uint32_t> expected{0, 1, 2, 3, 7, 6, 5, 4, 8, 9, 10, 11};
    CHECK(clusters == expected);
    for (std::size_t i = 1; i < line.glyphs.size(); ++i) {
        CHECK(line.glyphs[i].x >= line.glyphs[i - 1].x); // pen moves left to right
    }

    ShapedLine hebrew = stack.composer->shaper().shape(U"שרה כהן 2024", {*inter}, 400);
    CHECK(hebrew.rtl);
    // In an RTL paragraph the number sits at the visual left, in its own LTR order.
    REQUIRE(hebrew.glyphs.size() >= 4);
    CHECK(hebrew.glyphs[0].cluster == 8);
    CHECK(hebrew.glyphs[3].cluster == 11);
    CHECK(hebrew.glyphs.back().cluster == 0);
}
