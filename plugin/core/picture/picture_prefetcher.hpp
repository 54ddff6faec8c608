// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Prepares recipients' pictures on a thread of its own, ahead of their switch: the source asks
/// for the current and next recipients every time they change (want), and takes what is ready
/// (ready) without ever waiting. A recipient whose pictures are not ready yet gets the theme's
/// own fallbacks (prepared first), with a note saying so: a switch never waits on the network
/// or a decoder. Memory is bounded: the pictures of the last `keep` recipients asked for.
/// When idle, it prepares the rest of the queue too (prepareAll): every picture fetched or
/// captured into the disk cache and decoded once, so problems show before the rep reaches that
/// recipient, and a session can go offline; progress and problems are published as it goes.

#include "core/picture/picture_loader.hpp"
#include "core/picture/recipient_pictures.hpp"
#include "core/theme/theme.hpp"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cuecard {

/// How far preparing a whole queue's pictures is.
struct PrepareProgress {
    std::size_t total = 0;        ///< recipients in the queue
    std::size_t prepared = 0;     ///< whose pictures were loaded at least once
    std::size_t withProblems = 0; ///< of those, with a note (fallback used, left out)
    /// "#6 Jane Doe: elements[2] {logo}: …: HTTP 404; fallback used", queue order of discovery,
    /// the first kMaxProblems.
    std::vector<std::string> problems;
    static constexpr std::size_t kMaxProblems = 200;
    /// Every problem note by recipient id, without the "#6 Jane Doe: " (the dock's rows).
    std::map<std::string, std::vector<std::string>> notesById;
    bool running() const { return prepared < total; }
    /// "Pictures: 37 of 100 prepared… · 2 with problems:" and the first `lines` problems (the
    /// dock's text).
    std::string summary(std::size_t lines) const;
};

class PicturePrefetcher {
  public:
    explicit PicturePrefetcher(PictureLoaderOptions options = {}, std::size_t keep = 8);
    ~PicturePrefetcher();
    PicturePrefetcher(const PicturePrefetcher &) = delete;
    PicturePrefetcher &operator=(const PicturePrefetcher &) = delete;

    /// A new theme or queue folder: what was prepared is dropped; the theme's fallbacks are
    /// prepared first. A theme without image elements needs nothing.
    void reset(std::shared_ptr<const Theme> theme, std::filesystem::path queueFolder);
    /// Prepares these recipients (in this order) before any asked for earlier. Never blocks.
    void want(const std::vector<Recipient> &recipients);
    /// The recipient's pictures if prepared; else the theme's fallbacks (with a note that the
    /// recipient's were not ready); nullptr when the theme has no pictures. Never blocks.
    std::shared_ptr<const RecipientPictures> ready(const Recipient &recipient) const;
    /// Prepares every recipient `queue()` returns (called on the prefetcher's thread, so the
    /// caller never copies a queue), after anyone wanted. Again after a reset or a new queue.
    void prepareAll(std::function<std::vector<Recipient>()> queue);
    PrepareProgress progress() const;
    /// Called on the prefetcher's thread after each recipient of the queue is prepared (and
    /// when a new queue starts); must not block. Once a new one is set (nullptr: none), the old
    /// one is not running and never runs again.
    void setOnProgress(std::function<void(const PrepareProgress &)> onProgress);
    /// True once every recipient asked for so far (and the whole queue, after prepareAll) has
    /// been prepared (tests, progress).
    bool idle() const;
    /// Waits until idle (tests and the CLI only).
    void waitIdle() const;

  private:
    void run();
    bool idleLocked() const;
    /// Counts `recipient` as prepared (with its notes) if it is in the queue; with mutex_ held.
    void countPreparedLocked(const Recipient &recipient, const RecipientPictures &pictures);

    PictureLoader loader_;
    std::size_t keep_;
    mutable std::mutex mutex_;
    mutable std::condition_variable wake_;
    mutable std::condition_variable idle_;
    std::shared_ptr<const Theme> theme_;
    std::filesystem::path queueFolder_;
    std::uint64_t epoch_ = 0; ///< bumped by reset: work of an older epoch is dropped
    std::deque<Recipient> queue_;
    std::map<std::string, std::shared_ptr<const RecipientPictures>> ready_;
    std::deque<std::string> order_; ///< ids in ready_, oldest first
    std::shared_ptr<const RecipientPictures> fallbacks_;
    bool fallbacksDue_ = false;
    std::function<std::vector<Recipient>()> queueFetch_; ///< prepareAll asked, not read yet
    std::deque<Recipient> background_;                   ///< the queue, not prepared yet
    std::set<std::string> queueIds_;                     ///< ids of the queue's recipients
    std::set<std::string> preparedIds_;
    struct Problem {
        std::string id;   ///< the recipient's
        std::string line; ///< "#6 Jane Doe: note"
        std::string note;
    };
    std::vector<Problem> problems_;
    PrepareProgress progress_;
    std::mutex callbackMutex_; ///< held while onProgress_ runs (never with mutex_)
    std::function<void(const PrepareProgress &)> onProgress_;
    bool busy_ = false;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace cuecard
