// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Every Cuecard overlay source at once: what the dock's queue and theme pickers and the
// websocket's open_queue and set_theme requests change. Called on OBS's UI thread or a websocket
// thread: applying settings only hands them to each source (obs_source_update; libobs runs the
// source's update later on its graphics thread, which passes them to the source's loader thread).

#include <string>
#include <utility>
#include <vector>

struct obs_source;
typedef struct obs_source obs_source_t;

namespace cuecard::obs {

/// Every Cuecard overlay source (any scene, shown or not); not referenced: use them at once.
std::vector<obs_source_t *> overlaySources();

/// Sets the given strings in every Cuecard source's settings (saved with the scene collection)
/// and applies them; returns how many sources there were.
int applyToOverlaySources(const std::vector<std::pair<const char *, std::string>> &values);

/// A queue file for every Cuecard source; with none, the hub opens it so the dock lists it.
/// Returns how many sources took it.
int openQueueEverywhere(const std::string &path);

/// A built-in theme's name or a theme file for every Cuecard source (the file field follows, so
/// the source's properties do not put back an older file). Returns how many sources took it.
int setThemeEverywhere(const std::string &theme);

/// Every Cuecard source loads its settings again (its theme, and its pictures are prepared
/// anew: after the rep changed what may be fetched). Returns how many sources there were.
int reloadOverlaySources();

/// A built-in theme's name or a theme file for the Cuecard source named `sourceName` only ("":
/// for every one, as setThemeEverywhere). Returns how many sources took it.
int setThemeFor(const std::string &sourceName, const std::string &theme);

/// Every Cuecard source's name and the theme it uses, in OBS's order.
struct SourceTheme {
    std::string source;
    std::string theme;
    bool operator==(const SourceTheme &) const = default;
};
std::vector<SourceTheme> overlayThemes();

} // namespace cuecard::obs
