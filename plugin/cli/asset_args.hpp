// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The email-asset options `cuecard assets` and `cuecard session` share.

#include "core/record/email_assets.hpp"

#include <string>

namespace cuecard::cli {

/// Takes `option value` when it is an asset option: true when it was (then `error` says
/// whether the value was bad), false when the option is someone else's.
bool parseAssetOption(const std::string &option, const std::string &value, AssetOptions &out,
                      std::string &error);

/// The usage lines for those options.
extern const char *const kAssetUsage;

} // namespace cuecard::cli
