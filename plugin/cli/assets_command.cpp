// SPDX-License-Identifier: GPL-2.0-or-later
// cuecard assets --session DIR: (re)builds the email assets (poster, animated preview, HTML
// snippet) of every finished recording a session folder's manifest lists, with a progress bar;
// what is already there is kept, nothing is overwritten.

#include "cli/asset_args.hpp"
#include "cli/commands.hpp"
#include "cli/progress_bar.hpp"

#include "core/record/email_assets.hpp"
#include "core/record/manifest.hpp"

extern "C" {
#include <libavutil/log.h>
}

#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace cuecard::cli {
namespace {

int usageError(const std::string &message) {
    std::fprintf(stderr, "cuecard assets: %s\n", message.c_str());
    std::fprintf(stderr, "usage: cuecard assets --session DIR %s\n", kAssetUsage);
    return 2;
}

} // namespace

int assetsCommand(const std::vector<std::string> &args) {
    std::string folder;
    AssetOptions options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i + 1 >= args.size()) {
            return usageError(args[i] + " needs a value");
        }
        const std::string &a = args[i];
        const std::string &v = args[++i];
        std::string error;
        if (a == "--session") {
            folder = v;
        } else if (!parseAssetOption(a, v, options, error)) {
            return usageError("unknown option \"" + a + "\"");
        }
        if (!error.empty()) {
            return usageError(error);
        }
    }
    if (folder.empty()) {
        return usageError("--session DIR is required (a folder a session recorded into)");
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(std::filesystem::path(folder) / "manifest.json", ec)) {
        std::fprintf(stderr, "cuecard assets: %s has no manifest.json: is it a session folder?\n",
                     folder.c_str());
        return 1;
    }
    std::string note;
    const Manifest manifest = Manifest::load(folder, note);
    if (!note.empty()) {
        std::fprintf(stderr, "cuecard assets: %s\n", note.c_str());
        return 1;
    }
    av_log_set_level(AV_LOG_ERROR);
    // Finished recordings that are still on disk and have frames.
    std::vector<ManifestEntry> todo;
    int already = 0;
    for (const ManifestEntry &e : manifest.entries()) {
        if (e.status == "recording" || e.frames <= 0 ||
            !std::filesystem::is_regular_file(std::filesystem::path(folder) / e.file, ec)) {
            continue;
        }
        if (hasEmailAssets(folder, e)) {
            ++already;
        } else {
            todo.push_back(e);
        }
    }
    int made = 0;
    int failed = 0;
    double cpu = 0.0;
    for (std::size_t k = 0; k < todo.size(); ++k) {
        ManifestEntry &e = todo[k];
        progressBar(static_cast<int>(k), static_cast<int>(todo.size()), e.file);
        auto built = buildEmailAssets(folder, e, options);
        Status saved = built ? updateManifestAssets(folder, e) : Status::success();
        if (!built || !saved) {
            ++failed;
            std::fprintf(stderr, "%scuecard assets: %s: %s\n",
                         isatty(STDERR_FILENO) != 0 ? "\n" : "", e.file.c_str(),
                         (!built ? built.message() : saved.message()).c_str());
            continue;
        }
        if (built->built == 0) {
            ++already; // all three were on disk; now the manifest lists them too
            continue;
        }
        ++made;
        cpu += built->cpuSeconds;
        std::printf("%s: %s, %s (%lld KB, %d×%d, %d frames at %d fps), %s\n", e.file.c_str(),
                    e.poster.c_str(), e.previewGif.c_str(),
                    static_cast<long long>(e.previewBytes / 1024), built->gifWidth,
                    built->gifHeight, built->gifFrames, built->gifFps, e.emailHtml.c_str());
    }
    progressBar(static_cast<int>(todo.size()), static_cast<int>(todo.size()), "done");
    if (isatty(STDERR_FILENO) != 0) {
        std::fputc('\n', stderr);
    }
    std::printf("assets made for %d file(s), %d already had them, %d failed (%.1f s CPU)\n", made,
                already, failed, cpu);
    return failed == 0 ? 0 : 1;
}

} // namespace cuecard::cli
