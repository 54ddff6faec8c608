// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/util/corner_drag.hpp"

#include <cmath>

namespace cuecard {

bool CornerDrag::press(const Quad &quad, Point2 at, float reach) {
    corner_ = -1;
    float best = reach;
    for (std::size_t i = 0; i < quad.size(); ++i) {
        const float d = std::hypot(quad[i].x - at.x, quad[i].y - at.y);
        if (d <= best) {
            best = d;
            corner_ = static_cast<int>(i);
        }
    }
    quad_ = quad;
    return corner_ >= 0;
}

std::optional<Quad> CornerDrag::move(Point2 at) {
    if (corner_ < 0) {
        return std::nullopt;
    }
    Quad moved = quad_;
    moved[static_cast<std::size_t>(corner_)] = at;
    if (*quadProblem(moved) == '\0') {
        quad_ = moved;
    }
    return quad_;
}

std::optional<Quad> CornerDrag::release() {
    if (corner_ < 0) {
        return std::nullopt;
    }
    corner_ = -1;
    return quad_;
}

} // namespace cuecard
