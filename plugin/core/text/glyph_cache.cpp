#include "core/text/glyph_cache.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

namespace cuecard {

GlyphCache::GlyphCache(FontCollection &fonts, int atlasSize, int baseSize)
    : fonts_(fonts), atlas_(atlasSize, atlasSize), baseSize_(baseSize) {}

void GlyphCache::clear() {
    glyphs_.clear();
    atlas_.clear();
}

Result<CachedGlyph> GlyphCache::get(FontId fontId, std::uint32_t glyph) {
    const auto key = std::make_pair(fontId, glyph);
    if (auto it = glyphs_.find(key); it != glyphs_.end()) {
        return it->second;
    }
    const Font &font = fonts_.font(fontId);
    FT_Face face = font.face;
    if (FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(baseSize_)) != 0) {
        return makeError("font " + font.path + " cannot be scaled");
    }
    if (FT_Load_Glyph(face, glyph, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0) {
        return makeError("glyph " + std::to_string(glyph) + " of " + font.path +
                         " could not be loaded");
    }
    CachedGlyph cached;
    FT_GlyphSlot slot = face->glyph;
    const bool hasOutline = slot->format == FT_GLYPH_FORMAT_OUTLINE && slot->outline.n_points > 0;
    if (hasOutline) {
        if (FT_Render_Glyph(slot, FT_RENDER_MODE_SDF) != 0) {
            return makeError("glyph " + std::to_string(glyph) + " of " + font.path +
                             " could not be rendered as a distance field");
        }
        const FT_Bitmap &bm = slot->bitmap;
        const int w = static_cast<int>(bm.width);
        const int h = static_cast<int>(bm.rows);
        if (w > 0 && h > 0) {
            auto rect = atlas_.allocate(w, h);
            if (!rect) {
                return makeError("the glyph atlas is full");
            }
            atlas_.write(*rect, bm.buffer, bm.pitch);
            const float inv = 1.0f / static_cast<float>(baseSize_);
            cached.rect = *rect;
            cached.left = static_cast<float>(slot->bitmap_left) * inv;
            cached.top = static_cast<float>(slot->bitmap_top) * inv;
            cached.width = static_cast<float>(w) * inv;
            cached.height = static_cast<float>(h) * inv;
        }
    }
    glyphs_.emplace(key, cached);
    return cached;
}

} // namespace cuecard
