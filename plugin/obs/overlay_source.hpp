// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
#include <obs-module.h>

namespace cuecard::obs {

/// The cuecard_overlay source type.
obs_source_info makeOverlaySourceInfo();

} // namespace cuecard::obs
