// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/text/glyph_atlas.hpp"

#include <algorithm>
#include <cstring>

namespace cuecard {

GlyphAtlas::GlyphAtlas(int width, int height, int padding)
    : width_(width), height_(height), padding_(padding),
      pixels_(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), 0) {
    clear();
}

void GlyphAtlas::clear() {
    std::fill(pixels_.begin(), pixels_.end(), std::uint8_t{0});
    skyline_.assign(1, Node{0, 0, width_});
    dirty_.assign(1, AtlasRect{0, 0, width_, height_});
}

int GlyphAtlas::fit(std::size_t i, int w, int h) const {
    // Top of the skyline under a w-wide rectangle whose left edge is at node i, or -1.
    const int x = skyline_[i].x;
    if (x + w > width_) {
        return -1;
    }
    int remaining = w;
    int y = skyline_[i].y;
    while (remaining > 0) {
        if (i >= skyline_.size()) {
            return -1;
        }
        y = std::max(y, skyline_[i].y);
        if (y + h > height_) {
            return -1;
        }
        remaining -= skyline_[i].w;
        ++i;
    }
    return y;
}

void GlyphAtlas::addSkylineLevel(std::size_t i, int x, int y, int w, int h) {
    skyline_.insert(skyline_.begin() + static_cast<std::ptrdiff_t>(i), Node{x, y + h, w});
    // Shrink or remove the nodes now under the new level.
    for (std::size_t j = i + 1; j < skyline_.size();) {
        const Node &prev = skyline_[j - 1];
        Node &node = skyline_[j];
        if (node.x >= prev.x + prev.w) {
            break;
        }
        const int shrink = prev.x + prev.w - node.x;
        node.x += shrink;
        node.w -= shrink;
        if (node.w <= 0) {
            skyline_.erase(skyline_.begin() + static_cast<std::ptrdiff_t>(j));
            continue;
        }
        break;
    }
    // Merge neighbours at the same height.
    for (std::size_t j = 0; j + 1 < skyline_.size();) {
        if (skyline_[j].y == skyline_[j + 1].y) {
            skyline_[j].w += skyline_[j + 1].w;
            skyline_.erase(skyline_.begin() + static_cast<std::ptrdiff_t>(j + 1));
        } else {
            ++j;
        }
    }
}

std::optional<AtlasRect> GlyphAtlas::allocate(int w, int h) {
    if (w <= 0 || h <= 0) {
        return AtlasRect{0, 0, 0, 0};
    }
    const int pw = w + padding_;
    const int ph = h + padding_;
    int bestH = height_ + 1;
    int bestW = width_ + 1;
    std::size_t bestI = skyline_.size();
    int bestX = 0;
    int bestY = 0;
    for (std::size_t i = 0; i < skyline_.size(); ++i) {
        const int y = fit(i, pw, ph);
        if (y < 0) {
            continue;
        }
        if (y + ph < bestH || (y + ph == bestH && skyline_[i].w < bestW)) {
            bestI = i;
            bestW = skyline_[i].w;
            bestH = y + ph;
            bestX = skyline_[i].x;
            bestY = y;
        }
    }
    if (bestI == skyline_.size()) {
        return std::nullopt;
    }
    addSkylineLevel(bestI, bestX, bestY, pw, ph);
    return AtlasRect{bestX, bestY, w, h};
}

void GlyphAtlas::write(const AtlasRect &rect, const std::uint8_t *pixels, int pitch) {
    if (rect.w <= 0 || rect.h <= 0) {
        return;
    }
    for (int row = 0; row < rect.h; ++row) {
        std::memcpy(
            &pixels_[static_cast<std::size_t>(rect.y + row) * static_cast<std::size_t>(width_) +
                     static_cast<std::size_t>(rect.x)],
            pixels + static_cast<std::ptrdiff_t>(row) * pitch, static_cast<std::size_t>(rect.w));
    }
    dirty_.push_back(rect);
}

std::vector<AtlasRect> GlyphAtlas::takeDirty() {
    std::vector<AtlasRect> out;
    out.swap(dirty_);
    return out;
}

float GlyphAtlas::usage() const {
    long long area = 0;
    for (const Node &n : skyline_) {
        area += static_cast<long long>(n.w) * n.y;
    }
    return static_cast<float>(static_cast<double>(area) /
                              (static_cast<double>(width_) * static_cast<double>(height_)));
}

} // namespace cuecard
