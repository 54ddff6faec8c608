// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
#include <string>

namespace cuecard::obs {
/// Adds the Cuecard dock (the queue and theme, current and next recipient with previews, the
/// rep-only notes, the whole queue with its problems, progress, buttons) to OBS's main window.
void addDock();

/// Where show_dock puts the dock (a width or height of 0 keeps its size and place).
struct DockGeometry {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
};
/// Shows the dock floating and on top, from any thread (websocket's `show_dock`, for scripts and
/// the e2e screenshot); "" or why not.
std::string showDock(const DockGeometry &geometry);
} // namespace cuecard::obs
