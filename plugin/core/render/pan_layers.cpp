// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/render/pan_layers.hpp"

#include "core/render/overlay_renderer.hpp"
#include "core/theme/animation.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace cuecard {

namespace {

/// Rows [srcY0, srcY0 + rows) of `src` (premultiplied) over `dst` from canvas position (x, y)
/// down, `dst` covering `region`.
void blendOver(Image &dst, PixelRect region, const Image &src, int x, int y, int srcY0, int rows) {
    for (int sy = 0; sy < rows; ++sy) {
        const int cy = y + sy - region.y;
        if (cy < 0 || cy >= dst.height || srcY0 + sy < 0 || srcY0 + sy >= src.height) {
            continue;
        }
        for (int sx = 0; sx < src.width; ++sx) {
            const int cx = x + sx - region.x;
            if (cx < 0 || cx >= dst.width) {
                continue;
            }
            const std::uint8_t *s = src.at(sx, srcY0 + sy);
            std::uint8_t *d = dst.at(cx, cy);
            const int keep = 255 - s[3];
            for (int c = 0; c < 4; ++c) {
                d[c] = static_cast<std::uint8_t>(std::min(255, s[c] + (d[c] * keep + 127) / 255));
            }
        }
    }
}

} // namespace

Status renderQuadRange(OverlayRenderer &renderer, const DrawList &list, GlyphAtlas &atlas,
                       std::size_t first, std::size_t end, Image &image, PixelRect &bounds) {
    DrawList part;
    part.quads.assign(list.quads.begin() + static_cast<std::ptrdiff_t>(first),
                      list.quads.begin() + static_cast<std::ptrdiff_t>(end));
    part.pictures = list.pictures;
    bounds = part.bounds(renderer.width(), renderer.height());
    if (bounds.empty()) {
        image = Image{};
        return Status::success();
    }
    auto rendered = renderer.render(part, atlas, bounds);
    if (!rendered) {
        return rendered.error();
    }
    image = std::move(rendered.value());
    return Status::success();
}

float panWindowY(int travel, float duration, double seconds) {
    return static_cast<float>(std::max(0, travel)) * panProgress(seconds, duration);
}

float PanLayers::windowY(double seconds) const {
    return panWindowY(travel(), duration, seconds);
}

PixelRect PanLayers::bounds() const {
    return unite(unite(underBounds, box), overBounds);
}

bool canDrawPanAsLayers(const DrawList &list) {
    if (list.pan.quad < 0 || static_cast<std::size_t>(list.pan.quad) >= list.quads.size() ||
        !list.warps.empty() || !list.pictures || list.pan.piece.empty()) {
        return false;
    }
    const QuadInstance &q = list.quads[static_cast<std::size_t>(list.pan.quad)];
    return q.params[0] == 0.0f && q.params[2] >= 1.0f; // square mask, full opacity
}

Result<PanLayers> renderPanLayers(OverlayRenderer &renderer, const DrawList &list,
                                  GlyphAtlas &atlas) {
    if (!canDrawPanAsLayers(list)) {
        return makeError("this frame's pan cannot be drawn as layers");
    }
    const auto at = static_cast<std::size_t>(list.pan.quad);
    PanLayers out;
    if (Status s = renderQuadRange(renderer, list, atlas, 0, at, out.under, out.underBounds); !s) {
        return s.error();
    }
    if (Status s = renderQuadRange(renderer, list, atlas, at + 1, list.quads.size(), out.over,
                                   out.overBounds);
        !s) {
        return s.error();
    }
    const QuadInstance &q = list.quads[at];
    out.box = PixelRect{static_cast<int>(std::lround(q.rect[0])),
                        static_cast<int>(std::lround(q.rect[1])),
                        static_cast<int>(std::lround(q.rect[2] - q.rect[0])),
                        static_cast<int>(std::lround(q.rect[3] - q.rect[1]))};
    const PixelRect p = list.pan.piece;
    const Image &texture = *list.pictures;
    if (p.x < 0 || p.y < 0 || p.x + p.width > texture.width || p.y + p.height > texture.height) {
        return makeError("the panned picture lies outside the picture texture");
    }
    out.rows = p.height;
    out.piece = Image(p.width,
                      std::max(p.height, std::min(out.box.height * kPanMaxScreens, kPanMaxHeight)));
    out.opaque = true;
    for (int y = 0; y < p.height; ++y) {
        std::uint8_t *row = out.piece.row(y);
        std::memcpy(row, texture.at(p.x, p.y + y), static_cast<std::size_t>(p.width) * 4);
        for (int x = 0; x < p.width && out.opaque; ++x) {
            out.opaque = row[static_cast<std::size_t>(x) * 4 + 3] == 255;
        }
    }
    out.duration = list.pan.duration;
    return out;
}

Image composePanFrame(const PanLayers &layers, double seconds, PixelRect region) {
    Image out(region.width, region.height);
    blendOver(out, region, layers.under, layers.underBounds.x, layers.underBounds.y, 0,
              layers.under.height);
    const int top = static_cast<int>(std::lround(layers.windowY(seconds)));
    blendOver(out, region, layers.piece, layers.box.x, layers.box.y, top, layers.box.height);
    blendOver(out, region, layers.over, layers.overBounds.x, layers.overBounds.y, 0,
              layers.over.height);
    return out;
}

} // namespace cuecard
