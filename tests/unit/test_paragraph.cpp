// SPDX-License-Identifier: GPL-2.0-or-later
// Paragraphs: wrapped at Unicode line-break opportunities only (checked against ICU's own line
// break iterator, driven here directly), never wider than max_width, at most max_lines lines,
// shrunk before cut, and cut with an ellipsis on the last line.

#include "core/text/line_break.hpp"
#include "core/text/text_layout.hpp"
#include "core/util/utf8.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include <set>

using namespace cuecard;

namespace {

TextStyle paragraphStyle(test::TextStack &stack, float size, float minSize, float maxWidth,
                         int maxLines) {
    TextStyle s;
    s.chain = {stack.fonts->resolve({"Inter", 400, false}).value()};
    s.size = size;
    s.minSize = minSize;
    s.maxWidth = maxWidth;
    s.maxLines = maxLines;
    return s;
}

/// ICU's boundaries of `type` in `text` (line breaks, grapheme clusters), as code point indices
/// (ICU used directly: UTF-8 in, its own UTF-16 conversion).
std::set<std::size_t> icuBoundaries(const std::u32string &text, UBreakIteratorType type) {
    const std::string utf8 = utf8::encode(text);
    std::u16string utf16(utf8.size() * 2 + 2, u'\0');
    int32_t length = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(utf16.data(), static_cast<int32_t>(utf16.size()), &length, utf8.data(),
                  static_cast<int32_t>(utf8.size()), &status);
    REQUIRE(U_SUCCESS(status));
    utf16.resize(static_cast<std::size_t>(length));
    UBreakIterator *it = ubrk_open(type, "en", utf16.data(), length, &status);
    REQUIRE(U_SUCCESS(status));
    std::set<std::size_t> out;
    for (int32_t b = ubrk_first(it); b != UBRK_DONE; b = ubrk_next(it)) {
        // UTF-16 offset → code points before it.
        out.insert(static_cast<std::size_t>(u_countChar32(utf16.data(), b)));
    }
    ubrk_close(it);
    return out;
}

std::set<std::size_t> icuBreaks(const std::u32string &text) {
    return icuBoundaries(text, UBRK_LINE);
}

/// Every line starts at an ICU break (or the text's start), fits the width, and the lines
/// together hold every non-space character in order.
void checkWrapped(const std::u32string &text, const TextLayout &l, float maxWidth,
                  bool wordsMayBreak = false) {
    const auto breaks = icuBreaks(text);
    REQUIRE(!l.lines.empty());
    CHECK(l.lines.front().first == 0);
    for (std::size_t i = 0; i < l.lines.size(); ++i) {
        INFO("line " << i << ": "
                     << utf8::encode(
                            text.substr(l.lines[i].first, l.lines[i].second - l.lines[i].first)));
        CHECK(l.lineWidths[i] <= maxWidth + 0.01f);
        if (i > 0 && !wordsMayBreak) {
            CHECK(breaks.count(l.lines[i].first) == 1);
        }
        if (i + 1 < l.lines.size()) {
            // Only spaces (or the line feed) between one line's end and the next one's start.
            for (std::size_t k = l.lines[i].second; k < l.lines[i + 1].first; ++k) {
                CHECK((text[k] == U' ' || text[k] == U'\n'));
            }
        }
    }
    CHECK(l.lines.back().second == text.size());
}

} // namespace

TEST_CASE("paragraph: English, Chinese and Thai break only where Unicode allows, never wider "
          "than max_width") {
    test::TextStack stack;
    auto &shaper = stack.composer->shaper();
    const std::vector<std::u32string> texts = {
        U"Loved your talk at SaaStr about onboarding (the part on week-one activation) and "
        U"wanted to show you how 3,200 teams cut their ramp time in half.",
        U"我们上周在上海的会议上见过面。我想给你看看我们的新产品，它可以帮助你的团队节省一半的时间"
        U"。",
        U"สวัสดีครับ ยินดีที่ได้รู้จัก วันนี้ผมอยากแนะนำผลิตภัณฑ์ใหม่ของเราที่ช่วยให้ทีมของคุณทำงานได้เร็วขึ้น",
    };
    for (const auto &text : texts) {
        for (float width : {300.0f, 520.0f, 900.0f}) {
            INFO(utf8::encode(text) << " at " << width);
            const TextLayout l = layoutText(shaper, text, paragraphStyle(stack, 32, 32, width, 40));
            CHECK(l.lines.size() > 1);
            CHECK_FALSE(l.truncated);
            CHECK_FALSE(l.wordBroken);
            checkWrapped(text, l, width);
            // Greedy: no line could have taken the next word too.
            for (std::size_t i = 0; i + 1 < l.lines.size(); ++i) {
                const auto breaks = icuBreaks(text);
                auto next = breaks.upper_bound(l.lines[i + 1].first);
                if (next == breaks.end()) {
                    continue;
                }
                std::u32string longer = text.substr(l.lines[i].first, *next - l.lines[i].first);
                while (!longer.empty() && longer.back() == U' ') {
                    longer.pop_back();
                }
                CHECK(layoutText(shaper, longer, paragraphStyle(stack, 32, 32, 0, 1)).width >
                      width);
            }
        }
    }
}

TEST_CASE("paragraph: a German compound wider than the box is split between clusters, the rest "
          "still at break opportunities") {
    test::TextStack stack;
    auto &shaper = stack.composer->shaper();
    const std::u32string text = U"Grüße an die Donaudampfschifffahrtsgesellschaftskapitänsmütze";
    const TextLayout l = layoutText(shaper, text, paragraphStyle(stack, 40, 40, 360, 10));
    CHECK(l.wordBroken);
    checkWrapped(text, l, 360, true);
    CHECK(l.lines[0] == std::make_pair(std::size_t{0}, std::size_t{12})); // "Grüße an die"
}

TEST_CASE("paragraph: max_lines shrinks first, then cuts the last line with an ellipsis; line "
          "feeds are mandatory breaks") {
    test::TextStack stack;
    auto &shaper = stack.composer->shaper();
    const std::u32string text =
        U"Three talking points for Jane: the migration plan, the pricing for 40 seats, and a "
        U"pilot with the data team before the end of the quarter.";
    const TextLayout free = layoutText(shaper, text, paragraphStyle(stack, 36, 36, 500, 20));
    REQUIRE(free.lines.size() > 3);

    const TextLayout shrunk = layoutText(shaper, text, paragraphStyle(stack, 36, 12, 500, 3));
    CHECK(shrunk.shrunk);
    CHECK_FALSE(shrunk.truncated);
    CHECK(shrunk.lines.size() <= 3);
    CHECK(shrunk.size < 36.0f);
    checkWrapped(text, shrunk, 500);
    // The largest size that fits: a little larger would need a fourth line.
    CHECK(layoutText(shaper, text,
                     paragraphStyle(stack, shrunk.size + 0.5f, shrunk.size + 0.5f, 500, 3))
              .truncated);

    const TextLayout cut = layoutText(shaper, text, paragraphStyle(stack, 36, 36, 500, 2));
    CHECK(cut.truncated);
    CHECK(cut.size == 36.0f);
    REQUIRE(cut.lines.size() == 2);
    CHECK(cut.lineWidths[1] <= 500.01f);
    CHECK(cut.shown.back() == U'\u2026');
    CHECK(cut.shown.find(U'\n') != std::u32string::npos);

    const std::u32string twoLines = U"Hi Jane,\nsee you Tuesday";
    const TextLayout hard = layoutText(shaper, twoLines, paragraphStyle(stack, 36, 36, 2000, 5));
    REQUIRE(hard.lines.size() == 2);
    CHECK(hard.shown == U"Hi Jane,\nsee you Tuesday");
    // Lines go down by line_height × size.
    TextStyle tall = paragraphStyle(stack, 36, 36, 2000, 5);
    tall.lineHeight = 2.0f;
    const TextLayout spaced = layoutText(shaper, twoLines, tall);
    CHECK(spaced.descent - hard.descent == doctest::Approx(36.0f * (2.0f - 1.25f)));
}

TEST_CASE("paragraph: a word split or cut never splits a grapheme cluster (marks, ZWJ "
          "sequences, skin tones, flags, variation selectors, keycaps)") {
    test::TextStack stack;
    auto &shaper = stack.composer->shaper();
    const std::vector<std::u32string> words = {
        // Vietnamese with stacked combining marks (decomposed), and an enclosing keycap.
        U"Nguye\u0302\u0303nTho\u031b\u0301iTie\u0302\u0301ngVie\u0323\u0302t1\uFE0F\u20E3"
        U"2\uFE0F\u20E3",
        // ZWJ families and professions, each one cluster of several code points.
        U"\U0001F469\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466\U0001F468\u200D\U0001F4BB"
        U"\U0001F469\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466\U0001F9D1\u200D\U0001F680"
        U"\U0001F469\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466",
        // Skin tones, flags (regional indicator pairs) and emoji presentation selectors.
        U"\U0001F44B\U0001F3FD\U0001F44D\U0001F3FF\U0001F1E9\U0001F1EA\U0001F1EF\U0001F1F5"
        U"\u263A\uFE0F\u2764\uFE0F\U0001F1EB\U0001F1F7\U0001F44B\U0001F3FB\U0001F1E7\U0001F1F7",
    };
    for (const auto &word : words) {
        const auto clusters = icuBoundaries(word, UBRK_CHARACTER);
        for (float width : {60.0f, 110.0f, 170.0f}) {
            INFO(utf8::encode(word) << " in " << width << " px");
            // Wrapped: a word wider than the box is split, only between clusters.
            const TextLayout wrapped =
                layoutText(shaper, word, paragraphStyle(stack, 32, 32, width, 40));
            REQUIRE(wrapped.lines.size() > 1);
            for (const auto &[first, last] : wrapped.lines) {
                CHECK(clusters.count(first) == 1);
                CHECK(clusters.count(last) == 1);
            }
            // Cut to one line with an ellipsis: what is kept ends on a cluster boundary.
            const TextLayout cut =
                layoutText(shaper, word, paragraphStyle(stack, 32, 32, width, 1));
            REQUIRE(cut.truncated);
            REQUIRE(!cut.shown.empty());
            CHECK(cut.shown.back() == U'\u2026');
            const std::size_t kept = cut.shown.size() - 1;
            CHECK(word.compare(0, kept, cut.shown, 0, kept) == 0);
            CHECK(clusters.count(kept) == 1);
        }
    }
}
