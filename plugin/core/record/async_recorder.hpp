// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// SegmentRecorder on a thread of its own, for OBS: raw frames are copied into a queue and the
/// encoding happens off OBS's video and audio threads. Boundaries, pauses and stop go through
/// the same queue, so their order relative to the frames is kept exactly.

#include "core/record/segment_recorder.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <variant>

namespace cuecard {

class AsyncRecorder {
  public:
    /// `onFileClosed` runs on the encoder thread after each file closes.
    static Result<std::unique_ptr<AsyncRecorder>>
    create(RecorderOptions options, std::function<void(const ManifestEntry &)> onFileClosed = {});
    ~AsyncRecorder();

    void addBoundary(std::uint64_t timestampNs, Recipient recipient, int take,
                     double overlayAt = 0.0, std::string origin = {});
    void addChapter(std::uint64_t timestampNs, std::string title);
    void addPause(std::uint64_t timestampNs);
    /// Copies the frame (I420, NV12 or RGBA at the encoder size).
    void pushVideo(const VideoInput &frame);
    void pushAudio(std::uint64_t timestampNs, const float *const *planes, int frames);
    /// Finishes everything queued, closes the files; returns the first error, if any.
    Status stop();

    /// The first error the encoder thread met (recording stops there), or "".
    std::string error() const;
    const Manifest &manifest() const { return recorder_->manifest(); }

  private:
    struct Video {
        VideoInput frame;
        std::vector<std::uint8_t> planes[3];
    };
    struct Audio {
        std::uint64_t timestampNs;
        std::vector<std::vector<float>> planes;
        int frames;
    };
    struct Boundary {
        std::uint64_t timestampNs;
        std::optional<Recipient> recipient;
        int take;
        double overlayAt = 0.0;
        std::string origin;
    };
    struct ChapterItem {
        std::uint64_t timestampNs;
        std::string title;
    };
    using Item = std::variant<Video, Audio, Boundary, ChapterItem>;
    AsyncRecorder() = default;
    void run();
    void enqueue(Item item);

    std::unique_ptr<SegmentRecorder> recorder_;
    int channels_ = 2;
    int height_ = 0;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Item> queue_;
    bool stopping_ = false;
    std::string error_;
    std::thread thread_;
};

} // namespace cuecard
