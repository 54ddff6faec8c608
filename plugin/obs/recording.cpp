// SPDX-License-Identifier: GPL-2.0-or-later
// Recording sessions in OBS: start and stop (on the plugin's task thread), roll, chapters and
// the status the dock and obs-websocket show. Cuecard's own modes record through the core's
// RecordingSession fed by the cuecard_recorder output (recording_output.cpp); OBS-recording
// mode is in recording_obs_mode.cpp.
#include "obs/recording.hpp"

#include "core/team/team_store.hpp"
#include "core/template/file_name.hpp"
#include "obs/log.hpp"
#include "obs/plugin_state.hpp"
#include "obs/recording_shared.hpp"

#include <obs-frontend-api.h>
#include <obs-module.h>
#include <util/platform.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace cuecard::obs {

Recording &rec() {
    static Recording r;
    return r;
}

FrameCounters obsFrameCounters() {
    FrameCounters c;
    c.rendered = obs_get_total_frames();
    c.lagged = obs_get_lagged_frames();
    if (video_t *video = obs_get_video()) {
        c.output = video_output_get_total_frames(video);
        c.skipped = video_output_get_skipped_frames(video);
    }
    return c;
}

RecordingStatus::OnAir onAirOf(const Recipient &recipient, int take, std::uint64_t sinceNs) {
    RecordingStatus::OnAir air;
    air.id = recipient.id;
    air.who = "#" + std::to_string(recipient.index) + " " + recipient.displayName();
    air.take = take;
    air.sinceNs = sinceNs;
    return air;
}

std::shared_ptr<RecordingSession> activeSession() {
    std::lock_guard lock(rec().mutex);
    return rec().session;
}

namespace {

std::string defaultFolder() {
    char *path = obs_frontend_get_current_record_output_path();
    std::filesystem::path base =
        path != nullptr && *path != '\0'
            ? std::filesystem::path(path)
            : std::filesystem::path(getenv("HOME") ? getenv("HOME") : ".") / "Videos";
    bfree(path);
    const HubSnapshot s = state().hub.snapshot();
    std::string queue =
        s.queuePath.empty() ? "session" : std::filesystem::path(s.queuePath).stem().string();
    std::string notFile;
    if (auto team = parseTeamQueue(s.queuePath, notFile)) {
        queue = sanitizeFileStem(team->campaign); // a campaign's name, as a folder of its own
    }
    return (base / "Cuecard" / queue).string();
}

} // namespace

std::string startRecording(const RecordingRequest &request) {
    {
        std::lock_guard lock(rec().mutex);
        if (rec().output != nullptr) {
            return "a Cuecard recording is already running";
        }
    }
    if (!state().hub.snapshot().loaded) {
        return kNoQueue;
    }
    RecordingRequest req = request;
    if (req.folder.empty()) {
        req.folder = defaultFolder();
    }
    if (req.mode == "obs") {
        if (obsModeActive()) {
            return "a Cuecard recording is already running";
        }
        return startObsMode(req);
    }
    if (req.mode != "continuous" && req.mode != "standby") {
        return "mode must be continuous, standby or obs";
    }
    if (req.format != "mkv" && req.format != "mp4") {
        return "format must be mkv or mp4";
    }
    {
        std::lock_guard lock(rec().mutex);
        rec().request = req;
        rec().error.clear();
    }
    {
        AssetOptions assets;
        if (!req.videoUrl.empty()) {
            assets.videoUrl = req.videoUrl;
        }
        if (req.gifMaxKb > 0) {
            assets.gifMaxKb = req.gifMaxKb;
        }
        state().assets.setOptions(assets);
    }
    // The output's start (outputStart) prepares the folder and starts the RecordingSession.
    obs_output_t *output =
        obs_output_create("cuecard_recorder", "Cuecard Recorder", nullptr, nullptr);
    if (output == nullptr) {
        return "the cuecard_recorder output could not be created";
    }
    {
        std::lock_guard lock(rec().mutex);
        rec().output = output;
    }
    if (!obs_output_start(output)) {
        std::string why;
        std::shared_ptr<RecordingSession> session;
        {
            std::lock_guard lock(rec().mutex);
            why = rec().error.empty() ? "the recorder output did not start" : rec().error;
            rec().output = nullptr;
            session = std::move(rec().session);
        }
        if (session) {
            (void)session->stop();
        }
        obs_output_release(output);
        return why;
    }
    return {};
}

std::string stopRecording() {
    if (obsModeActive()) {
        return stopObsMode();
    }
    obs_output_t *output = nullptr;
    std::shared_ptr<RecordingSession> session;
    {
        std::lock_guard lock(rec().mutex);
        output = rec().output;
        session = rec().session;
        rec().output = nullptr;
    }
    if (output == nullptr) {
        return "no Cuecard recording is running";
    }
    obs_output_stop(output);
    std::string error;
    if (session) {
        if (Status s = session->stop(); !s) {
            error = s.message();
        }
    }
    {
        std::lock_guard lock(rec().mutex);
        rec().session.reset();
        if (!error.empty()) {
            rec().error = error;
        }
    }
    obs_output_release(output);
    CUECARD_LOG(LOG_INFO, "recording stopped%s%s", error.empty() ? "" : ": ", error.c_str());
    return error;
}

namespace {

/// Runs a start or stop on the task thread with `busy` set; its error becomes the status's.
std::string postBusy(const char *busy, std::function<std::string()> action) {
    {
        std::lock_guard lock(rec().mutex);
        if (!rec().busy.empty()) {
            return "Cuecard is still " + rec().busy + " a recording; try again in a moment";
        }
        rec().busy = busy;
    }
    state().tasks.post([busy, action = std::move(action)] {
        const std::string error = guarded(busy, action);
        std::lock_guard lock(rec().mutex);
        rec().busy.clear();
        if (!error.empty()) {
            rec().error = error;
            CUECARD_LOG(LOG_WARNING, "%s", error.c_str());
        }
    });
    return {};
}

} // namespace

std::string postStart(const RecordingRequest &request) {
    if (recordingStatus().recording) {
        return "a Cuecard recording is already running";
    }
    if (!state().hub.snapshot().loaded) {
        return kNoQueue;
    }
    return postBusy("starting", [request] { return startRecording(request); });
}

std::string postStop() {
    if (!recordingStatus().recording) {
        return "no Cuecard recording is running";
    }
    return postBusy("stopping", [] { return stopRecording(); });
}

std::string roll() {
    auto session = activeSession();
    if (!session) {
        return "no Cuecard recording is running";
    }
    return session->roll(obs_get_video_frame_time());
}

std::string chapter(const std::string &title) {
    auto session = activeSession();
    const bool obsActive = obsModeActive();
    if (session) {
        (void)session->chapter(obs_get_video_frame_time(), title);
        return {};
    }
    if (!obsActive) {
        return "no Cuecard recording is running (chapters mark Cuecard's own files)";
    }
    if (!kObsChapters) {
        return "chapters in OBS's own recording need OBS 30.2 or later";
    }
    int n = 0;
    {
        std::lock_guard lock(rec().mutex);
        n = ++rec().obsChapters;
    }
    const std::string name = title.empty() ? "Chapter " + std::to_string(n) : title;
    state().tasks.post([name] { addObsChapter(name); }); // OBS's own recording (30.2+)
    return {};
}

std::string obsRecordingFeatures() {
    std::string out = std::string("OBS ") + obs_get_version_string() +
                      ": OBS's own recording, split by OBS into one file per recipient (the "
                      "overlay stays hidden until the new file is open)";
    if (kObsChapters) {
        out += ", with a chapter named after each recipient when the format is Hybrid MP4";
    } else {
        out += "; OBS 30.2 and later also mark a chapter per recipient (Hybrid MP4)";
    }
    return out + ". Cuecard's own modes split on the exact frame and keep chapters on every OBS.";
}

RecordingStatus recordingStatus() {
    RecordingStatus s;
    const bool obsActive = obsModeActive();
    std::shared_ptr<RecordingSession> session;
    {
        std::lock_guard lock(rec().mutex);
        session = rec().session;
        s.recording = rec().output != nullptr || obsActive;
        s.mode = rec().request.mode;
        s.folder = rec().request.folder;
        s.busy = rec().busy;
        s.error = rec().error;
    }
    const FrameCounters now = obsFrameCounters();
    const std::uint64_t clock = os_gettime_ns();
    if (session) {
        s.standby = session->waitingForRoll();
        if (std::string e = session->error(); !e.empty()) {
            s.error = e;
        }
        if (s.recording) {
            if (auto air = session->onAir()) {
                s.onAir = onAirOf(air->recipient, air->take, air->sinceNs);
            }
            bool fresh = false;
            s.frameWarning = session->frameWarning(&fresh);
            if (fresh) {
                CUECARD_LOG(LOG_WARNING, "%s", s.frameWarning.c_str()); // once per take
            }
        }
    } else if (s.recording) {
        std::lock_guard lock(rec().mutex);
        s.onAir = rec().obsOnAir;
        s.frameWarning = rec().obsHealth.warning(now, s.onAir ? s.onAir->who : std::string());
        if (!s.frameWarning.empty() && !rec().obsSaidLosing) {
            rec().obsSaidLosing = true; // once per take: the dock keeps showing it
            CUECARD_LOG(LOG_WARNING, "%s", s.frameWarning.c_str());
        }
    }
    if (s.onAir) {
        s.onAir->seconds =
            clock > s.onAir->sinceNs ? static_cast<double>(clock - s.onAir->sinceNs) / 1e9 : 0.0;
    }
    return s;
}

} // namespace cuecard::obs