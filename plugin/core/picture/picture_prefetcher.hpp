#pragma once
/// \file
/// Prepares recipients' pictures on a thread of its own, ahead of their switch: the source asks
/// for the current and next recipients every time they change (want), and takes what is ready
/// (ready) without ever waiting. A recipient whose pictures are not ready yet gets the theme's
/// own fallbacks (prepared first), with a note saying so: a switch never waits on the network
/// or a decoder. Memory is bounded: the pictures of the last `keep` recipients asked for.

#include "core/picture/picture_loader.hpp"
#include "core/picture/recipient_pictures.hpp"
#include "core/theme/theme.hpp"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cuecard {

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
    /// True once every recipient asked for so far has been prepared (tests, progress).
    bool idle() const;
    /// Waits until idle (tests and the CLI only).
    void waitIdle() const;

  private:
    void run();

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
    bool busy_ = false;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace cuecard
