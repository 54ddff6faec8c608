// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/render/warp_layers.hpp"

#include "core/render/overlay_renderer.hpp"
#include "core/render/pan_layers.hpp"

#include <algorithm>
#include <cmath>

namespace cuecard {

namespace {

/// The quad moved by (dx, dy): its rectangle, and its mask's center for a box or a picture (a
/// glyph's shape is its place in the atlas).
QuadInstance moved(QuadInstance q, float dx, float dy) {
    q.rect[0] += dx;
    q.rect[1] += dy;
    q.rect[2] += dx;
    q.rect[3] += dy;
    if (static_cast<QuadKind>(static_cast<std::uint32_t>(q.kind[0])) != QuadKind::Glyph) {
        q.shape[0] += dx;
        q.shape[1] += dy;
    }
    return q;
}

/// The layer's premultiplied RGBA at layer px (s, t), bilinear between pixel centers, clamped
/// at its edges (what OpenGL's linear filter with clamp-to-edge gives).
void bilinear(const Image &layer, float s, float t, float out[4]) {
    const float fx = s - 0.5f;
    const float fy = t - 0.5f;
    const float x0f = std::floor(fx);
    const float y0f = std::floor(fy);
    const float ax = fx - x0f;
    const float ay = fy - y0f;
    const auto clampX = [&](float v) {
        return std::clamp(static_cast<int>(v), 0, layer.width - 1);
    };
    const auto clampY = [&](float v) {
        return std::clamp(static_cast<int>(v), 0, layer.height - 1);
    };
    const int x0 = clampX(x0f);
    const int x1 = clampX(x0f + 1.0f);
    const int y0 = clampY(y0f);
    const int y1 = clampY(y0f + 1.0f);
    const std::uint8_t *p00 = layer.at(x0, y0);
    const std::uint8_t *p10 = layer.at(x1, y0);
    const std::uint8_t *p01 = layer.at(x0, y1);
    const std::uint8_t *p11 = layer.at(x1, y1);
    for (int c = 0; c < 4; ++c) {
        const float top =
            static_cast<float>(p00[c]) * (1.0f - ax) + static_cast<float>(p10[c]) * ax;
        const float bottom =
            static_cast<float>(p01[c]) * (1.0f - ax) + static_cast<float>(p11[c]) * ax;
        out[c] = top * (1.0f - ay) + bottom * ay;
    }
}

} // namespace

std::optional<WarpPlacement> placeWarp(float width, float height, const Quad &to, int canvasWidth,
                                       int canvasHeight) {
    const auto forward = rectToQuad(0.0f, 0.0f, width, height, to);
    if (!forward) {
        return std::nullopt;
    }
    const auto back = inverted(*forward);
    if (!back) {
        return std::nullopt;
    }
    WarpPlacement p;
    p.canvasToLayer = *back;
    p.width = width;
    p.height = height;
    // The quad's area (shoelace) against the layer's.
    double area = 0.0;
    for (std::size_t i = 0; i < 4; ++i) {
        const Point2 a = to[i];
        const Point2 b = to[(i + 1) % 4];
        area += static_cast<double>(a.x) * static_cast<double>(b.y) -
                static_cast<double>(b.x) * static_cast<double>(a.y);
    }
    area = std::abs(area) * 0.5;
    p.layerPxPerCanvasPx =
        area > 0.0 ? static_cast<float>(
                         std::sqrt(static_cast<double>(width) * static_cast<double>(height) / area))
                   : 1.0f;
    float x0 = to[0].x, y0 = to[0].y, x1 = to[0].x, y1 = to[0].y;
    for (const Point2 &c : to) {
        x0 = std::min(x0, c.x);
        y0 = std::min(y0, c.y);
        x1 = std::max(x1, c.x);
        y1 = std::max(y1, c.y);
    }
    const int left = std::clamp(static_cast<int>(std::floor(x0)) - 1, 0, canvasWidth);
    const int top = std::clamp(static_cast<int>(std::floor(y0)) - 1, 0, canvasHeight);
    const int right = std::clamp(static_cast<int>(std::ceil(x1)) + 1, 0, canvasWidth);
    const int bottom = std::clamp(static_cast<int>(std::ceil(y1)) + 1, 0, canvasHeight);
    p.box = PixelRect{left, top, right - left, bottom - top};
    return p;
}

std::optional<WarpPlacement> WarpGeometry::place(const Quad &to) const {
    return placeWarp(width, height, to, canvasWidth, canvasHeight);
}

PixelRect WarpGeometry::bounds(const WarpPlacement &p) const {
    return unite(unite(underBounds, overBounds), p.box);
}

PixelRect WarpGeometry::bounds(const Quad &to) const {
    const auto p = place(to);
    return p ? bounds(*p) : unite(underBounds, overBounds);
}

std::string warpLayersProblem(const DrawList &list, int width, int height) {
    if (list.warps.size() != 1) {
        return list.warps.empty() ? "nothing is in perspective"
                                  : "more than one group is in perspective";
    }
    const WarpSpan &span = list.warps.front();
    if (list.pan.quad >= 0) {
        return "a picture pans";
    }
    if (span.count == 0 || span.first + span.count > list.quads.size()) {
        return "the group draws nothing";
    }
    const float w = span.layer[2] - span.layer[0];
    const float h = span.layer[3] - span.layer[1];
    if (!(w > 0.0f) || !(h > 0.0f) || std::ceil(w) > static_cast<float>(width) ||
        std::ceil(h) > static_cast<float>(height)) {
        return "the group is larger than the canvas";
    }
    return "";
}

Result<WarpLayers> renderWarpLayers(OverlayRenderer &renderer, const DrawList &list,
                                    GlyphAtlas &atlas) {
    if (std::string why = warpLayersProblem(list, renderer.width(), renderer.height());
        !why.empty()) {
        return makeError("this frame cannot be drawn as layers: " + why);
    }
    const WarpSpan &span = list.warps.front();
    WarpLayers out;
    out.canvasWidth = renderer.width();
    out.canvasHeight = renderer.height();
    if (Status s =
            renderQuadRange(renderer, list, atlas, 0, span.first, out.under, out.underBounds);
        !s) {
        return s.error();
    }
    if (Status s = renderQuadRange(renderer, list, atlas, span.first + span.count,
                                   list.quads.size(), out.over, out.overBounds);
        !s) {
        return s.error();
    }
    // The group flat with its top-left at (0, 0): the renderer cuts it to the layer's pixels.
    out.width = span.layer[2] - span.layer[0];
    out.height = span.layer[3] - span.layer[1];
    DrawList group;
    group.pictures = list.pictures;
    group.quads.reserve(span.count);
    for (std::uint32_t i = 0; i < span.count; ++i) {
        group.quads.push_back(moved(list.quads[span.first + i], -span.layer[0], -span.layer[1]));
    }
    const PixelRect layerRect{0, 0, static_cast<int>(std::ceil(out.width)),
                              static_cast<int>(std::ceil(out.height))};
    auto rendered = renderer.render(group, atlas, layerRect);
    if (!rendered) {
        return rendered.error();
    }
    out.layer = std::move(rendered.value());
    for (std::size_t c = 0; c < 4; ++c) {
        out.corners[c] = Point2{span.to[c * 2], span.to[c * 2 + 1]};
    }
    return out;
}

Image composeWarpFrame(const WarpLayers &layers, const Quad &to, PixelRect region) {
    Image out(region.width, region.height);
    compositeOver(out, layers.under, layers.underBounds.x - region.x,
                  layers.underBounds.y - region.y);
    if (const auto p = layers.place(to); p && layers.layer.width > 0 && layers.layer.height > 0) {
        const Homography &m = p->canvasToLayer;
        const PixelRect b = p->box;
        for (int y = std::max(b.y, region.y);
             y < std::min(b.y + b.height, region.y + region.height); ++y) {
            for (int x = std::max(b.x, region.x);
                 x < std::min(b.x + b.width, region.x + region.width); ++x) {
                const float cx = static_cast<float>(x) + 0.5f;
                const float cy = static_cast<float>(y) + 0.5f;
                const float w = m[6] * cx + m[7] * cy + m[8];
                if (!(w > 0.0f)) {
                    continue;
                }
                const float s = (m[0] * cx + m[1] * cy + m[2]) / w;
                const float t = (m[3] * cx + m[4] * cy + m[5]) / w;
                // Distance outside the layer's rectangle (negative inside), in layer px, and
                // the coverage of one canvas px there.
                const float outside =
                    std::max(std::max(-s, s - layers.width), std::max(-t, t - layers.height));
                const float cover = std::clamp(0.5f - outside / p->layerPxPerCanvasPx, 0.0f, 1.0f);
                if (cover <= 0.0f) {
                    continue;
                }
                float rgba[4];
                bilinear(layers.layer, s, t, rgba);
                std::uint8_t *d = out.at(x - region.x, y - region.y);
                const float alpha = rgba[3] * cover;
                const float keep = 1.0f - alpha / 255.0f;
                for (int c = 0; c < 4; ++c) {
                    d[c] = static_cast<std::uint8_t>(std::clamp(
                        std::lround(rgba[c] * cover + static_cast<float>(d[c]) * keep), 0L, 255L));
                }
            }
        }
    }
    compositeOver(out, layers.over, layers.overBounds.x - region.x, layers.overBounds.y - region.y);
    return out;
}

} // namespace cuecard
