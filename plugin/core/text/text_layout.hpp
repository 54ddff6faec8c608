// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Fits text into a box: one line, or a paragraph of up to `maxLines` lines wrapped at Unicode
/// line-break opportunities (text/line_break); shrink to fit down to a minimum size, then cut
/// with an ellipsis (on the last line); align each line left, center or right on an anchor.

#include "core/text/shaper.hpp"

#include <string>
#include <vector>

namespace cuecard {

enum class TextAlign { Left, Center, Right };

struct TextStyle {
    std::vector<FontId> chain; ///< primary font first, then preferred fallbacks
    int weight = 400;
    float size = 48.0f;    ///< px
    float minSize = 0.0f;  ///< px; 0 = never shrink
    float maxWidth = 0.0f; ///< px; 0 = unbounded
    TextAlign align = TextAlign::Left;
    int maxLines = 1;         ///< over 1 (with maxWidth): a wrapped paragraph
    float lineHeight = 1.25f; ///< baseline to baseline, times the size
};

struct PlacedGlyph {
    FontId font = kNoFont;
    std::uint32_t glyph = 0;
    float x = 0.0f; ///< glyph origin, px, relative to the anchor
    float y = 0.0f; ///< baseline-relative, px, y down
};

struct TextLayout {
    std::vector<PlacedGlyph> glyphs;
    float size = 0.0f; ///< the size used after shrinking
    float left = 0.0f; ///< ink box left edge relative to the anchor (advance-based)
    float width = 0.0f;
    float ascent = 0.0f;  ///< px above the baseline
    float descent = 0.0f; ///< px below the baseline
    bool shrunk = false;
    bool truncated = false;
    bool rtl = false;
    std::u32string missing; ///< code points no font has
    std::u32string shown;   ///< the text actually laid out (with the ellipsis if cut; lines
                            ///< joined by U+000A)
    /// Each line's code points [first, last) in the text given (trailing spaces and the line
    /// feed excluded); one entry for a single line.
    std::vector<std::pair<std::size_t, std::size_t>> lines;
    std::vector<float> lineWidths; ///< px, per line
    bool wordBroken = false;       ///< a word wider than the box had to be split between clusters
};

/// Lays out `text`. Never fails: the worst case is an ellipsis alone.
TextLayout layoutText(Shaper &shaper, std::u32string_view text, const TextStyle &style);

} // namespace cuecard
