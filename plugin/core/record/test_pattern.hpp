// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A synthetic input whose every frame carries its own index in big black and white blocks that
/// survive H.264 compression, over a moving gradient; and a known audio signal. Used by
/// `cuecard session --testsrc` and by the tests that check every frame lands in the right file.

#include "core/util/image.hpp"

#include <cstdint>
#include <vector>

namespace cuecard {

constexpr int kPatternBits = 20;

/// Block size in pixels for a frame of this width.
int patternBlock(int width);

/// Draws background and index into an opaque RGBA image.
void drawTestFrame(Image &frame, std::int64_t index);

/// Reads the index back from a luma plane (Y of I420, 0..255); -1 when unreadable.
std::int64_t readFrameIndex(const std::uint8_t *luma, int linesize, int width, int height);

/// The test tone: a 440 Hz sine (left) and 660 Hz (right) at -12 dBFS, sample `first` onwards.
void fillTestTone(std::vector<std::vector<float>> &planes, std::int64_t first, int frames,
                  int sampleRate);

} // namespace cuecard
