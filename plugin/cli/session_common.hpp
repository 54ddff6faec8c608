// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// What `cuecard session` with a queue file and with a team campaign share: the messages, the
/// size option, the recorder's settings, the input's frames.

#include "core/record/media_reader.hpp"
#include "core/record/segment_recorder.hpp"
#include "core/util/image.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace cuecard::cli {

/// "cuecard session: MESSAGE" on stderr; returns 1.
int sessionFail(const std::string &message);

/// "1280x720" → width, height (throws std::invalid_argument when it is not WxH).
void parseSize(const std::string &value, int &width, int &height);

/// The recorder's settings for a session into `folder` (CUECARD_MIN_FREE_BYTES read here).
RecorderOptions sessionRecorderOptions(const std::string &folder, int width, int height,
                                       std::pair<int, int> rate, const std::string &container);

/// The next input frame into `frame`: the test pattern (frame `index`) or the reader's next;
/// false at the end of the input.
bool nextInputFrame(MediaReader *reader, std::int64_t index, Image &frame);

/// `frame` as the recorder's input at `timestampNs`.
VideoInput rgbaInput(const Image &frame, std::uint64_t timestampNs);

} // namespace cuecard::cli
