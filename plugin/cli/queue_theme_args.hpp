// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The `--queue FILE [--theme NAME|FILE]` command line that check and prepare share.

#include <string>
#include <vector>

namespace cuecard::cli {

struct QueueThemeArgs {
    std::string queuePath;
    std::string themeName = "default";
};

/// Parses `args`; on a mistake returns false with `error` set ("--queue is required").
bool parseQueueThemeArgs(const std::vector<std::string> &args, QueueThemeArgs &out,
                         std::string &error);

} // namespace cuecard::cli
