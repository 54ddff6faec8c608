// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// In and out animations (fade, slide, wipe), eased, with the duration from the theme. Pure
/// functions of time: the OBS source asks for the state of the current frame and draws the
/// finished overlay texture with it, so an animation costs a draw per frame and no re-render,
/// and a static overlay costs nothing.

#include <string_view>

namespace cuecard {

enum class AnimationKind { None, Fade, Slide, Wipe };

bool parseAnimationKind(std::string_view name, AnimationKind &out);

struct AnimationFrame {
    float opacity = 1.0f; ///< multiplies the premultiplied color
    float offsetY = 0.0f; ///< px, positive = down
    float reveal = 1.0f;  ///< visible fraction, left to right
    bool running = false; ///< more frames needed
};

/// The state `seconds` after an animation started. `appearing` picks the in (true) or out
/// (false) direction; `slideDistance` is how far a slide travels (px). Outside [0, duration]
/// the end state holds: fully shown after "in", fully hidden after "out".
AnimationFrame animationAt(AnimationKind kind, float duration, double seconds, bool appearing,
                           float slideDistance);

/// How far down a pan (an image element's `pan`) is after `seconds` of `duration`, 0..1,
/// easing in and out; 1 from `duration` on. The composer places the picture's window with it,
/// and so does a receiver that draws the pan itself.
float panProgress(double seconds, float duration);

} // namespace cuecard
