// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/record/asset_worker.hpp"

namespace cuecard {

std::string AssetProgress::summary() const {
    std::string s = "assets: " + std::to_string(done) + "/" + std::to_string(queued) + " ready";
    if (failed > 0) {
        s += ", " + std::to_string(failed) + " failed";
    }
    return s;
}

AssetWorker::AssetWorker(AssetOptions options) : options_(std::move(options)) {}

AssetWorker::~AssetWorker() {
    closing_ = true; // what is queued is skipped; the file being made is finished
}

void AssetWorker::setOptions(AssetOptions options) {
    std::lock_guard lock(mutex_);
    options_ = std::move(options);
}

void AssetWorker::setOnDone(Done done) {
    std::lock_guard lock(mutex_);
    onDone_ = std::move(done);
}

void AssetWorker::add(std::filesystem::path folder, ManifestEntry entry) {
    if (entry.frames <= 0) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        ++progress_.queued;
    }
    thread_.post([this, folder = std::move(folder), entry = std::move(entry)]() mutable {
        build(folder, std::move(entry));
    });
}

AssetProgress AssetWorker::progress() const {
    std::lock_guard lock(mutex_);
    return progress_;
}

void AssetWorker::waitIdle() {
    thread_.drain();
}

void AssetWorker::build(const std::filesystem::path &folder, ManifestEntry entry) {
    AssetOptions options;
    {
        std::lock_guard lock(mutex_);
        options = options_;
    }
    std::string error;
    EmailAssets assets;
    if (closing_) {
        error = "not made: the recorder closed first (run cuecard assets --session " +
                folder.string() + ")";
    } else {
        auto built = buildEmailAssets(folder, entry, options);
        if (!built) {
            error = built.message();
        } else {
            assets = built.value();
            if (Status saved = updateManifestAssets(folder, entry); !saved) {
                error = saved.message();
            }
        }
    }
    Done done;
    {
        std::lock_guard lock(mutex_);
        progress_.cpuSeconds += assets.cpuSeconds;
        if (error.empty()) {
            ++progress_.done;
            progress_.lastPoster = folder / entry.poster;
            if (assets.thumbnail.width > 0) {
                progress_.lastThumbnail = std::make_shared<const Image>(assets.thumbnail);
            }
        } else {
            ++progress_.failed;
            progress_.errors.push_back(entry.file + ": " + error);
        }
        done = onDone_;
    }
    if (done) {
        done(entry, error, assets);
    }
}

} // namespace cuecard
