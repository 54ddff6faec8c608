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

} // namespace cuecard
