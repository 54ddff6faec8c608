// SPDX-License-Identifier: GPL-2.0-or-later
// cuecard prepare: fetches and decodes every picture a theme needs for a queue, so that a
// session runs offline and no switch ever waits on the network. Progress on stderr, one line
// per problem in the `cuecard check` style on stdout, exit codes like check.

#include "cli/commands.hpp"

#include "cli/data_dirs.hpp"
#include "cli/queue_theme_args.hpp"
#include "core/picture/picture_loader.hpp"
#include "core/picture/recipient_pictures.hpp"
#include "core/queue/queue.hpp"
#include "core/theme/theme.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

namespace cuecard::cli {
namespace {

int usageError(const std::string &message) {
    std::fprintf(stderr, "cuecard prepare: %s\n", message.c_str());
    std::fprintf(stderr, "usage: cuecard prepare --queue FILE [--theme NAME|FILE]\n");
    return 3;
}

} // namespace

int prepareCommand(const std::vector<std::string> &args) {
    QueueThemeArgs options;
    if (std::string error; !parseQueueThemeArgs(args, options, error)) {
        return usageError(error);
    }
    const std::string &queuePath = options.queuePath;
    const std::string &themeName = options.themeName;
    const Queue queue = readQueue(queuePath);
    if (queue.recipients.empty()) {
        std::printf("%s\n", queue.fatalMessage().c_str());
        return 2;
    }
    auto theme = loadTheme(themeName, dataDirs());
    if (!theme) {
        std::printf("%s: error: %s\n", themeName.c_str(), theme.message().c_str());
        return 2;
    }
    if (Status s = theme->check(queue.columns); !s) {
        std::printf("%s: error: %s\n", queue.source.c_str(), s.message().c_str());
        return 2;
    }
    const bool hasPictures = theme->hasPictures();
    if (!hasPictures) {
        std::printf("%s: theme %s has no pictures: nothing to prepare\n", queue.source.c_str(),
                    theme->name.c_str());
        return 0;
    }
    PictureLoader loader;
    const std::filesystem::path folder =
        std::filesystem::absolute(std::filesystem::path(queuePath)).parent_path();
    const bool tty = ::isatty(STDERR_FILENO) != 0;
    const auto start = std::chrono::steady_clock::now();
    int warnings = 0;
    int ready = 0;
    const int total = static_cast<int>(queue.recipients.size());
    for (int i = 0; i < total; ++i) {
        const Recipient &r = queue.recipients[static_cast<std::size_t>(i)];
        const RecipientPictures pictures = loadRecipientPictures(theme.value(), r, folder, loader);
        for (const auto &note : pictures.notes) {
            std::printf("%s:%d: #%d %s: warning: picture %s\n", queue.source.c_str(), r.line,
                        r.index, r.displayName().c_str(), note.c_str());
            ++warnings;
        }
        ready += pictures.notes.empty() ? 1 : 0;
        // A progress bar on a terminal; a line every 10 recipients otherwise (logs, CI).
        const int done = i + 1;
        if (tty) {
            const int width = 30;
            const int filled = done * width / total;
            std::fprintf(stderr, "\r[%s%s] %d/%d",
                         std::string(static_cast<std::size_t>(filled), '#').c_str(),
                         std::string(static_cast<std::size_t>(width - filled), '.').c_str(), done,
                         total);
            std::fflush(stderr);
        } else if (done % 10 == 0 || done == total) {
            std::fprintf(stderr, "prepared %d/%d\n", done, total);
        }
    }
    if (tty) {
        std::fprintf(stderr, "\n");
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s: %d recipients, %d with every picture ready, %d warning(s), %.1f s; pictures "
                "are cached in %s\n",
                queue.source.c_str(), total, ready, warnings, seconds,
                PictureCache::defaultFolder().c_str());
    return warnings > 0 ? 1 : 0;
}

} // namespace cuecard::cli
