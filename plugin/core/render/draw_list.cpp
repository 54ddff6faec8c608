// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/render/draw_list.hpp"

#include <algorithm>
#include <cmath>

namespace cuecard {

PixelRect unite(PixelRect a, PixelRect b) {
    if (a.empty()) {
        return b;
    }
    if (b.empty()) {
        return a;
    }
    const int x0 = std::min(a.x, b.x);
    const int y0 = std::min(a.y, b.y);
    const int x1 = std::max(a.x + a.width, b.x + b.width);
    const int y1 = std::max(a.y + a.height, b.y + b.height);
    return PixelRect{x0, y0, x1 - x0, y1 - y0};
}
namespace {

void setColor(float out[4], Color c) {
    const Color p = c.premultiplied();
    out[0] = p.r;
    out[1] = p.g;
    out[2] = p.b;
    out[3] = p.a;
}

} // namespace

void DrawList::addBox(float x, float y, float w, float h, float radius, float softness, Color fill,
                      Color fillEnd, float gradientAngleDeg) {
    QuadInstance q{};
    const float pad = softness + 1.0f;
    q.rect[0] = x - pad;
    q.rect[1] = y - pad;
    q.rect[2] = x + w + pad;
    q.rect[3] = y + h + pad;
    q.shape[0] = x + w * 0.5f;
    q.shape[1] = y + h * 0.5f;
    q.shape[2] = w * 0.5f;
    q.shape[3] = h * 0.5f;
    const float rad = gradientAngleDeg * 3.14159265f / 180.0f;
    q.params[0] = std::min(radius, std::min(w, h) * 0.5f);
    q.params[1] = softness;
    q.params[2] = std::cos(rad);
    q.params[3] = std::sin(rad);
    setColor(q.color0, fill);
    setColor(q.color1, fillEnd);
    q.kind[0] = static_cast<float>(QuadKind::Box);
    quads.push_back(q);
}

void DrawList::addGlyph(float x0, float y0, float x1, float y1, const float uv[4], float pxPerUnit,
                        float outline, float softness, float dilate, Color fill,
                        Color outlineColor) {
    QuadInstance q{};
    q.rect[0] = x0;
    q.rect[1] = y0;
    q.rect[2] = x1;
    q.rect[3] = y1;
    for (int i = 0; i < 4; ++i) {
        q.shape[i] = uv[i];
    }
    q.params[0] = pxPerUnit;
    q.params[1] = outline;
    q.params[2] = softness;
    q.params[3] = dilate;
    setColor(q.color0, fill);
    setColor(q.color1, outlineColor);
    q.kind[0] = static_cast<float>(QuadKind::Glyph);
    quads.push_back(q);
}

void DrawList::addPicture(float x, float y, float w, float h, const float uv[4], float radius,
                          float opacity) {
    QuadInstance q{};
    q.rect[0] = x;
    q.rect[1] = y;
    q.rect[2] = x + w;
    q.rect[3] = y + h;
    q.shape[0] = x + w * 0.5f;
    q.shape[1] = y + h * 0.5f;
    q.shape[2] = w * 0.5f;
    q.shape[3] = h * 0.5f;
    q.params[0] = std::min(radius, std::min(w, h) * 0.5f);
    q.params[2] = opacity;
    for (int i = 0; i < 4; ++i) {
        q.color0[i] = uv[i];
    }
    q.kind[0] = static_cast<float>(QuadKind::Picture);
    quads.push_back(q);
}

PixelRect DrawList::bounds(int canvasWidth, int canvasHeight) const {
    if (quads.empty()) {
        return {};
    }
    float x0 = 1e9f;
    float y0 = 1e9f;
    float x1 = -1e9f;
    float y1 = -1e9f;
    std::size_t span = 0;
    for (std::size_t i = 0; i < quads.size(); ++i) {
        while (span < warps.size() && i >= warps[span].first + warps[span].count) {
            ++span;
        }
        if (span < warps.size() && i >= warps[span].first) {
            continue; // a warped quad lands inside its span's quad (below)
        }
        const auto &q = quads[i];
        x0 = std::min(x0, q.rect[0]);
        y0 = std::min(y0, q.rect[1]);
        x1 = std::max(x1, q.rect[2]);
        y1 = std::max(y1, q.rect[3]);
    }
    for (const WarpSpan &w : warps) {
        if (w.count == 0) {
            continue;
        }
        for (int c = 0; c < 4; ++c) {
            x0 = std::min(x0, w.to[c * 2]);
            y0 = std::min(y0, w.to[c * 2 + 1]);
            x1 = std::max(x1, w.to[c * 2]);
            y1 = std::max(y1, w.to[c * 2 + 1]);
        }
    }
    if (x1 < x0 || y1 < y0) {
        return {};
    }
    PixelRect r;
    r.x = std::clamp(static_cast<int>(std::floor(x0)), 0, canvasWidth);
    r.y = std::clamp(static_cast<int>(std::floor(y0)), 0, canvasHeight);
    const int right = std::clamp(static_cast<int>(std::ceil(x1)), 0, canvasWidth);
    const int bottom = std::clamp(static_cast<int>(std::ceil(y1)), 0, canvasHeight);
    r.width = right - r.x;
    r.height = bottom - r.y;
    return r;
}

} // namespace cuecard
