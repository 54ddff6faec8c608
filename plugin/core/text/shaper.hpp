// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// One line of text to positioned glyphs: FriBidi resolves embedding levels, each run of one
/// level, font and script is shaped by HarfBuzz, and runs are reordered into visual order.

#include "core/text/font_collection.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cuecard {

/// A glyph in visual order. Positions are per pixel of font size: multiply by the size.
struct ShapedGlyph {
    FontId font = kNoFont;
    std::uint32_t glyph = 0;
    float x = 0.0f;            ///< pen position of the glyph origin, from the line start
    float y = 0.0f;            ///< offset up from the baseline
    std::uint32_t cluster = 0; ///< index of the first code point of its cluster (logical)
};

struct ShapedLine {
    std::vector<ShapedGlyph> glyphs; ///< visual order, left to right
    float advance = 0.0f;            ///< total width per px of size
    float ascender = 0.0f;           ///< max over the fonts used, per px
    float descender = 0.0f;
    bool rtl = false; ///< paragraph direction resolved right-to-left
    /// Code points no installed font covers (each drawn as .notdef).
    std::u32string missing;
};

class Shaper {
  public:
    explicit Shaper(FontCollection &fonts);
    ~Shaper();
    Shaper(const Shaper &) = delete;
    Shaper &operator=(const Shaper &) = delete;

    /// Shapes `text` with `chain` (primary font first, then preferred fallbacks); code points
    /// none of them has go to fontconfig's fallback.
    ShapedLine shape(std::u32string_view text, const std::vector<FontId> &chain, int weight);

    FontCollection &fonts() { return fonts_; }

  private:
    FontCollection &fonts_;
    void *buffer_ = nullptr; // hb_buffer_t*, reused between calls
};

} // namespace cuecard
