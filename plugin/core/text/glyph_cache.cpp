// SPDX-License-Identifier: GPL-2.0-or-later
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
    if (FT_HAS_COLOR(face)) {
        if (auto color = colorGlyph(font, glyph)) {
            glyphs_.emplace(key, *color);
            return *color;
        }
    }
    if (!FT_IS_SCALABLE(face)) {
        CachedGlyph none; // a bitmap-only font without this glyph in color: nothing to draw
        glyphs_.emplace(key, none);
        return none;
    }
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

std::optional<CachedGlyph> GlyphCache::colorGlyph(const Font &font, std::uint32_t glyph) {
    FT_Face face = font.face;
    if (FT_IS_SCALABLE(face)) {
        // Color layers (COLR): rendered at a size that stays sharp when drawn large.
        if (FT_Set_Pixel_Sizes(face, 0, 128) != 0) {
            return std::nullopt;
        }
    } else {
        // Bitmap strikes (CBDT, sbix): the largest, shrunk when drawn (never a small one
        // enlarged and blurry).
        int best = -1;
        for (int i = 0; i < face->num_fixed_sizes; ++i) {
            if (best < 0 || face->available_sizes[i].y_ppem > face->available_sizes[best].y_ppem) {
                best = i;
            }
        }
        if (best < 0 || FT_Select_Size(face, best) != 0) {
            return std::nullopt;
        }
    }
    if (FT_Load_Glyph(face, glyph, FT_LOAD_COLOR | FT_LOAD_RENDER) != 0) {
        return std::nullopt;
    }
    FT_GlyphSlot slot = face->glyph;
    const FT_Bitmap &bm = slot->bitmap;
    if (bm.pixel_mode != FT_PIXEL_MODE_BGRA || bm.width == 0 || bm.rows == 0) {
        return std::nullopt;
    }
    const int w = static_cast<int>(bm.width);
    const int h = static_cast<int>(bm.rows);
    auto image = std::make_shared<Image>(w, h);
    for (int y = 0; y < h; ++y) {
        const unsigned char *src = bm.buffer + static_cast<std::ptrdiff_t>(y) * bm.pitch;
        std::uint8_t *dst = image->row(y);
        for (int x = 0; x < w; ++x) { // FreeType's BGRA is premultiplied, as Cuecard's RGBA
            dst[x * 4 + 0] = src[x * 4 + 2];
            dst[x * 4 + 1] = src[x * 4 + 1];
            dst[x * 4 + 2] = src[x * 4 + 0];
            dst[x * 4 + 3] = src[x * 4 + 3];
        }
    }
    const float ppem = static_cast<float>(face->size->metrics.y_ppem);
    if (ppem <= 0.0f) {
        return std::nullopt;
    }
    const float inv = 1.0f / ppem;
    CachedGlyph cached;
    cached.left = static_cast<float>(slot->bitmap_left) * inv;
    cached.top = static_cast<float>(slot->bitmap_top) * inv;
    cached.width = static_cast<float>(w) * inv;
    cached.height = static_cast<float>(h) * inv;
    cached.color = std::move(image);
    return cached;
}

} // namespace cuecard
