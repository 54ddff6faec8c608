// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Inside the recording glue (recording.cpp, recording_output.cpp, recording_obs_mode.cpp): the
// one recording's state and OBS-recording mode's entry points; not for the rest of the plugin.

#include "core/record/frame_health.hpp"
#include "core/recording/recording_session.hpp"
#include "obs/recording.hpp"

#include <obs-module.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace cuecard::obs {

/// The one recording (Cuecard records one program output at a time). Cuecard's own modes
/// record through the core's RecordingSession (the same as `cuecard session`); OBS-recording
/// mode drives OBS's own output (below) and keeps whose file that is here.
struct Recording {
    std::mutex mutex;
    obs_output_t *output = nullptr;
    std::shared_ptr<RecordingSession> session;
    RecordingRequest request;
    std::string error;
    int obsChapters = 0; ///< marked in OBS's own recording this session (for "Chapter N")
    /// OBS-recording mode: whose file OBS writes now, since when, and its lost frames.
    std::optional<RecordingStatus::OnAir> obsOnAir;
    FrameHealth obsHealth;
    bool obsSaidLosing = false; ///< the log said this take is losing frames
    std::string busy; ///< "starting" / "stopping" on the task thread (postStart, postStop)
};

Recording &rec();

inline constexpr const char *kNoQueue =
    "no queue loaded: add a Cuecard Overlay source with a recipient queue first";

/// OBS's frame counters now (atomic reads: any thread).
FrameCounters obsFrameCounters();
/// "#3 Cara Diaz" and their take, from `sinceNs` (OBS's clock).
RecordingStatus::OnAir onAirOf(const Recipient &recipient, int take, std::uint64_t sinceNs);
/// The RecordingSession of Cuecard's own modes; null when none runs.
std::shared_ptr<RecordingSession> activeSession();

// OBS-recording mode (recording_obs_mode.cpp): OBS's own recording, split per recipient.
/// Whether this OBS can put chapters into its own recording (30.2 and later, Hybrid MP4).
inline constexpr bool kObsChapters = LIBOBS_API_VER >= MAKE_SEMANTIC_VERSION(30, 2, 0);
bool obsModeActive();
std::string startObsMode(const RecordingRequest &request);
std::string stopObsMode();
/// On the task thread: a chapter in OBS's own recording (OBS 30.2+: Hybrid MP4 keeps them;
/// other formats refuse, said once in the log). Callers check kObsChapters first.
void addObsChapter(const std::string &title);

} // namespace cuecard::obs
