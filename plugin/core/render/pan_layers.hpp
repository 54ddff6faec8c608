// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A frame whose pan its receiver draws itself: a pan moves one picture's window and nothing
/// else, so the worker renders what lies under the picture and what lies over it once, hands
/// over the piece of the picture the window scrolls through, and every later frame of the pan
/// is three draws with a new texture offset (OBS's graphics thread), not a render and a
/// readback.

#include "core/render/draw_list.hpp"
#include "core/util/image.hpp"
#include "core/util/result.hpp"

#include <cstddef>
#include <memory>

namespace cuecard {

class GlyphAtlas;
class OverlayRenderer;

/// Drawn in this order, premultiplied, blend ONE / ONE_MINUS_SRC_ALPHA: `under` at
/// `underBounds`, rows [windowY, windowY + box.height) of `piece` at `box`, `over` at
/// `overBounds`; windowY = travel() × panProgress(seconds on screen, duration).
struct PanLayers {
    Image under;
    PixelRect underBounds;
    Image over;
    PixelRect overBounds;
    /// The picture as wide as its box, as tall as the pan goes (`rows`), then transparent rows
    /// up to the most the composer pans through (kPanMaxScreens boxes, kPanMaxHeight px): the
    /// same size for every recipient of a theme, so a
    /// receiver refills one texture on a switch instead of making a new one.
    Image piece;
    int rows = 0;
    /// Every pixel of the piece is opaque: what lies under the box cannot show through, and a
    /// receiver may leave it out.
    bool opaque = false;
    PixelRect box; ///< where its window is drawn
    float duration = 0.0f;
    int travel() const { return rows - box.height; }
    /// Where the window is `seconds` after the recipient came on screen (px into `piece`).
    float windowY(double seconds) const;
    /// The bounds of all three.
    PixelRect bounds() const;
};

/// How far down a piece `travel` px longer than its window the window is `seconds` into a pan
/// of `duration` (whole px are up to the receiver).
float panWindowY(int travel, float duration, double seconds);

/// Whether `list`'s pan can be drawn as layers: one panned picture, nothing warped, a square
/// mask and full opacity (what a texture offset reproduces exactly).
bool canDrawPanAsLayers(const DrawList &list);

/// Quads [first, end) of `list`, flat, with its pictures, rendered and read back over their own
/// bounds (an empty image and bounds when they draw nothing): what lies under or over a part a
/// receiver moves itself.
Status renderQuadRange(OverlayRenderer &renderer, const DrawList &list, GlyphAtlas &atlas,
                       std::size_t first, std::size_t end, Image &image, PixelRect &bounds);

/// Renders `list`'s layers with `renderer` (two renders, each read back over its own bounds)
/// and cuts the piece out of the list's picture texture.
Result<PanLayers> renderPanLayers(OverlayRenderer &renderer, const DrawList &list,
                                  GlyphAtlas &atlas);

/// The three draws on the CPU over `region` at `seconds`: what a receiver draws, for tests and
/// for callers without a GPU of their own.
Image composePanFrame(const PanLayers &layers, double seconds, PixelRect region);

} // namespace cuecard
