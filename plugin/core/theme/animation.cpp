// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/theme/animation.hpp"

#include <algorithm>

namespace cuecard {

bool parseAnimationKind(std::string_view name, AnimationKind &out) {
    if (name == "none") {
        out = AnimationKind::None;
    } else if (name == "fade") {
        out = AnimationKind::Fade;
    } else if (name == "slide") {
        out = AnimationKind::Slide;
    } else if (name == "wipe") {
        out = AnimationKind::Wipe;
    } else {
        return false;
    }
    return true;
}

AnimationFrame animationAt(AnimationKind kind, float duration, double seconds, bool appearing,
                           float slideDistance) {
    AnimationFrame f;
    const double t =
        duration <= 0.0f ? 1.0 : std::clamp(seconds / static_cast<double>(duration), 0.0, 1.0);
    f.running = kind != AnimationKind::None && t < 1.0;
    // Ease out when appearing (fast start, soft landing), ease in when leaving.
    const double u = appearing ? 1.0 - (1.0 - t) * (1.0 - t) * (1.0 - t) : t * t * t;
    const float shown = static_cast<float>(appearing ? u : 1.0 - u); // 0 hidden .. 1 shown
    switch (kind) {
    case AnimationKind::None:
        f.opacity = appearing ? 1.0f : 0.0f;
        break;
    case AnimationKind::Fade:
        f.opacity = shown;
        break;
    case AnimationKind::Slide:
        f.opacity = std::min(1.0f, shown * 1.5f);
        f.offsetY = (1.0f - shown) * slideDistance;
        break;
    case AnimationKind::Wipe:
        f.reveal = shown;
        f.opacity = shown > 0.0f ? 1.0f : 0.0f;
        break;
    }
    return f;
}

float panProgress(double seconds, float duration) {
    if (duration <= 0.0f) {
        return 0.0f;
    }
    const float t =
        std::clamp(static_cast<float>(seconds / static_cast<double>(duration)), 0.0f, 1.0f);
    return t * t * (3.0f - 2.0f * t);
}

} // namespace cuecard
