// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Decodes a recording back for the tests: every video frame's luma (for the frame index
// pattern), key/picture type and pts, and the audio samples after the encoder delay.

#include <cstdint>
#include <string>
#include <vector>

namespace cuecard::test {

struct DecodedFrame {
    std::int64_t index = -1; ///< read from the pattern; -1 when unreadable
    bool key = false;
    char pictType = '?';
    double pts = 0.0;              ///< seconds
    std::vector<std::uint8_t> rgb; ///< filled only when asked for
};

struct DecodedFile {
    std::string error;
    std::vector<DecodedFrame> frames;
    std::int64_t audioSamples = 0; ///< per channel, as decoded
    int audioPriming = 0;          ///< encoder-delay samples included in audioSamples
    double audioStart = -1.0;      ///< seconds: first audio packet plus the priming it says to skip
    int width = 0;
    int height = 0;
    std::string title;
    std::string comment;
};

/// `rgbFrames`: indexes of frames to keep as RGB (negative counts from the end: -1 = last).
DecodedFile decodeFile(const std::string &path, std::vector<int> rgbFrames = {});

} // namespace cuecard::test
