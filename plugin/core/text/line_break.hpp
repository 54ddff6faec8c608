// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Where a line of text may break (Unicode line breaking, UAX #14, through ICU: so CJK breaks
/// between ideographs, Thai and Lao at word boundaries from ICU's dictionaries, and nowhere a
/// break is not allowed, e.g. before a closing bracket or inside a number).

#include <cstddef>
#include <string_view>
#include <vector>

namespace cuecard {

struct LineBreakOpportunity {
    std::size_t position = 0; ///< code point index the next line would start at
    bool mandatory = false;   ///< a hard break (a line feed, a paragraph separator)
};

/// Every break opportunity in `text`, ascending, the end of the text included.
std::vector<LineBreakOpportunity> lineBreaks(std::u32string_view text);

/// For each code point index 0..size (both ends included), whether a grapheme cluster starts
/// there (extended grapheme clusters, UAX #29, through ICU): where a word too wide for its box
/// may be split or a text cut with "…" without tearing a letter from its marks, an emoji from its
/// skin tone or joiner sequence, or one half of a flag from the other.
std::vector<bool> graphemeStarts(std::u32string_view text);

} // namespace cuecard
