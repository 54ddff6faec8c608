// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/picture/picture_fit.hpp"

#include <algorithm>
#include <cmath>

namespace cuecard {

PictureFitResult fitPicture(PictureFit fit, FloatRect box, int pictureW, int pictureH) {
    PictureFitResult r;
    const float pw = static_cast<float>(std::max(1, pictureW));
    const float ph = static_cast<float>(std::max(1, pictureH));
    r.source = {0.0f, 0.0f, pw, ph};
    r.dest = box;
    switch (fit) {
    case PictureFit::Fill:
        break;
    case PictureFit::Contain: {
        const float s = std::min(box.width / pw, box.height / ph);
        r.dest.width = pw * s;
        r.dest.height = ph * s;
        r.dest.x = box.x + (box.width - r.dest.width) * 0.5f;
        r.dest.y = box.y + (box.height - r.dest.height) * 0.5f;
        break;
    }
    case PictureFit::Cover: {
        const float s = std::max(box.width / pw, box.height / ph);
        r.source.width = box.width / s;
        r.source.height = box.height / s;
        r.source.x = (pw - r.source.width) * 0.5f;
        r.source.y = (ph - r.source.height) * 0.5f;
        break;
    }
    }
    return r;
}

namespace {

/// Area average of src over [x0, x1) × [y0, y1) (picture px, fractional edges weighted).
void average(const Image &src, float x0, float y0, float x1, float y1, std::uint8_t *out) {
    float sum[4] = {0, 0, 0, 0};
    float weight = 0.0f;
    const int iy0 = std::max(0, static_cast<int>(std::floor(y0)));
    const int iy1 = std::min(src.height, static_cast<int>(std::ceil(y1)));
    const int ix0 = std::max(0, static_cast<int>(std::floor(x0)));
    const int ix1 = std::min(src.width, static_cast<int>(std::ceil(x1)));
    for (int y = iy0; y < iy1; ++y) {
        const float wy =
            std::min(y1, static_cast<float>(y + 1)) - std::max(y0, static_cast<float>(y));
        for (int x = ix0; x < ix1; ++x) {
            const float wx =
                std::min(x1, static_cast<float>(x + 1)) - std::max(x0, static_cast<float>(x));
            const float w = wx * wy;
            const std::uint8_t *p = src.at(x, y);
            for (int c = 0; c < 4; ++c) {
                sum[c] += w * static_cast<float>(p[c]);
            }
            weight += w;
        }
    }
    for (int c = 0; c < 4; ++c) {
        out[c] = static_cast<std::uint8_t>(
            std::clamp(weight > 0.0f ? sum[c] / weight + 0.5f : 0.0f, 0.0f, 255.0f));
    }
}

void bilinear(const Image &src, float x, float y, std::uint8_t *out) {
    x = std::clamp(x - 0.5f, 0.0f, static_cast<float>(src.width - 1));
    y = std::clamp(y - 0.5f, 0.0f, static_cast<float>(src.height - 1));
    const int x0 = static_cast<int>(x);
    const int y0 = static_cast<int>(y);
    const int x1 = std::min(x0 + 1, src.width - 1);
    const int y1 = std::min(y0 + 1, src.height - 1);
    const float fx = x - static_cast<float>(x0);
    const float fy = y - static_cast<float>(y0);
    for (int c = 0; c < 4; ++c) {
        const float top = src.at(x0, y0)[c] * (1 - fx) + src.at(x1, y0)[c] * fx;
        const float bottom = src.at(x0, y1)[c] * (1 - fx) + src.at(x1, y1)[c] * fx;
        out[c] = static_cast<std::uint8_t>(
            std::clamp(top * (1 - fy) + bottom * fy + 0.5f, 0.0f, 255.0f));
    }
}

} // namespace

Image resamplePicture(const Image &src, FloatRect source, int width, int height) {
    Image out(std::max(1, width), std::max(1, height));
    if (src.width <= 0 || src.height <= 0) {
        return out;
    }
    const float sx = source.width / static_cast<float>(out.width);
    const float sy = source.height / static_cast<float>(out.height);
    const bool shrinking = sx > 1.0f || sy > 1.0f;
    for (int y = 0; y < out.height; ++y) {
        for (int x = 0; x < out.width; ++x) {
            const float x0 = source.x + static_cast<float>(x) * sx;
            const float y0 = source.y + static_cast<float>(y) * sy;
            if (shrinking) {
                average(src, x0, y0, x0 + std::max(sx, 1.0f), y0 + std::max(sy, 1.0f),
                        out.at(x, y));
            } else {
                bilinear(src, x0 + sx * 0.5f, y0 + sy * 0.5f, out.at(x, y));
            }
        }
    }
    return out;
}

} // namespace cuecard
