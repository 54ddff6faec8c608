// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A single-channel atlas of SDF glyph bitmaps with a skyline packer (fontstash's approach).
/// It knows nothing of the GPU: it owns the pixels and reports the rectangles that changed
/// since the last upload, so the renderer copies only those.

#include <cstdint>
#include <optional>
#include <vector>

namespace cuecard {

struct AtlasRect {
    int x = 0;
    int y = 0;
    int w = 0;
    int h = 0;
};

class GlyphAtlas {
  public:
    GlyphAtlas(int width, int height, int padding = 1);

    /// Reserves a w×h rectangle; nullopt when the atlas is full.
    std::optional<AtlasRect> allocate(int w, int h);

    /// Copies an 8-bit bitmap (rows `pitch` bytes apart) into `rect` and marks it dirty.
    void write(const AtlasRect &rect, const std::uint8_t *pixels, int pitch);

    /// Empties the atlas (all pixels zero, whole atlas dirty).
    void clear();

    int width() const { return width_; }
    int height() const { return height_; }
    const std::uint8_t *pixels() const { return pixels_.data(); }

    /// Rectangles written since the last takeDirty(); the list is emptied.
    std::vector<AtlasRect> takeDirty();
    bool dirty() const { return !dirty_.empty(); }
    /// Fraction of the atlas area below the skyline (how full it is).
    float usage() const;

  private:
    struct Node {
        int x;
        int y;
        int w;
    };
    int fit(std::size_t i, int w, int h) const;
    void addSkylineLevel(std::size_t i, int x, int y, int w, int h);

    int width_;
    int height_;
    int padding_;
    std::vector<std::uint8_t> pixels_;
    std::vector<Node> skyline_;
    std::vector<AtlasRect> dirty_;
};

} // namespace cuecard
