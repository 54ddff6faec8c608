// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// SDF glyphs on demand: FreeType's own SDF renderer (FT_RENDER_MODE_SDF) rasterizes each
/// glyph once at a base size into the atlas; the shader scales it to any size.

#include "core/text/font_collection.hpp"
#include "core/text/glyph_atlas.hpp"
#include "core/util/image.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <utility>

namespace cuecard {

struct CachedGlyph {
    AtlasRect rect;     ///< in the atlas; w == 0 for glyphs with no outline (space) and for
                        ///< color glyphs
    float left = 0.0f;  ///< bitmap left edge from the origin, per px of font size
    float top = 0.0f;   ///< bitmap top edge above the baseline, per px of font size
    float width = 0.0f; ///< bitmap size per px of font size
    float height = 0.0f;
    /// A color glyph (an emoji from a color font: bitmap strikes like Noto Color Emoji's, or
    /// color layers): its premultiplied RGBA picture, drawn as a picture, not from the atlas.
    std::shared_ptr<const Image> color;
};

class GlyphCache {
  public:
    /// `baseSize` is the pixel size glyphs are rasterized at (48 keeps text sharp up to
    /// ~150 px thanks to the distance field).
    GlyphCache(FontCollection &fonts, int atlasSize = 2048, int baseSize = 48);

    /// The glyph, rasterizing it into the atlas the first time. Fails when the atlas is full
    /// (callers clear() and lay out again) or FreeType cannot render it.
    Result<CachedGlyph> get(FontId font, std::uint32_t glyph);

    void clear();
    GlyphAtlas &atlas() { return atlas_; }
    const GlyphAtlas &atlas() const { return atlas_; }
    int baseSize() const { return baseSize_; }
    /// Distance (in base-size px) encoded by the full 0..255 range, half each side of 128.
    float spread() const { return static_cast<float>(fonts_.sdfSpread()); }
    std::size_t size() const { return glyphs_.size(); }

  private:
    /// The color path; nullopt when `font` has no color glyph for `glyph` (then the SDF path).
    std::optional<CachedGlyph> colorGlyph(const Font &font, std::uint32_t glyph);

    FontCollection &fonts_;
    GlyphAtlas atlas_;
    int baseSize_;
    std::map<std::pair<FontId, std::uint32_t>, CachedGlyph> glyphs_;
};

} // namespace cuecard
