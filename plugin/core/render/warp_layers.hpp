// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A group in perspective whose corners its receiver moves itself: while the rep drags a corner
/// in OBS's Interact window only the homography changes, so the worker renders the group once,
/// flat, and what lies under and over it; every frame of the drag is then three draws, the
/// group's through the homography of the corners so far (uniforms on OBS's graphics thread), not
/// a render and a readback. When the corners are let go the source renders the group exactly
/// again (every SDF per screen pixel): the layers are for the drag, where a texture sampled
/// through the homography is as good as the eye can follow.

#include "core/render/draw_list.hpp"
#include "core/util/homography.hpp"
#include "core/util/image.hpp"
#include "core/util/result.hpp"

#include <optional>
#include <string>

namespace cuecard {

class GlyphAtlas;
class OverlayRenderer;

/// Where the group is drawn for some corners: what the receiver's shader needs.
struct WarpPlacement {
    /// Canvas px → layer px (row-major; the layer's top-left is (0, 0)).
    Homography canvasToLayer{};
    /// Layer px per canvas px, on average over the quad: how wide (in layer px) the
    /// antialiased edge where the layer is cut is.
    float layerPxPerCanvasPx = 1.0f;
    /// The group's size in layer px: what lies outside (0, 0, width, height) is cut.
    float width = 0.0f;
    float height = 0.0f;
    /// The canvas px the quad covers (with one px around for the edge), clamped to the canvas.
    PixelRect box;
};

/// Where the layers lie and how large the group is: all a receiver keeps once their pictures
/// are in its textures.
struct WarpGeometry {
    PixelRect underBounds;
    /// The group's size in layer px (its picture is these rounded up).
    float width = 0.0f;
    float height = 0.0f;
    PixelRect overBounds;
    /// The corners it was rendered on (canvas px).
    Quad corners{};
    int canvasWidth = 0;
    int canvasHeight = 0;

    /// The group on `to`; nullopt when those corners are not usable (quadProblem).
    std::optional<WarpPlacement> place(const Quad &to) const;
    /// The bounds of all three with the group placed at `p`.
    PixelRect bounds(const WarpPlacement &p) const;
    /// The same on `to` (under and over only when `to` is not usable).
    PixelRect bounds(const Quad &to) const;
};

/// Drawn in this order, premultiplied, blend ONE / ONE_MINUS_SRC_ALPHA: `under` at
/// `underBounds`; over placement.box, `layer` sampled (bilinear, clamped) at the layer px
/// canvasToLayer gives each pixel's center, times the coverage of the rectangle (0, 0, width,
/// height) there; `over` at `overBounds`.
struct WarpLayers : WarpGeometry {
    Image under;
    /// The group drawn flat, its top-left at (0, 0): `width` × `height` layer px, rounded up.
    Image layer;
    Image over;
};

/// Where a `width` × `height` layer lands on `to` on a canvas of that size; nullopt when `to`
/// is not usable.
std::optional<WarpPlacement> placeWarp(float width, float height, const Quad &to, int canvasWidth,
                                       int canvasHeight);

/// Why `list` cannot be drawn as warp layers on a renderer of `width` × `height` ("" when it
/// can): exactly one warped group, no pan, its flat layer no larger than the renderer.
std::string warpLayersProblem(const DrawList &list, int width, int height);

/// Renders `list`'s layers with `renderer` (three renders, each read back over its own bounds).
Result<WarpLayers> renderWarpLayers(OverlayRenderer &renderer, const DrawList &list,
                                    GlyphAtlas &atlas);

/// The three draws on the CPU over `region` with the group on `to`: what a receiver draws, for
/// tests and for callers without a GPU of their own. Nothing is drawn of the group when `to` is
/// not usable.
Image composeWarpFrame(const WarpLayers &layers, const Quad &to, PixelRect region);

} // namespace cuecard
