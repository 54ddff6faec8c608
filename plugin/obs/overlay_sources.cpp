// SPDX-License-Identifier: GPL-2.0-or-later
#include "obs/overlay_sources.hpp"

#include "obs/plugin_state.hpp"

#include <obs-module.h>

#include <string_view>

namespace cuecard::obs {

std::vector<obs_source_t *> overlaySources() {
    std::vector<obs_source_t *> out;
    obs_enum_sources(
        [](void *param, obs_source_t *source) {
            const char *id = obs_source_get_unversioned_id(source);
            if (id != nullptr && std::string_view(id) == "cuecard_overlay") {
                static_cast<std::vector<obs_source_t *> *>(param)->push_back(source);
            }
            return true;
        },
        &out);
    return out;
}

namespace {

/// Sets and applies `values` on the sources named `only` ("": all); how many there were.
int applyTo(const std::string &only,
            const std::vector<std::pair<const char *, std::string>> &values) {
    int n = 0;
    for (obs_source_t *source : overlaySources()) {
        if (!only.empty() && only != obs_source_get_name(source)) {
            continue;
        }
        ++n;
        obs_data_t *settings = obs_data_create();
        for (const auto &[key, value] : values) {
            obs_data_set_string(settings, key, value.c_str());
        }
        obs_source_update(source, settings);
        obs_data_release(settings);
    }
    return n;
}

std::vector<std::pair<const char *, std::string>> themeValues(const std::string &theme) {
    const bool file = theme.find('/') != std::string::npos || theme.ends_with(".json");
    return {{"theme", theme}, {"theme_file", file ? theme : ""}};
}

} // namespace

int applyToOverlaySources(const std::vector<std::pair<const char *, std::string>> &values) {
    return applyTo({}, values);
}

int openQueueEverywhere(const std::string &path) {
    const int n = applyToOverlaySources({{"queue_path", path}});
    if (n == 0) {
        // Opening a campaign makes a folder: on the task thread, never the caller's (OBS's UI
        // or websocket thread).
        state().tasks.post([path] { state().campaigns.open(path); });
    }
    return n;
}

int setThemeEverywhere(const std::string &theme) {
    return applyTo({}, themeValues(theme));
}

int setThemeFor(const std::string &sourceName, const std::string &theme) {
    return applyTo(sourceName, themeValues(theme));
}

int reloadOverlaySources() {
    return applyToOverlaySources({});
}

std::vector<SourceTheme> overlayThemes() {
    std::vector<SourceTheme> out;
    for (obs_source_t *source : overlaySources()) {
        obs_data_t *settings = obs_source_get_settings(source);
        std::string theme = obs_data_get_string(settings, "theme");
        obs_data_release(settings);
        out.push_back({obs_source_get_name(source), theme.empty() ? "default" : theme});
    }
    return out;
}

} // namespace cuecard::obs
