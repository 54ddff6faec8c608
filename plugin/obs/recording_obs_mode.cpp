// SPDX-License-Identifier: GPL-2.0-or-later
// OBS-recording mode: Cuecard drives OBS's own recording output and has OBS split it into one
// file per recipient. The hub hides the overlay from the switch until OBS says the new file is
// open (file_changed), so no frame of either file shows the other person; each closed file is
// renamed after its recipient (ObsSplitFiles, in the core, keeps whose file is whose) and
// recorded as their take.

#include "core/record/obs_split_files.hpp"
#include "core/template/file_name.hpp"
#include "core/util/atomic_file.hpp"
#include "obs/log.hpp"
#include "obs/plugin_state.hpp"
#include "obs/recording_shared.hpp"

#include <obs-frontend-api.h>
#include <obs-module.h>
#include <obs.hpp>
#include <util/config-file.h>
#include <util/platform.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cuecard::obs {
namespace {

/// OBS-recording mode starts: frames lost from here on are the session's.
void obsSessionStarted() {
    std::lock_guard lock(rec().mutex);
    rec().obsHealth.startSession(obsFrameCounters());
    rec().obsOnAir.reset();
    rec().obsSaidLosing = false;
}

/// OBS-recording mode: `recipient`'s file starts now; nullptr: OBS writes nobody's file now.
void obsTakeStarted(const Recipient *recipient, int take) {
    std::lock_guard lock(rec().mutex);
    if (recipient == nullptr) {
        rec().obsOnAir.reset();
        return;
    }
    rec().obsOnAir = onAirOf(*recipient, take, os_gettime_ns());
    rec().obsHealth.startTake(obsFrameCounters());
    rec().obsSaidLosing = false;
}

struct ObsMode {
    std::mutex mutex;
    bool active = false;
    obs_output_t *output = nullptr; ///< OBS's recording output (a reference we hold)
    ObsSplitFiles files;            ///< the file OBS writes now and whose it is (core)
    bool finishing = false;         ///< the last file is being renamed
    std::string folder;
    FileNameTemplate names = FileNameTemplate::parse(kDefaultFileNamePattern).value();
    std::vector<std::string> warnings;
    std::condition_variable stopped; ///< OBS closed its last file and it is renamed
};

/// Where OBS's video and recording output stood at the start and at the last held switch (the
/// hub's thread sets atHold, OBS's graphics thread reads it: a lock of its own, never held
/// across anything else).
struct SplitGate {
    std::mutex mutex;
    ObsOutputStart start;
    ObsVideoCounts atHold;
};

SplitGate &splitGate() {
    static SplitGate g;
    return g;
}

ObsVideoCounts videoCounts() {
    video_t *video = obs_get_video();
    if (video == nullptr) {
        return {};
    }
    return ObsVideoCounts{video_output_get_total_frames(video),
                          video_output_get_skipped_frames(video)};
}

ObsMode &obsMode() {
    static ObsMode m;
    return m;
}

/// Who the file OBS opens now belongs to: the recipient on screen, their take, from now.
std::optional<FileOwner> ownerNow() {
    auto now = state().hub.currentWithTake();
    if (!now) {
        return std::nullopt;
    }
    return FileOwner{std::move(now->first), now->second, state().hub.queueLabel(), utcIso8601()};
}

/// Gives a file OBS closed its recipient's name (never replacing a file) and records the take.
void finishObsFile(const std::optional<ClosedFile> &closed) {
    if (!closed) {
        return;
    }
    const std::filesystem::path from(closed->path);
    auto renamed = renameWithoutReplacing(from, ownedPath(*closed, obsMode().names));
    const std::string file = renamed ? renamed->filename().string() : from.filename().string();
    if (!renamed) {
        CUECARD_LOG(LOG_WARNING, "%s", renamed.message().c_str());
    }
    const FileOwner &owner = closed->owner;
    state().hub.recordTake(owner.recipient.id, file, owner.startedAt, utcIso8601(), {},
                           owner.queue);
    CUECARD_LOG(LOG_INFO, "OBS recording file for %s: %s", owner.recipient.displayName().c_str(),
                file.c_str());
}

} // namespace

void addObsChapter(const std::string &title) {
#if LIBOBS_API_VER >= MAKE_SEMANTIC_VERSION(30, 2, 0)
    if (!obs_frontend_recording_add_chapter(title.c_str())) {
        static std::once_flag said;
        std::call_once(said, [] {
            CUECARD_LOG(LOG_INFO, "OBS's recording format keeps no chapters: choose Hybrid MP4 in "
                                  "Settings → Output → Recording for a chapter per recipient");
        });
    }
#else
    (void)title;
#endif
}

namespace {

/// A chapter named after whoever owns OBS's file now, at its start (posted: the file_changed
/// signal comes from the output's own thread, which add_chapter must not re-enter).
void markObsOwnerChapter() {
    if (!kObsChapters) {
        return;
    }
    std::string title;
    {
        std::lock_guard lock(obsMode().mutex);
        if (!obsMode().files.owner()) {
            return;
        }
        title = obsMode().files.owner()->recipient.displayName();
    }
    state().tasks.post([title] { addObsChapter(title); });
}

void onFileChanged(void *, calldata_t *cd) {
    guarded("OBS file_changed", [&] {
        const char *next = calldata_string(cd, "next_file");
        std::optional<FileOwner> owner = ownerNow();
        std::optional<ClosedFile> closed;
        {
            std::lock_guard lock(obsMode().mutex);
            closed = obsMode().files.split(next != nullptr ? next : "", std::move(owner));
        }
        finishObsFile(closed);
        const auto now = state().hub.currentWithTake();
        obsTakeStarted(now ? &now->first : nullptr, now ? now->second : 0);
        // The new file is open: now the new recipient may appear.
        state().hub.setHold(false);
        markObsOwnerChapter();
    });
}

void onObsRecordingStopped(void *, calldata_t *) {
    guarded("OBS recording stop", [&] {
        std::optional<ClosedFile> last;
        {
            std::lock_guard lock(obsMode().mutex);
            last = obsMode().files.stopped();
            obsMode().finishing = true;
        }
        finishObsFile(last);
        {
            std::lock_guard lock(obsMode().mutex);
            obsMode().finishing = false;
        }
        obsMode().stopped.notify_all();
        state().hub.setHold(false);
    });
}

void onObsRecordingStarted(void *, calldata_t *cd) {
    guarded("OBS recording start", [&] {
        // The file OBS opened first: its path is final once the output has started.
        obs_output_t *out = static_cast<obs_output_t *>(calldata_ptr(cd, "output"));
        if (out == nullptr) {
            return;
        }
        OBSDataAutoRelease settings = obs_output_get_settings(out);
        const std::string path = obs_data_get_string(settings, "path");
        {
            // Counted from here, the packets a split waits for (splitAfterPackets). A recording
            // that was already running may have a second of frames in its encoder.
            std::lock_guard lock(splitGate().mutex);
            splitGate().start.counts = videoCounts();
            const int written = obs_output_get_total_frames(out);
            splitGate().start.packets = written > 0 ? static_cast<std::uint64_t>(written) : 0;
            obs_video_info ovi{};
            splitGate().start.heldBack = written > 0 && obs_get_video_info(&ovi) && ovi.fps_den > 0
                                             ? static_cast<int>(ovi.fps_num / ovi.fps_den)
                                             : 0;
        }
        std::optional<FileOwner> owner = ownerNow();
        {
            std::lock_guard lock(obsMode().mutex);
            obsMode().files.opened(path, std::move(owner));
            obsMode().folder = std::filesystem::path(path).parent_path().string();
        }
        const auto now = state().hub.currentWithTake();
        obsTakeStarted(now ? &now->first : nullptr, now ? now->second : 0);
        markObsOwnerChapter();
    });
}

/// On the task thread: asks OBS for a new file once its recording output has written `packets`
/// video packets (splitAfterPackets: a packet of a frame drawn hidden), at most 5 s from now. The
/// hub already hides the overlay (held in the same step as the switch); the next recipient
/// appears only when OBS says the new file is open (onFileChanged), so no frame of either file
/// shows the other person.
void splitObsFile(std::uint64_t packets) {
    obs_output_t *out = nullptr;
    {
        std::lock_guard lock(obsMode().mutex);
        out = obsMode().active ? obsMode().output : nullptr; // released after this task, if at all
    }
    if (out == nullptr) {
        return; // stopped meanwhile
    }
    const auto written = [out] {
        const int n = obs_output_get_total_frames(out);
        return n > 0 ? static_cast<std::uint64_t>(n) : 0;
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (written() < packets && obs_output_active(out) &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5)); // a poll: OBS has no event
    }
    if (written() < packets && obs_output_active(out)) {
        CUECARD_LOG(LOG_WARNING,
                    "OBS's encoder is more than 5 s behind (%llu of %llu packets written): the "
                    "recording is split now, and the next file may start with a frame from "
                    "before the switch",
                    static_cast<unsigned long long>(written()),
                    static_cast<unsigned long long>(packets));
    }
    if (!obs_frontend_recording_split_file()) {
        state().hub.setHold(false);
        std::lock_guard lock(rec().mutex);
        rec().error = "OBS did not split the recording: turn on Settings → Output → Recording → "
                      "Automatic file splitting (Only split manually)";
        CUECARD_LOG(LOG_WARNING, "%s", rec().error.c_str());
    }
}

/// Called by the hub on the thread that switched, as the overlay is hidden: where OBS's video
/// stands now.
void onObsHold() {
    const ObsVideoCounts now = videoCounts();
    std::lock_guard lock(splitGate().mutex);
    splitGate().atHold = now;
}

/// Called by the hub's tick (OBS's graphics thread) once a second of hidden frames went out: the
/// split is asked for on the task thread once the encoder has written a hidden frame (OBS splits
/// at the first keyframe packet after the request, and the encoder hands packets over late).
void afterHeldObsSwitch() {
    std::uint64_t packets = 0;
    {
        std::lock_guard lock(splitGate().mutex);
        packets = splitAfterPackets(splitGate().start, splitGate().atHold);
    }
    state().tasks.post([packets] { splitObsFile(packets); });
}

} // namespace

bool obsModeActive() {
    std::lock_guard lock(obsMode().mutex);
    return obsMode().active;
}

std::string startObsMode(const RecordingRequest &req) {
    std::vector<std::string> warnings;
    config_t *profile = obs_frontend_get_profile_config();
    const char *outputMode = profile ? config_get_string(profile, "Output", "Mode") : nullptr;
    const bool advanced = outputMode != nullptr && std::string(outputMode) == "Advanced";
    if (!advanced || !config_get_bool(profile, "AdvOut", "RecSplitFile")) {
        warnings.push_back("file splitting is off: set Settings → Output to Advanced and turn on "
                           "Recording → Automatic file splitting");
    }
    // OBS's recording output exists before it starts: listen first, then start it.
    obs_output_t *out = obs_frontend_get_recording_output();
    if (out == nullptr) {
        return "OBS has no recording output (check Settings → Output → Recording)";
    }
    {
        std::lock_guard lock(obsMode().mutex);
        obsMode().active = true;
        obsMode().output = out;
        obsMode().files.reset(ownerNow());
        obsMode().warnings = warnings;
    }
    // OBS's file is named after the current recipient from its first frame: while the sources
    // still draw someone else (the switch to them not yet on screen), they draw nothing.
    state().hub.hideUntilCurrentShown();
    signal_handler_t *sh = obs_output_get_signal_handler(out);
    signal_handler_connect(sh, "start", onObsRecordingStarted, nullptr);
    signal_handler_connect(sh, "file_changed", onFileChanged, nullptr);
    signal_handler_connect(sh, "stop", onObsRecordingStopped, nullptr);
    if (obs_frontend_recording_active()) {
        calldata_t cd = {};
        calldata_set_ptr(&cd, "output", out);
        onObsRecordingStarted(nullptr, &cd);
        calldata_free(&cd);
    } else {
        obs_frontend_recording_start();
    }
    if (obs_encoder_t *enc = obs_output_get_video_encoder(out)) {
        OBSDataAutoRelease es = obs_encoder_get_settings(enc);
        const long long keyint = obs_data_get_int(es, "keyint_sec");
        if (keyint == 0 || keyint > 2) {
            warnings.push_back("the recording's keyframe interval is " +
                               (keyint == 0 ? std::string("automatic (up to 8 s)")
                                            : std::to_string(keyint) + " s") +
                               "; set it to 1 or 2 s so splits land close to the switch");
        }
    }
    for (const auto &w : warnings) {
        CUECARD_LOG(LOG_WARNING, "%s", w.c_str());
    }
    obs_video_info ovi{};
    const int fps = obs_get_video_info(&ovi) && ovi.fps_den > 0
                        ? static_cast<int>(ovi.fps_num / ovi.fps_den)
                        : 30;
    state().hub.setHoldOnSwitch(fps + 2, afterHeldObsSwitch, onObsHold);
    obsSessionStarted();
    std::lock_guard lock(rec().mutex);
    rec().request = req;
    rec().request.folder = "OBS's recording folder";
    rec().error.clear();
    rec().obsChapters = 0;
    for (const auto &w : warnings) {
        rec().error += (rec().error.empty() ? "" : "; ") + w;
    }
    return {};
}

std::string stopObsMode() {
    obs_output_t *out = nullptr;
    {
        std::lock_guard lock(obsMode().mutex);
        if (!obsMode().active) {
            return "no Cuecard recording is running";
        }
        obsMode().active = false;
        out = obsMode().output;
        obsMode().output = nullptr;
    }
    state().hub.setHoldOnSwitch(0, {});
    obsTakeStarted(nullptr, 0);
    obs_frontend_recording_stop();
    // The "stop" signal names the last file and renames it; whoever pressed stop does not wait
    // for that: the task thread does, then lets go of OBS's output.
    state().tasks.post([out] {
        {
            std::unique_lock lock(obsMode().mutex);
            obsMode().stopped.wait_for(lock, std::chrono::seconds(10), [] {
                return !obsMode().files.writing() && !obsMode().finishing;
            });
            if (obsMode().active) {
                if (out != nullptr) {
                    obs_output_release(out);
                }
                return; // a new OBS-mode session is listening again: keep its connections
            }
        }
        if (out != nullptr) {
            signal_handler_t *sh = obs_output_get_signal_handler(out);
            signal_handler_disconnect(sh, "start", onObsRecordingStarted, nullptr);
            signal_handler_disconnect(sh, "file_changed", onFileChanged, nullptr);
            signal_handler_disconnect(sh, "stop", onObsRecordingStopped, nullptr);
            obs_output_release(out);
        }
    });
    std::lock_guard lock(rec().mutex);
    rec().request = {};
    return {};
}

} // namespace cuecard::obs
