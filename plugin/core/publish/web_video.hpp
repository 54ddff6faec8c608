// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A recording as a browser plays it: the MKV (or MP4) Cuecard wrote, its H.264 video and AAC
/// audio copied as they are (no re-encoding, no quality lost) into an MP4 whose index comes
/// first ("faststart"), so playback starts before the whole file has arrived.

#include "core/util/result.hpp"

#include <filesystem>

namespace cuecard {

struct WebVideo {
    int width = 0;
    int height = 0;
};

/// Writes `out` (the caller gives a fresh name) from `in`; the video's size.
Result<WebVideo> remuxForWeb(const std::filesystem::path &in, const std::filesystem::path &out);

} // namespace cuecard
