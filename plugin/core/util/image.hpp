// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// An RGBA8 image in memory, premultiplied alpha (what the renderer produces and OBS expects).

#include <cstdint>
#include <vector>

namespace cuecard {

struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels; ///< width * height * 4 bytes, rows tightly packed

    Image() = default;
    Image(int w, int h) : width(w), height(h), pixels(static_cast<std::size_t>(w) * h * 4, 0) {}

    std::uint8_t *row(int y) { return pixels.data() + static_cast<std::size_t>(y) * width * 4; }
    const std::uint8_t *row(int y) const {
        return pixels.data() + static_cast<std::size_t>(y) * width * 4;
    }
    std::uint8_t *at(int x, int y) { return row(y) + static_cast<std::size_t>(x) * 4; }
    const std::uint8_t *at(int x, int y) const { return row(y) + static_cast<std::size_t>(x) * 4; }
};

/// Fills with an opaque color.
void fill(Image &image, std::uint8_t r, std::uint8_t g, std::uint8_t b);

/// Draws premultiplied `src` over `dst` with its top-left corner at (x, y), clipped.
void compositeOver(Image &dst, const Image &src, int x, int y);

/// Box-filtered downscale by an integer-free factor (area average), premultiplied-safe.
Image downscale(const Image &src, int width, int height);

/// The part of `src` where something is drawn (alpha above 0), grown by `margin` px on each
/// side and clipped to the image; all of `src` when nothing is drawn. The dock shows an
/// overlay's preview this way: the lower third's band, large enough to read the name, not a
/// 1920×1080 canvas shrunk to the dock's width.
Image cropToContent(const Image &src, int margin);

/// Copies `src` into `dst` at (x, y) (no blending), clipped.
void blit(Image &dst, const Image &src, int x, int y);

} // namespace cuecard
