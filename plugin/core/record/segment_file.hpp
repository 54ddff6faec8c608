// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// One recording file: H.264 video (libx264 by default, a hardware encoder when asked for and
/// working) and AAC audio, muxed to MKV (written incrementally: a crash leaves a playable file)
/// or MP4 (finalized on close). Each file has encoders of its own, so its first frame is an IDR
/// and its timestamps start at zero.

#include "core/util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cuecard {

struct EncoderSettings {
    int width = 1280;
    int height = 720;
    int fpsNum = 30;
    int fpsDen = 1;
    /// "libx264", or "auto" (a hardware H.264 encoder if one opens, else libx264).
    std::string videoEncoder = "libx264";
    std::string preset = "veryfast";
    int crf = 23;
    bool audio = true;
    int sampleRate = 48000;
    int channels = 2;
    int audioBitrate = 160000;
    std::string container = "mkv"; ///< mkv or mp4
};

enum class PixelLayout { RGBA, I420, NV12 };

struct VideoInput {
    std::uint64_t timestampNs = 0;
    PixelLayout layout = PixelLayout::I420;
    const std::uint8_t *data[3] = {nullptr, nullptr, nullptr};
    int linesize[3] = {0, 0, 0};
};

class SegmentFile {
  public:
    /// Creates the file (which must already exist, claimed empty by claimNewFile) and opens the
    /// encoders. `metadata` goes into the container (title, comment…).
    static Result<std::unique_ptr<SegmentFile>>
    open(const std::filesystem::path &path, const EncoderSettings &settings,
         const std::vector<std::pair<std::string, std::string>> &metadata);
    ~SegmentFile();
    SegmentFile(const SegmentFile &) = delete;
    SegmentFile &operator=(const SegmentFile &) = delete;

    Status writeVideo(const VideoInput &frame);
    /// Planar float samples, `frames` per channel.
    Status writeAudio(const float *const *planes, int frames);
    /// A chapter from `seconds` into the file (to the next chapter or the end), written when
    /// the file is closed; a "Start" chapter covers the time before the first one.
    void addChapter(double seconds, const std::string &title);
    /// Flushes the encoders and finishes the container. Safe to call twice.
    Status close();

    std::int64_t frames() const { return frames_; }
    std::int64_t audioSamples() const { return audioSamples_; }

  private:
    SegmentFile() = default;
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::int64_t frames_ = 0;
    std::int64_t audioSamples_ = 0;
    bool closed_ = false;
};

} // namespace cuecard
