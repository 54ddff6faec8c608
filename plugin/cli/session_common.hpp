// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// What `cuecard session` with a queue file and with a team campaign share: the messages, the
/// size option, the recorder's settings, the input's frames.

#include "core/record/media_reader.hpp"
#include "core/record/segment_recorder.hpp"
#include "core/recording/recording_session.hpp"
#include "core/session/session_hub.hpp"
#include "core/util/image.hpp"

#include <cstdint>
#include <functional>
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

/// What a session without OBS records: a video file or the test pattern (with a tone).
struct SessionInput {
    MediaReader *reader = nullptr; ///< null: the test pattern
    double duration = 0.0;         ///< the test pattern's length; 0: until `cue` ends it
    bool audio = true;             ///< the input's audio (or the test tone) goes into the files
    bool realtime = false;         ///< frames paced to the wall clock, like a live recording
    std::pair<int, int> rate{30, 1};
    int width = 1280;
    int height = 720;
};

/// How a session without OBS ended.
struct SessionEnd {
    std::string why;     ///< "" when the input ended; else what stopped it
    bool failed = false; ///< a frame could not be recorded (`why` says why)
    std::int64_t audioSamples = 0;
};

/// Before each frame: moves the hub's cursor when a switch is due at `timestampNs` and returns
/// the overlay of the hub's current recipient, or nullptr (with `why`) to end the session.
using SessionCue = std::function<const Image *(std::uint64_t timestampNs, std::string &why)>;

/// Records `input` through `session` on a synthetic clock, frame i at i/fps seconds, the way
/// OBS's frames go: `cue` moves the cursor, the CLI's overlay (`source`, registered with the
/// hub before the session started) is ready at once, the hub's tick decides on this frame
/// whether the switch becomes visible (the recording cuts there), then the frame with the
/// overlay on it and its audio are pushed.
SessionEnd driveSession(RecordingSession &session, SessionHub &hub, SessionHub::SourceId source,
                        const SessionInput &input, const SessionCue &cue);

} // namespace cuecard::cli
