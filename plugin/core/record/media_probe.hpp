// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// What a recording on disk still holds: how many video frames a player can read from it, how
/// long they last, and the Cuecard recipient it was written for. Used on resume to describe a
/// file that a crash or a kill left unfinished (it is never rewritten, only described).

#include "core/util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace cuecard {

struct MediaProbe {
    std::int64_t frames = 0;       ///< whole video packets a player can read
    double duration = 0.0;         ///< seconds of video in those frames
    std::int64_t audioSamples = 0; ///< per channel, in whole audio packets
    std::string recipientId;       ///< the CUECARD_RECIPIENT_ID tag, "" when absent
    std::string title;             ///< the title tag (the recipient's name)
    std::string comment;           ///< the comment tag ("Cuecard recipient id=… take=N")
};

/// Reads the container without decoding (a long file is read in about the time it takes to
/// read it from disk). A file that cannot be opened at all is an error naming the file.
Result<MediaProbe> probeMedia(const std::filesystem::path &path);

} // namespace cuecard
