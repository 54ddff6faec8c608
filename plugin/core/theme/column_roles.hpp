// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Which of a queue's columns a theme puts on camera and which stay with the rep: the line
/// `cuecard check` prints and the dock shows above the rep's notes, so nobody has to guess
/// whether a column can end up in a prospect's video. Private columns (see privateFieldOf)
/// never can: a theme naming one is refused when it loads.

#include "core/theme/theme.hpp"

#include <string>
#include <vector>

namespace cuecard {

struct ColumnRoles {
    std::vector<std::string> onCamera;    ///< columns the theme draws, in queue order
    std::vector<std::string> privateOnly; ///< the rep's eyes only (the dock shows them)
    std::vector<std::string> notShown;    ///< neither: the theme does not use them
    /// What to do when the theme draws an on-camera field the queue lacks while the queue has
    /// the private field a rep may have meant for it (a queue from before talking_points).
    std::vector<std::string> advice;

    /// "on camera: full_name, talking_points · private, never in the video: notes · not
    /// shown: email" (parts with no column left out).
    std::string describe() const;
};

ColumnRoles columnRoles(const Theme &theme, const std::vector<std::string> &columns);

/// Every field a theme's templates name (text and picture sources), once each, in theme order.
std::vector<std::string> themeFields(const Theme &theme);

} // namespace cuecard
