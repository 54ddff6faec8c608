// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The frame-exact recorder: raw video frames and audio samples in, one file per recipient out.
/// The session publishes each switch as a video timestamp; the first frame at or after it starts
/// a new file (new encoders, so an IDR), and audio is cut at the sample with the same time, so
/// no frame and no sample of one recipient lands in another's file. Audio is held back until
/// the video has passed it, because a switch is only known once its frame is rendered.
/// After each file closes the manifest is rewritten; free disk space is watched and the
/// recording stops cleanly before the disk is full.

#include "core/queue/recipient.hpp"
#include "core/record/manifest.hpp"
#include "core/record/segment_file.hpp"
#include "core/template/file_name.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cuecard {

struct RecorderOptions {
    std::filesystem::path folder;
    EncoderSettings encoder;
    std::string fileNamePattern = kDefaultFileNamePattern;
    /// Stop cleanly when less than this is free on the output folder's disk.
    std::uint64_t minFreeBytes = 256ull * 1024 * 1024;
};

class SegmentRecorder {
  public:
    static Result<std::unique_ptr<SegmentRecorder>> create(RecorderOptions options);
    ~SegmentRecorder();

    /// From the first video frame at or after `timestampNs`, frames belong to `recipient`,
    /// take `take`, in a new file.
    /// `overlayAt`: seconds into that file from which the overlay is fully shown (its
    /// in-animation is over), for the poster and the animated preview.
    /// `origin`: the queue they come from, handed back in the file's ManifestEntry::origin.
    void addBoundary(std::uint64_t timestampNs, Recipient recipient, int take,
                     double overlayAt = 0.0, std::string origin = {});
    /// A chapter from the first frame at or after `timestampNs`, in the file being written then
    /// (none while paused); listed in the manifest.
    void addChapter(std::uint64_t timestampNs, std::string title);
    /// From the first frame at or after `timestampNs`, nothing is written until the next
    /// boundary (standby: reading the next person's notes is not recorded).
    void addPause(std::uint64_t timestampNs);

    Status pushVideo(const VideoInput &frame);
    /// Planar float samples at the encoder's rate and channel count; `timestampNs` is the time
    /// of the first sample.
    Status pushAudio(std::uint64_t timestampNs, const float *const *planes, int frames);
    /// Writes what is held back, closes the current file and the manifest. `status` is
    /// recorded for that file ("complete", or why it stopped).
    Status stop(const std::string &status = "complete");

    bool stopped() const { return stopped_; }
    /// Every file in the folder's history: earlier sessions' first, then this recorder's.
    const Manifest &manifest() const { return manifest_; }
    /// How many files this recorder wrote (the manifest's entries from this index on).
    std::size_t filesThisRun() const { return manifest_.entries().size() - firstEntryThisRun_; }
    /// Called after each file is closed and the manifest saved.
    void setOnFileClosed(std::function<void(const ManifestEntry &)> f) {
        onFileClosed_ = std::move(f);
    }

  private:
    struct Mark {
        std::uint64_t timestampNs;
        std::optional<Recipient> recipient; ///< nullopt: pause
        int take;
        double overlayAt = 0.0;
        std::string origin;
    };
    struct ChapterMark {
        std::uint64_t timestampNs;
        std::string title;
    };
    struct AudioChunk {
        std::uint64_t timestampNs;
        std::vector<std::vector<float>> planes;
        int frames;
    };
    SegmentRecorder() = default;
    Status openFor(const Mark &mark, std::uint64_t frameTs);
    Status closeCurrent(const std::string &status);
    Status flushAudioBefore(std::uint64_t untilNs);
    Status checkDisk();

    RecorderOptions options_;
    FileNameTemplate names_;
    Manifest manifest_{""};
    std::deque<Mark> marks_;
    std::deque<ChapterMark> chapters_;
    std::deque<AudioChunk> audio_;
    std::unique_ptr<SegmentFile> file_;
    std::optional<std::size_t> entry_; ///< manifest entry of the open file
    std::size_t firstEntryThisRun_ = 0;
    bool paused_ = true; ///< nothing is written before the first boundary
    bool stopped_ = false;
    std::uint64_t sessionStartNs_ = 0;
    bool haveStart_ = false;
    std::uint64_t segmentStartNs_ = 0;
    std::uint64_t frameNs_ = 0;
    std::uint64_t lastVideoNs_ = 0;
    std::int64_t framesSinceDiskCheck_ = 0;
    std::function<void(const ManifestEntry &)> onFileClosed_;
};

} // namespace cuecard
