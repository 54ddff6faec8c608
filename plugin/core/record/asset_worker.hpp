// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Builds each finished recording's email assets (poster, animated preview, HTML snippet) on a
/// thread of its own, one file after the other, and records them in the folder's manifest: the
/// recorder and OBS's threads never wait for it, and a failure is reported, never fatal to the
/// recording. Files still queued when it is destroyed are skipped (`cuecard assets` makes them).

#include "core/record/email_assets.hpp"
#include "core/record/manifest.hpp"
#include "core/util/task_thread.hpp"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cuecard {

struct AssetProgress {
    int queued = 0; ///< files given to the worker
    int done = 0;   ///< of those, with all their assets
    int failed = 0;
    std::filesystem::path lastPoster; ///< the latest poster made (a path)
    /// That poster, 256 px wide (premultiplied RGBA), for the dock; null before the first.
    std::shared_ptr<const Image> lastThumbnail;
    std::vector<std::string> errors; ///< "file: why", the latest last
    double cpuSeconds = 0.0;         ///< spent on the assets so far
    bool busy() const { return done + failed < queued; }
    /// "assets: 3/5 ready" (and ", 1 failed").
    std::string summary() const;
};

class AssetWorker {
  public:
    using Done = std::function<void(const ManifestEntry &entry, const std::string &error,
                                    const EmailAssets &assets)>;

    explicit AssetWorker(AssetOptions options = {});
    ~AssetWorker();
    AssetWorker(const AssetWorker &) = delete;
    AssetWorker &operator=(const AssetWorker &) = delete;

    void setOptions(AssetOptions options);
    /// Called on the worker's thread after each file (for a CLI's output or a log).
    void setOnDone(Done done);
    /// A closed recording in `folder` (a file without frames is skipped).
    void add(std::filesystem::path folder, ManifestEntry entry);
    AssetProgress progress() const;
    /// Waits until every file added so far is done (CLI, tests; never OBS's threads).
    void waitIdle();

  private:
    void build(const std::filesystem::path &folder, ManifestEntry entry);

    mutable std::mutex mutex_;
    AssetOptions options_;
    Done onDone_;
    AssetProgress progress_;
    std::atomic<bool> closing_{false};
    TaskThread thread_; ///< last: joined first, while the rest is still there
};

} // namespace cuecard
