// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/text/text_layout.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

using namespace cuecard;

namespace {
TextStyle interStyle(test::TextStack &stack, float size, float minSize, float maxWidth) {
    TextStyle s;
    s.chain = {stack.fonts->resolve({"Inter", 700, false}).value()};
    s.weight = 700;
    s.size = size;
    s.minSize = minSize;
    s.maxWidth = maxWidth;
    return s;
}
} // namespace

TEST_CASE("layout: text that fits is left alone") {
    test::TextStack stack;
    auto &shaper = stack.composer->shaper();
    TextLayout l = layoutText(shaper, U"Jane Doe", interStyle(stack, 64, 40, 900));
    CHECK(l.size == 64.0f);
    CHECK_FALSE(l.shrunk);
    CHECK_FALSE(l.truncated);
    CHECK(l.width > 200.0f);
    CHECK(l.width < 400.0f);
    CHECK(l.shown == U"Jane Doe");
    CHECK(l.ascent > 40.0f);
}

TEST_CASE("layout: shrink to fit first, then ellipsis at the minimum size") {
    test::TextStack stack;
    auto &shaper = stack.composer->shaper();
    const std::u32string name = U"Maximilian Alexander von Hohenzollern";
    const float natural = layoutText(shaper, name, interStyle(stack, 64, 0, 0)).width;

    // 80% of the natural width: shrinks to about 80% of the size, nothing cut.
    TextLayout shrunk = layoutText(shaper, name, interStyle(stack, 64, 40, natural * 0.8f));
    CHECK(shrunk.shrunk);
    CHECK_FALSE(shrunk.truncated);
    CHECK(shrunk.size == doctest::Approx(64.0f * 0.8f).epsilon(0.01));
    CHECK(shrunk.width <= natural * 0.8f + 0.01f);
    CHECK(shrunk.shown == name);

    // 40% of the natural width: below the minimum size, so cut with an ellipsis at 40 px.
    TextLayout cut = layoutText(shaper, name, interStyle(stack, 64, 40, natural * 0.4f));
    CHECK(cut.truncated);
    CHECK(cut.size == 40.0f);
    CHECK(cut.width <= natural * 0.4f + 0.01f);
    REQUIRE(cut.shown.size() > 3);
    CHECK(cut.shown.back() == U'\u2026');
    CHECK(cut.shown.substr(0, cut.shown.size() - 1) == name.substr(0, cut.shown.size() - 1));
    CHECK(cut.shown[cut.shown.size() - 2] != U' '); // no space before the ellipsis
    // And it is the longest prefix that fits: one more character would not.
    std::u32string longer = name.substr(0, cut.shown.size());
    longer.push_back(U'\u2026');
    CHECK(layoutText(shaper, longer, interStyle(stack, 40, 0, 0)).width > natural * 0.4f);
}

TEST_CASE("layout: alignment moves the line around the anchor") {
    test::TextStack stack;
    auto &shaper = stack.composer->shaper();
    TextStyle s = interStyle(stack, 48, 0, 0);
    TextLayout left = layoutText(shaper, U"Acme", s);
    s.align = TextAlign::Center;
    TextLayout center = layoutText(shaper, U"Acme", s);
    s.align = TextAlign::Right;
    TextLayout right = layoutText(shaper, U"Acme", s);
    CHECK(left.left == 0.0f);
    CHECK(center.left == doctest::Approx(-left.width / 2));
    CHECK(right.left == doctest::Approx(-left.width));
    CHECK(right.glyphs.front().x == doctest::Approx(left.glyphs.front().x - left.width));
}

TEST_CASE("layout: an RTL name is cut at its logical end") {
    test::TextStack stack;
    auto &shaper = stack.composer->shaper();
    TextStyle s = interStyle(stack, 48, 48, 0);
    const std::u32string name = U"محمد عبد الرحمن العلي";
    const float natural = layoutText(shaper, name, s).width;
    s.maxWidth = natural * 0.5f;
    TextLayout cut = layoutText(shaper, name, s);
    CHECK(cut.truncated);
    CHECK(cut.rtl);
    CHECK(cut.width <= s.maxWidth + 0.01f);
    CHECK(cut.shown.substr(0, 4) == U"محمد"); // the start of the name is kept
    CHECK(cut.shown.back() == U'\u2026');
}
