// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Fitting a picture into a theme's box (contain, cover, fill) and resampling it to the size it
/// is drawn at: an area average when shrinking (every source pixel counts, no aliasing on a
/// website shrunk into a frame), bilinear when enlarging. Premultiplied in, premultiplied out.

#include "core/theme/theme.hpp"
#include "core/util/image.hpp"

namespace cuecard {

struct FloatRect {
    float x = 0.0f;
    float y = 0.0f;
    float width = 0.0f;
    float height = 0.0f;
};

struct PictureFitResult {
    FloatRect source; ///< the part of the picture shown, in picture pixels
    FloatRect dest;   ///< where it is drawn, in canvas pixels (inside the box)
};

/// `box` is the element's box in canvas px; `pictureW`×`pictureH` the picture's size.
PictureFitResult fitPicture(PictureFit fit, FloatRect box, int pictureW, int pictureH);

/// `source` (a rectangle of `src`) resampled to `width`×`height`.
Image resamplePicture(const Image &src, FloatRect source, int width, int height);

} // namespace cuecard
