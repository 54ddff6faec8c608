// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// The Cuecard Overlay source's settings and properties dialog: the queue, the theme (a built-in
// name or a file) and the corners of the theme's first group. Corners belong to a theme: the
// settings keep each theme's own (quads), so switching themes and back keeps both placements.

#include <obs-module.h>

#include <string>
#include <vector>

namespace cuecard::obs {

/// The theme named in `settings` ("default" when none).
std::string themeOf(obs_data_t *settings);
/// The corners `settings` give their theme (see cornersFor).
std::string cornersIn(obs_data_t *settings);
/// Writes `corners` into `settings` as `theme`'s: quad, quad_theme, and quads (the corners kept
/// per theme in `keptIn`, with `theme`'s replaced).
void setCorners(obs_data_t *settings, const std::string &theme, const std::string &corners,
                obs_data_t *keptIn);

/// The dialog: status (the "status" setting, filled by the caller), queue, theme list
/// (`themeNames`), theme file and corners, with their help texts and modified callbacks.
obs_properties_t *overlayProperties(const std::vector<std::string> &themeNames);
void overlayDefaults(obs_data_t *settings);

} // namespace cuecard::obs
