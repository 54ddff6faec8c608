// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// The rep's own settings in OBS (OBS 31 split the app's settings from the user's).

#include <obs-frontend-api.h>
#include <obs-module.h>
#include <util/config-file.h>

namespace cuecard::obs {

inline config_t *userConfig() {
#if LIBOBS_API_MAJOR_VER >= 31
    return obs_frontend_get_user_config();
#else
    return obs_frontend_get_global_config();
#endif
}

} // namespace cuecard::obs
