// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/queue_theme_args.hpp"

namespace cuecard::cli {

bool parseQueueThemeArgs(const std::vector<std::string> &args, QueueThemeArgs &out,
                         std::string &error) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if ((a == "--queue" || a == "--theme") && i + 1 >= args.size()) {
            error = a + " needs a value";
            return false;
        }
        if (a == "--queue") {
            out.queuePath = args[++i];
        } else if (a == "--theme") {
            out.themeName = args[++i];
        } else {
            error = "unknown option \"" + a + "\"";
            return false;
        }
    }
    if (out.queuePath.empty()) {
        error = "--queue is required";
        return false;
    }
    return true;
}

} // namespace cuecard::cli
