// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Reads a video file for `cuecard session --input`: video frames scaled to the session's size
/// as RGBA, audio resampled to planar float at the session's rate and channel count.

#include "core/util/image.hpp"
#include "core/util/result.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace cuecard {

class MediaReader {
  public:
    static Result<std::unique_ptr<MediaReader>> open(const std::filesystem::path &path, int width,
                                                     int height, int sampleRate, int channels);
    ~MediaReader();

    /// The next video frame, or nullopt at the end of the file.
    std::optional<Image> nextVideo();
    /// Audio decoded so far, per channel, removed from the reader.
    std::vector<std::vector<float>> takeAudio();
    /// The input's frame rate (numerator, denominator); 30/1 when unknown.
    std::pair<int, int> frameRate() const;

  private:
    MediaReader() = default;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace cuecard
