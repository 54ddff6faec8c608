// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Dragging one corner of a quad with the mouse (the OBS source's Interact window): the corner
/// nearest the press, within reach, follows the pointer; a move that would make the quad
/// unusable (not convex, turned inside out) is not taken, the corner stays where it last was.

#include "core/util/homography.hpp"

#include <optional>

namespace cuecard {

class CornerDrag {
  public:
    /// Grabs the corner of `quad` nearest `at` if it is within `reach` px; false otherwise.
    bool press(const Quad &quad, Point2 at, float reach = 48.0f);
    /// The quad with the grabbed corner at `at` (or where it last was usable); nullopt when
    /// nothing is grabbed.
    std::optional<Quad> move(Point2 at);
    /// Ends the drag: the final quad, or nullopt when nothing was grabbed.
    std::optional<Quad> release();
    bool active() const { return corner_ >= 0; }
    int corner() const { return corner_; }

  private:
    Quad quad_{};
    int corner_ = -1;
};

} // namespace cuecard
