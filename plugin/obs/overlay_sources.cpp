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

int applyToOverlaySources(const std::vector<std::pair<const char *, std::string>> &values) {
    const std::vector<obs_source_t *> sources = overlaySources();
    for (obs_source_t *source : sources) {
        obs_data_t *settings = obs_data_create();
        for (const auto &[key, value] : values) {
            obs_data_set_string(settings, key, value.c_str());
        }
        obs_source_update(source, settings);
        obs_data_release(settings);
    }
    return static_cast<int>(sources.size());
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
    const bool file = theme.find('/') != std::string::npos || theme.ends_with(".json");
    return applyToOverlaySources({{"theme", theme}, {"theme_file", file ? theme : ""}});
}

int reloadOverlaySources() {
    return applyToOverlaySources({});
}

std::string firstOverlayTheme() {
    const std::vector<obs_source_t *> sources = overlaySources();
    if (sources.empty()) {
        return {};
    }
    obs_data_t *settings = obs_source_get_settings(sources.front());
    std::string theme = obs_data_get_string(settings, "theme");
    obs_data_release(settings);
    return theme.empty() ? "default" : theme;
}

} // namespace cuecard::obs
