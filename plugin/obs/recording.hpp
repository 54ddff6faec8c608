// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Recording sessions in OBS: the cuecard_recorder raw output (OBS's own ffmpeg_output pattern)
// fed by the program's video and audio, split frame-exactly at the session hub's boundaries.

#include <obs-module.h>

#include <string>

namespace cuecard::obs {

obs_output_info makeRecorderOutputInfo();

struct RecordingRequest {
    std::string folder;              ///< empty: OBS's recording folder / Cuecard / <queue name>
    std::string mode = "continuous"; ///< continuous | standby
    std::string format = "mkv";
    /// The email snippet's link, e.g. "https://videos.example.com/{file}"; empty: the file's name.
    std::string videoUrl;
    int gifMaxKb = 0; ///< the animated preview's budget; 0: 1024
};

/// Starts a recording session; "" on success, else the reason.
std::string startRecording(const RecordingRequest &request);
/// Stops it; "" on success, else the first error the recording met.
std::string stopRecording();
/// Standby mode: start writing the current recipient's file now.
std::string roll();
/// Marks a chapter in the file being recorded now (an empty title: "Chapter N"): Cuecard's own
/// file, or OBS's own recording on OBS 30.2+ (Hybrid MP4).
std::string chapter(const std::string &title);
/// What recording with OBS's own output gives on the OBS running now (for the dock).
std::string obsRecordingFeatures();

struct RecordingStatus {
    bool recording = false;
    bool standby = false; ///< waiting for roll
    std::string mode;
    std::string folder;
    std::string error;
};
RecordingStatus recordingStatus();

} // namespace cuecard::obs
