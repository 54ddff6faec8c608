// SPDX-License-Identifier: GPL-2.0-or-later
#include "obs/recording.hpp"

#include "core/record/frame_health.hpp"
#include "core/record/obs_split_files.hpp"
#include "core/recording/recording_session.hpp"
#include "core/template/file_name.hpp"
#include "core/util/atomic_file.hpp"
#include "obs/log.hpp"
#include "obs/plugin_state.hpp"

#include <obs-frontend-api.h>
#include <obs-module.h>
#include <obs.hpp>
#include <util/platform.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <util/config-file.h>

namespace cuecard::obs {
namespace {

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

constexpr const char *kNoQueue =
    "no queue loaded: add a Cuecard Overlay source with a recipient queue first";

Recording &rec() {
    static Recording r;
    return r;
}

/// OBS's frame counters now (atomic reads: any thread).
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

/// "#3 Cara Diaz" and their take, from `sinceNs` (OBS's clock).
RecordingStatus::OnAir onAirOf(const Recipient &recipient, int take, std::uint64_t sinceNs) {
    RecordingStatus::OnAir air;
    air.id = recipient.id;
    air.who = "#" + std::to_string(recipient.index) + " " + recipient.displayName();
    air.take = take;
    air.sinceNs = sinceNs;
    return air;
}

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

std::shared_ptr<RecordingSession> activeSession() {
    std::lock_guard lock(rec().mutex);
    return rec().session;
}

/// The output's data: only the pointer to the OBS output; the recorder lives in Recording.
struct OutputData {
    obs_output_t *output;
};

bool outputStart(void *data) {
    auto *d = static_cast<OutputData *>(data);
    try {
        video_t *video = obs_output_video(d->output);
        const video_output_info *voi = video_output_get_info(video);
        if (voi == nullptr || !obs_output_can_begin_data_capture(d->output, 0)) {
            return false;
        }
        RecordingSessionOptions options;
        {
            std::lock_guard lock(rec().mutex);
            options.recorder.folder = rec().request.folder;
            options.recorder.encoder.container = rec().request.format;
            options.standby = rec().request.mode == "standby";
        }
        EncoderSettings &encoder = options.recorder.encoder;
        encoder.width = static_cast<int>(voi->width);
        encoder.height = static_cast<int>(voi->height);
        encoder.fpsNum = static_cast<int>(voi->fps_num);
        encoder.fpsDen = static_cast<int>(voi->fps_den);
        encoder.sampleRate = 48000;
        encoder.channels = 2;
        video_scale_info vsi{};
        vsi.format = VIDEO_FORMAT_I420;
        vsi.width = voi->width;
        vsi.height = voi->height;
        vsi.range = VIDEO_RANGE_PARTIAL;
        vsi.colorspace = VIDEO_CS_709;
        obs_output_set_video_conversion(d->output, &vsi);
        audio_convert_info aci{};
        aci.samples_per_sec = 48000;
        aci.format = AUDIO_FORMAT_FLOAT_PLANAR;
        aci.speakers = SPEAKERS_STEREO;
        obs_output_set_audio_conversion(d->output, &aci);
        // Each file's poster, preview and snippet: on the asset worker's thread, after the file.
        options.assets = &state().assets;
        options.overlayIn = [] { return state().sources.longestIn(); };
        options.clock = [] { return os_gettime_ns(); };
        options.frameCounters = obsFrameCounters;
        options.onFileClosed = [](const ManifestEntry &e) {
            CUECARD_LOG(LOG_INFO, "recorded %s (%lld frames) [%s]", e.file.c_str(),
                        static_cast<long long>(e.frames), e.status.c_str());
        };
        // The folder, its interrupted files and the journal: obs_output_start runs on the
        // plugin's task thread (postStart), never on a thread of OBS's that must not wait.
        const std::string mode = options.standby ? "standby" : "continuous";
        auto session = RecordingSession::start(state().hub, std::move(options));
        if (!session) {
            std::lock_guard lock(rec().mutex);
            rec().error = session.message();
            CUECARD_LOG(LOG_ERROR, "%s", rec().error.c_str());
            return false;
        }
        const std::shared_ptr<RecordingSession> &started = session.value();
        for (const auto &e : started->recovery().interrupted) {
            CUECARD_LOG(LOG_WARNING, "%s was interrupted; kept with %lld playable frames (%.1f s)",
                        e.file.c_str(), static_cast<long long>(e.frames), e.duration);
        }
        CUECARD_LOG(LOG_INFO, "recording to %s (%s); %s",
                    started->options().recorder.folder.c_str(), mode.c_str(),
                    started->resumed().message.c_str());
        if (!started->onAir() && !started->waitingForRoll()) {
            CUECARD_LOG(LOG_INFO, "the recording starts when the current recipient is on screen");
        }
        {
            std::lock_guard lock(rec().mutex);
            rec().session = started;
        }
        return obs_output_begin_data_capture(d->output, 0);
    } catch (const std::exception &e) {
        CUECARD_LOG(LOG_ERROR, "recorder start: %s", e.what());
        return false;
    } catch (...) {
        CUECARD_LOG(LOG_ERROR, "recorder start: %s", "unknown error");
        return false;
    }
}

void outputStop(void *data, uint64_t) {
    guarded("recorder stop", [&] {
        auto *d = static_cast<OutputData *>(data);
        obs_output_end_data_capture(d->output);
    });
}

void rawVideo(void *, video_data *frame) try {
    if (auto r = activeSession()) {
        VideoInput in;
        in.timestampNs = frame->timestamp;
        in.layout = PixelLayout::I420;
        for (int p = 0; p < 3; ++p) {
            in.data[p] = frame->data[p];
            in.linesize[p] = static_cast<int>(frame->linesize[p]);
        }
        (void)r->pushVideo(in); // an error stops the encoder; the status shows it
    }
} catch (const std::exception &e) {
    CUECARD_LOG(LOG_ERROR, "recorder video: %s", e.what());
} catch (...) {
    CUECARD_LOG(LOG_ERROR, "recorder video: %s", "unknown error");
}

void rawAudio(void *, audio_data *frames) try {
    if (auto r = activeSession()) {
        const float *planes[2] = {reinterpret_cast<const float *>(frames->data[0]),
                                  reinterpret_cast<const float *>(frames->data[1])};
        (void)r->pushAudio(frames->timestamp, planes, static_cast<int>(frames->frames));
    }
} catch (const std::exception &e) {
    CUECARD_LOG(LOG_ERROR, "recorder audio: %s", e.what());
} catch (...) {
    CUECARD_LOG(LOG_ERROR, "recorder audio: %s", "unknown error");
}

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

// ---- OBS-recording mode: drive OBS's own recording, one split file per recipient. ----------

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

/// Whether this OBS can put chapters into its own recording (30.2 and later, Hybrid MP4).
constexpr bool kObsChapters = LIBOBS_API_VER >= MAKE_SEMANTIC_VERSION(30, 2, 0);

/// On the task thread: a chapter in OBS's own recording (OBS 30.2+: Hybrid MP4 keeps them; other
/// formats refuse, said once in the log). Callers check kObsChapters first.
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

/// On the task thread: asks OBS for a new file. The hub already hides the overlay (held in the
/// same step as the switch); the next recipient appears only when OBS says the new file is open
/// (onFileChanged), so no frame of either file shows the other person.
void splitObsFile() {
    if (!obs_frontend_recording_split_file()) {
        state().hub.setHold(false);
        std::lock_guard lock(rec().mutex);
        rec().error = "OBS did not split the recording: turn on Settings → Output → Recording → "
                      "Automatic file splitting (Only split manually)";
        CUECARD_LOG(LOG_WARNING, "%s", rec().error.c_str());
    }
}

/// Called by the hub's tick (OBS's graphics thread) once enough hidden frames went out: OBS
/// splits at the first keyframe packet after the request, and x264's lookahead delays packets
/// by up to about a second of frames, so the hub holds one second of frames first.
void afterHeldObsSwitch() {
    state().tasks.post(splitObsFile);
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
    state().hub.setHoldOnSwitch(fps + 2, afterHeldObsSwitch);
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

} // namespace

namespace {

const char *outputName(void *) {
    return "Cuecard Recorder";
}

void *outputCreate(obs_data_t *, obs_output_t *output) {
    return guarded("recorder create", [&]() -> void * { return new OutputData{output}; });
}

void outputDestroy(void *data) {
    delete static_cast<OutputData *>(data);
}

} // namespace

obs_output_info makeRecorderOutputInfo() {
    obs_output_info info{};
    info.id = "cuecard_recorder";
    info.flags = OBS_OUTPUT_AV;
    info.get_name = outputName;
    info.create = outputCreate;
    info.destroy = outputDestroy;
    info.start = outputStart;
    info.stop = outputStop;
    info.raw_video = rawVideo;
    info.raw_audio = rawAudio;
    return info;
}

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
        {
            std::lock_guard lock(obsMode().mutex);
            if (obsMode().active) {
                return "a Cuecard recording is already running";
            }
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
    if ([] {
            std::lock_guard lock(obsMode().mutex);
            return obsMode().active;
        }()) {
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
    bool obsActive = false;
    {
        std::lock_guard lock(obsMode().mutex);
        obsActive = obsMode().active;
    }
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
    bool obsActive = false;
    {
        std::lock_guard lock(obsMode().mutex);
        obsActive = obsMode().active;
    }
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
