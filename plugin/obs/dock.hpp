#pragma once
namespace cuecard::obs {
/// Adds the Cuecard dock (current and next recipient, the rep-only notes, progress, buttons)
/// to OBS's main window.
void addDock();
} // namespace cuecard::obs
