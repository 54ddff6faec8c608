// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/commands.hpp"

#include "cli/data_dirs.hpp"
#include "cli/queue_theme_args.hpp"
#include "core/picture/picture_loader.hpp"
#include "core/picture/recipient_pictures.hpp"
#include "core/queue/queue.hpp"
#include "core/render/overlay_composer.hpp"
#include "core/stage/preflight.hpp"
#include "core/theme/column_roles.hpp"
#include "core/theme/theme.hpp"
#include "core/util/utf8.hpp"

#include <algorithm>
#include <cstdio>

namespace cuecard::cli {
namespace {

int usageError(const std::string &message) {
    std::fprintf(stderr, "cuecard check: %s\n", message.c_str());
    std::fprintf(stderr, "usage: cuecard check --queue FILE [--theme NAME|FILE]\n");
    return 3;
}

} // namespace

int checkCommand(const std::vector<std::string> &args) {
    QueueThemeArgs options;
    if (std::string error; !parseQueueThemeArgs(args, options, error)) {
        return usageError(error);
    }
    const std::string &queuePath = options.queuePath;
    const std::string &themeName = options.themeName;

    const Queue queue = readQueue(queuePath);
    int worst = diagnosticsExitCode(queue.diagnostics);
    for (const auto &d : queue.diagnostics) {
        std::printf("%s\n", d.format().c_str());
    }
    const auto dirs = dataDirs();
    auto theme = loadTheme(themeName, dirs);
    if (!theme) {
        std::printf("%s: error: %s\n", themeName.c_str(), theme.message().c_str());
        return 2;
    }
    if (Status s = theme->check(queue.columns); !s) {
        std::printf("%s: error: %s\n", queue.source.c_str(), s.message().c_str());
        return 2;
    }
    auto fonts = FontCollection::create(fontDirs(dirs));
    if (!fonts) {
        std::printf("error: %s\n", fonts.message().c_str());
        return 2;
    }
    GlyphCache glyphs(*fonts.value());
    OverlayComposer composer(*fonts.value(), glyphs);

    int notes = 0;
    int warnings = queue.count(Severity::Warning);
    // Headers the queue names its own way: the field each became (templates may use either).
    if (!queue.headerFields.empty()) {
        std::string line;
        for (const auto &[header, field] : queue.headerFields) {
            line += (line.empty() ? "" : ", ") + ("\"" + header + "\" is {" + field + "}");
        }
        std::printf("%s: headers: %s\n", queue.source.c_str(), line.c_str());
    }
    // Which columns can reach the video, and which stay with the rep.
    const ColumnRoles roles = columnRoles(theme.value(), queue.columns);
    std::printf("%s: columns for theme %s: %s\n", queue.source.c_str(), theme->name.c_str(),
                roles.describe().c_str());
    for (const auto &advice : roles.advice) {
        std::printf("%s: note: %s\n", queue.source.c_str(), advice.c_str());
        ++notes;
    }
    // Pictures: local files are read and decoded; http(s) ones are checked from the picture
    // cache only (check never waits on the network): one not fetched yet is a note.
    const bool hasPictures = theme->hasPictures();
    PictureLoaderOptions offline;
    offline.network = false;
    PictureLoader pictureLoader(offline);
    const std::filesystem::path queueFolder =
        std::filesystem::absolute(std::filesystem::path(queuePath)).parent_path();
    for (const Recipient &r : queue.recipients) {
        const std::vector<PreflightLine> found = preflightRecipient(
            theme.value(), r, queue, composer, hasPictures ? &pictureLoader : nullptr, queueFolder);
        std::vector<std::string> lines;
        for (const PreflightLine &line : found) {
            lines.push_back(line.text);
            if (line.level == PreflightLine::Level::Error) {
                worst = 2;
            } else if (line.level == PreflightLine::Level::Warning) {
                worst = std::max(worst, 1);
                ++warnings;
            }
        }
        for (const auto &l : lines) {
            std::printf("%s:%d: #%d %s: %s\n", queue.source.c_str(), r.line, r.index,
                        r.displayName().c_str(), l.c_str());
            notes += l.rfind("note:", 0) == 0 ? 1 : 0;
        }
    }
    std::printf("%s: %zu recipients (%s), %d error(s), %d warning(s), %d note(s) for theme %s\n",
                queue.source.c_str(), queue.recipients.size(),
                queue.format.empty() ? "unreadable" : queue.format.c_str(),
                queue.count(Severity::Error), warnings, notes, theme->name.c_str());
    return worst;
}

} // namespace cuecard::cli
