// SPDX-License-Identifier: GPL-2.0-or-later
// The cuecard_recorder output (OBS's own ffmpeg_output pattern): OBS hands it the program's raw
// video (I420) and audio (planar float, 48 kHz stereo); it starts the RecordingSession on
// start and passes every frame on. The session copies a frame and encodes on its own thread.

#include "obs/log.hpp"
#include "obs/plugin_state.hpp"
#include "obs/recording_shared.hpp"

#include <obs-module.h>
#include <util/platform.h>

#include <memory>
#include <string>

namespace cuecard::obs {
namespace {

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

} // namespace cuecard::obs
