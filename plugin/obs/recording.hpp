// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Recording sessions in OBS: the cuecard_recorder raw output (OBS's own ffmpeg_output pattern)
// fed by the program's video and audio, split frame-exactly at the session hub's boundaries.

#include <obs-module.h>

#include <cstdint>
#include <optional>
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
/// For a hotkey or an obs-websocket request, whose thread must not wait for a disk: checks
/// what can be checked at once ("" or why not), then starts (or stops) on the plugin's task
/// thread. Until that is done the status says so (`busy`); what goes wrong there is the
/// status's `error` and goes to the log.
std::string postStart(const RecordingRequest &request);
std::string postStop();
/// Standby mode: start writing the current recipient's file now.
std::string roll();
/// Marks a chapter in the file being recorded now (an empty title: "Chapter N"): Cuecard's own
/// file, or OBS's own recording on OBS 30.2+ (Hybrid MP4).
std::string chapter(const std::string &title);
/// What recording with OBS's own output gives on the OBS running now (for the dock).
std::string obsRecordingFeatures();

struct RecordingStatus {
    /// The file being written now: whose it is and since when.
    struct OnAir {
        std::string id;  ///< the recipient's id (the dock marks their row)
        std::string who; ///< "#3 Cara Diaz"
        int take = 1;
        std::uint64_t sinceNs = 0; ///< OBS's clock (os_gettime_ns) at the file's first frame
        double seconds = 0.0;      ///< how long the take has run, when the status was read
    };
    bool recording = false;
    bool standby = false; ///< waiting for roll
    std::string mode;
    std::string folder;
    std::string error;
    std::string busy; ///< "starting" or "stopping" while the task thread does it, else ""
    std::optional<OnAir> onAir;
    /// "" while OBS keeps up; else the frames lost (OBS's own counters) and what to do.
    std::string frameWarning;
};
RecordingStatus recordingStatus();

} // namespace cuecard::obs
