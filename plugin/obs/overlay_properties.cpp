// SPDX-License-Identifier: GPL-2.0-or-later
#include "obs/overlay_properties.hpp"

#include "core/theme/theme_loader.hpp"
#include "obs/log.hpp"

#include <obs.hpp>

namespace cuecard::obs {

std::string themeOf(obs_data_t *settings) {
    const char *theme = obs_data_get_string(settings, "theme");
    return theme != nullptr && *theme != '\0' ? theme : "default";
}

std::string cornersIn(obs_data_t *settings) {
    const std::string theme = themeOf(settings);
    std::string saved;
    if (OBSDataAutoRelease quads = obs_data_get_obj(settings, "quads"); quads != nullptr) {
        saved = obs_data_get_string(quads, theme.c_str());
    }
    return cornersFor(theme, obs_data_get_string(settings, "quad"),
                      obs_data_get_string(settings, "quad_theme"), saved);
}

void setCorners(obs_data_t *settings, const std::string &theme, const std::string &corners,
                obs_data_t *keptIn) {
    OBSDataAutoRelease quads = obs_data_create();
    if (OBSDataAutoRelease before = obs_data_get_obj(keptIn, "quads"); before != nullptr) {
        obs_data_apply(quads, before);
    }
    obs_data_set_string(quads, theme.c_str(), corners.c_str());
    obs_data_set_string(settings, "quad", corners.c_str());
    obs_data_set_string(settings, "quad_theme", theme.c_str());
    obs_data_set_obj(settings, "quads", quads);
}

namespace {

/// The dialog's theme changed (or the dialog opened): its corners field shows that theme's own
/// corners, the ones kept for it (corners belong to a theme).
bool themeChosen(obs_properties_t *, obs_property_t *, obs_data_t *settings) {
    return guarded("theme chosen", [&] {
        const std::string theme = themeOf(settings);
        if (theme == obs_data_get_string(settings, "quad_theme")) {
            return false;
        }
        setCorners(settings, theme, cornersIn(settings), settings);
        return true;
    });
}

/// Corners typed in the dialog belong to the theme chosen there.
bool cornersTyped(obs_properties_t *, obs_property_t *, obs_data_t *settings) {
    return guarded("corners typed", [&] {
        const std::string corners = obs_data_get_string(settings, "quad");
        setCorners(settings, themeOf(settings), corners, settings);
        return false;
    });
}

bool themeFilePicked(obs_properties_t *, obs_property_t *, obs_data_t *settings) {
    return guarded("theme file", [&] {
        const char *file = obs_data_get_string(settings, "theme_file");
        if (file != nullptr && *file != '\0') {
            obs_data_set_string(settings, "theme", file);
        }
        return true;
    });
}

} // namespace

obs_properties_t *overlayProperties(const std::vector<std::string> &themeNames) {
    obs_properties_t *props = obs_properties_create();
    obs_properties_add_text(props, "status", obs_module_text("Cuecard.Status"), OBS_TEXT_INFO);
    obs_property_t *queue =
        obs_properties_add_path(props, "queue_path", obs_module_text("Cuecard.Queue"),
                                OBS_PATH_FILE, obs_module_text("Cuecard.QueueFilter"), nullptr);
    obs_property_set_long_description(queue, obs_module_text("Cuecard.Queue.Help"));
    obs_property_t *list =
        obs_properties_add_list(props, "theme", obs_module_text("Cuecard.Theme"),
                                OBS_COMBO_TYPE_EDITABLE, OBS_COMBO_FORMAT_STRING);
    for (const auto &name : themeNames) {
        obs_property_list_add_string(list, name.c_str(), name.c_str());
    }
    obs_property_t *file =
        obs_properties_add_path(props, "theme_file", obs_module_text("Cuecard.ThemeFile"),
                                OBS_PATH_FILE, obs_module_text("Cuecard.ThemeFilter"), nullptr);
    obs_property_set_long_description(file, obs_module_text("Cuecard.ThemeFile.Help"));
    obs_property_set_modified_callback(file, themeFilePicked);
    obs_property_set_modified_callback(list, themeChosen);
    obs_property_t *quad =
        obs_properties_add_text(props, "quad", obs_module_text("Cuecard.Quad"), OBS_TEXT_DEFAULT);
    obs_property_set_long_description(quad, obs_module_text("Cuecard.Quad.Help"));
    obs_property_set_modified_callback(quad, cornersTyped);
    return props;
}

void overlayDefaults(obs_data_t *settings) {
    obs_data_set_default_string(settings, "theme", "default");
}

} // namespace cuecard::obs
