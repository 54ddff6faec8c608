// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// What the overlay shader draws: a flat list of instanced quads, each an SDF rounded box (fill,
/// gradient, soft shadow), an SDF glyph (fill, outline, soft shadow) or a picture (sampled from
/// `pictures`, masked by a rounded box). Built on the CPU by the composer, consumed by the
/// renderer; the layout matches shaders/overlay.vert.

#include "core/theme/color.hpp"

#include "core/util/image.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace cuecard {

enum class QuadKind : std::uint32_t { Box = 0, Glyph = 1, Picture = 2 };

/// One instance, 96 bytes, read as six vec4 vertex attributes.
struct QuadInstance {
    float rect[4];   ///< x0, y0, x1, y1 in canvas px: the area the fragment shader covers
    float shape[4];  ///< box and picture mask: cx, cy, half width, half height;
                     ///< glyph: atlas u0, v0, u1, v1
    float params[4]; ///< box: radius, softness, gradient dir x, y;
                     ///< glyph: px per SDF unit, outline px, softness, dilate px;
                     ///< picture: mask radius, unused, opacity, unused
    float color0[4]; ///< premultiplied: box fill (gradient start) / glyph fill or shadow;
                     ///< picture: u0, v0, u1, v1 in `pictures`
    float color1[4]; ///< premultiplied: box gradient end / glyph outline
    float kind[4];   ///< x: QuadKind; y, z, w unused
};
static_assert(sizeof(QuadInstance) == 96, "QuadInstance must match the shader's layout");

struct PixelRect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    bool empty() const { return width <= 0 || height <= 0; }
    bool operator==(const PixelRect &) const = default;
};

/// The smallest rectangle holding both (an empty one adds nothing).
PixelRect unite(PixelRect a, PixelRect b);

/// A run of quads drawn through a perspective warp: what they draw inside the flat `layer`
/// (x0, y0, x1, y1, canvas px) lands on `to` (top-left, top-right, bottom-right, bottom-left)
/// through `homography` (row-major, layer → canvas); anything outside the layer is cut. The
/// shader evaluates every SDF per destination pixel, perspective-correct.
struct WarpSpan {
    std::uint32_t first = 0; ///< index of the first quad
    std::uint32_t count = 0;
    float homography[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    float layer[4] = {0, 0, 0, 0};
    float to[8] = {0, 0, 0, 0, 0, 0, 0, 0};
};

/// A panned picture is drawn at most this many times its box's height, and at most this tall,
/// so it fits the picture texture beside the frame's other pictures.
constexpr int kPanMaxScreens = 4;
constexpr int kPanMaxHeight = 3072;

/// The one picture of a frame that pans, for a receiver that draws the pan itself (a texture
/// offset per frame instead of a render): which quad it is, the whole piece it scrolls through
/// (in `pictures`, px), the window's height, and how long the pan takes.
struct PanPiece {
    std::int32_t quad = -1;
    PixelRect piece;
    int windowHeight = 0;
    float duration = 0.0f;
};

struct DrawList {
    std::vector<QuadInstance> quads;
    /// Runs of `quads` that are warped, ascending and not overlapping; the rest is drawn flat.
    std::vector<WarpSpan> warps;
    /// The pictures Picture quads sample, packed into one premultiplied image (null: none).
    std::shared_ptr<const Image> pictures;
    /// Set when exactly one picture pans and nothing is warped (else quad stays -1).
    PanPiece pan;

    void addBox(float x, float y, float w, float h, float radius, float softness, Color fill,
                Color fillEnd, float gradientAngleDeg);
    void addGlyph(float x0, float y0, float x1, float y1, const float uv[4], float pxPerUnit,
                  float outline, float softness, float dilate, Color fill, Color outlineColor);

    /// A picture: `uv` (u0, v0, u1, v1 in `pictures`) drawn over (x, y, w, h), masked by a
    /// rounded box of that size with corner `radius` (0: square; half the shorter side: a
    /// circle or pill), times `opacity`.
    void addPicture(float x, float y, float w, float h, const float uv[4], float radius,
                    float opacity);

    /// Pixel bounds of everything drawn, clamped to the canvas; empty when nothing is drawn.
    PixelRect bounds(int canvasWidth, int canvasHeight) const;
};

} // namespace cuecard
