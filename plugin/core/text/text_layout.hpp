#pragma once
/// \file
/// Fits one line of text into a box: shrink to fit down to a minimum size, then cut with an
/// ellipsis; align left, center or right on an anchor point.

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
    std::u32string shown;   ///< the text actually laid out (with the ellipsis if cut)
};

/// Lays out `text`. Never fails: the worst case is an ellipsis alone.
TextLayout layoutText(Shaper &shaper, std::u32string_view text, const TextStyle &style);

} // namespace cuecard
