// SPDX-License-Identifier: GPL-2.0-or-later
#include "obs/obs_harness.hpp"

#include <X11/Xlib.h>
#include <graphics/graphics.h>
#include <obs-module.h>
#include <obs-nix-platform.h>
#include <util/platform.h>

#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <thread>

namespace cuecard::test {
namespace {

std::mutex gLogMutex;
std::vector<std::string> gLog;

void logHandler(int level, const char *format, va_list args, void *) {
    char line[8192];
    va_list copy;
    va_copy(copy, args);
    std::vsnprintf(line, sizeof line, format, copy);
    va_end(copy);
    const char *prefix = level <= LOG_ERROR     ? "error: "
                         : level <= LOG_WARNING ? "warning: "
                         : level <= LOG_INFO    ? "info: "
                                                : "debug: ";
    std::printf("%s%s\n", prefix, line);
    std::fflush(stdout);
    std::lock_guard lock(gLogMutex);
    gLog.emplace_back(line);
}

/// Clears `tr` (w×h) and draws `source` into it `times` times; in graphics.
void drawInto(gs_texrender_t *tr, obs_source_t *source, std::uint32_t w, std::uint32_t h,
              int times) {
    if (gs_texrender_begin(tr, w, h)) {
        vec4 clear{};
        gs_clear(GS_CLEAR_COLOR, &clear, 0.0f, 0);
        gs_ortho(0.0f, static_cast<float>(w), 0.0f, static_cast<float>(h), -100.0f, 100.0f);
        for (int i = 0; i < times; ++i) {
            obs_source_video_render(source);
        }
        gs_texrender_end(tr);
    }
}

} // namespace

int ObsHarness::logLinesContaining(const std::string &text) {
    std::lock_guard lock(gLogMutex);
    return static_cast<int>(std::count_if(gLog.begin(), gLog.end(), [&](const std::string &l) {
        return l.find(text) != std::string::npos;
    }));
}

std::string ObsHarness::start(int baseWidth, int baseHeight, int outputWidth, int outputHeight,
                              int fps) {
    base_set_log_handler(&logHandler, nullptr);
    display_ = XOpenDisplay(nullptr);
    if (display_ == nullptr) {
        return "no X display: run under Xvfb (DISPLAY is unset or unreachable)";
    }
    obs_set_nix_platform(OBS_NIX_PLATFORM_X11_EGL);
    obs_set_nix_platform_display(display_);
    if (!obs_startup("en-US", nullptr, nullptr)) {
        return "obs_startup failed";
    }
    started_ = true;
    obs_video_info ovi{};
    ovi.graphics_module = "libobs-opengl";
    ovi.fps_num = static_cast<std::uint32_t>(fps);
    ovi.fps_den = 1;
    ovi.base_width = static_cast<std::uint32_t>(baseWidth);
    ovi.base_height = static_cast<std::uint32_t>(baseHeight);
    ovi.output_width = static_cast<std::uint32_t>(outputWidth);
    ovi.output_height = static_cast<std::uint32_t>(outputHeight);
    ovi.output_format = VIDEO_FORMAT_RGBA;
    ovi.colorspace = VIDEO_CS_709;
    ovi.range = VIDEO_RANGE_FULL;
    ovi.adapter = 0;
    ovi.gpu_conversion = true;
    ovi.scale_type = OBS_SCALE_BILINEAR;
    if (const int r = obs_reset_video(&ovi); r != OBS_VIDEO_SUCCESS) {
        return "obs_reset_video failed (" + std::to_string(r) + ")";
    }
    obs_audio_info oai{};
    oai.samples_per_sec = 48000;
    oai.speakers = SPEAKERS_STEREO;
    if (!obs_reset_audio(&oai)) {
        return "obs_reset_audio failed";
    }
    outW_ = outputWidth;
    outH_ = outputHeight;
    scene_ = obs_scene_create("cuecard-test-scene");
    obs_set_output_source(0, obs_scene_get_source(scene_));
    obs_hotkey_enable_callback_rerouting(true);
    return {};
}

ObsHarness::~ObsHarness() {
    if (started_) {
        stopCapture();
        obs_set_output_source(0, nullptr);
        for (obs_source_t *s : sources_) {
            obs_source_remove(s);
            obs_source_release(s);
        }
        if (scene_ != nullptr) {
            obs_scene_release(scene_);
        }
        obs_shutdown();
    }
    if (display_ != nullptr) {
        XCloseDisplay(static_cast<Display *>(display_));
    }
}

bool ObsHarness::loadModule(const std::string &binary, const std::string &data) {
    obs_module_t *module = nullptr;
    if (obs_open_module(&module, binary.c_str(), data.c_str()) != MODULE_SUCCESS) {
        return false;
    }
    if (!obs_init_module(module)) {
        return false;
    }
    obs_post_load_modules();
    return true;
}

obs_source_t *ObsHarness::createSource(const char *kind, const char *name, obs_data_t *settings) {
    obs_source_t *s = obs_source_create(kind, name, settings, nullptr);
    if (s != nullptr) {
        sources_.push_back(s);
    }
    return s;
}

void ObsHarness::addToScene(obs_source_t *source) {
    obs_scene_add(scene_, source);
}

void ObsHarness::destroySource(obs_source_t *source) {
    if (obs_sceneitem_t *item = obs_scene_find_source(scene_, obs_source_get_name(source))) {
        obs_sceneitem_remove(item);
    }
    obs_source_remove(source);
    obs_source_release(source);
    sources_.erase(std::remove(sources_.begin(), sources_.end(), source), sources_.end());
}

void ObsHarness::onFrame(void *param, struct video_data *frame) {
    auto *self = static_cast<ObsHarness *>(param);
    std::lock_guard lock(self->mutex_);
    if (!self->capturing_) {
        return;
    }
    CapturedFrame f;
    f.timestamp = frame->timestamp;
    const std::size_t row = static_cast<std::size_t>(self->outW_) * 4;
    f.rgba.resize(row * static_cast<std::size_t>(self->outH_));
    for (int y = 0; y < self->outH_; ++y) {
        std::memcpy(f.rgba.data() + row * static_cast<std::size_t>(y),
                    frame->data[0] +
                        static_cast<std::size_t>(frame->linesize[0]) * static_cast<std::size_t>(y),
                    row);
    }
    self->frames_.push_back(std::move(f));
    self->frameArrived_.notify_all();
}

void ObsHarness::startCapture() {
    {
        std::lock_guard lock(mutex_);
        frames_.clear();
        capturing_ = true;
    }
    video_scale_info conv{};
    conv.format = VIDEO_FORMAT_RGBA;
    conv.width = static_cast<std::uint32_t>(outW_);
    conv.height = static_cast<std::uint32_t>(outH_);
    conv.range = VIDEO_RANGE_FULL;
    conv.colorspace = VIDEO_CS_709;
    obs_add_raw_video_callback(&conv, onFrame, this);
}

std::vector<CapturedFrame> ObsHarness::stopCapture() {
    bool was = false;
    {
        std::lock_guard lock(mutex_);
        was = capturing_;
        capturing_ = false;
    }
    if (was) {
        obs_remove_raw_video_callback(onFrame, this);
    }
    std::lock_guard lock(mutex_);
    return std::move(frames_);
}

std::vector<CapturedFrame> ObsHarness::framesSoFar() {
    std::lock_guard lock(mutex_);
    return frames_;
}

bool ObsHarness::waitForFrames(const std::function<bool(const std::vector<CapturedFrame> &)> &done,
                               int timeoutMs) {
    std::unique_lock lock(mutex_);
    return frameArrived_.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                  [&] { return done(frames_); });
}

bool ObsHarness::triggerHotkey(const char *name) {
    struct Find {
        const char *name;
        obs_hotkey_id id = OBS_INVALID_HOTKEY_ID;
    } find{name};
    obs_enum_hotkeys(
        [](void *data, obs_hotkey_id id, obs_hotkey_t *key) {
            auto *f = static_cast<Find *>(data);
            if (std::strcmp(obs_hotkey_get_name(key), f->name) == 0) {
                f->id = id;
                return false;
            }
            return true;
        },
        &find);
    if (find.id == OBS_INVALID_HOTKEY_ID) {
        return false;
    }
    obs_hotkey_trigger_routed_callback(find.id, true);
    obs_hotkey_trigger_routed_callback(find.id, false);
    return true;
}

void ObsHarness::renderWhilePending(obs_source_t *source, int times,
                                    const std::function<void()> &meanwhile) {
    const std::uint32_t w = std::max(1u, obs_source_get_width(source));
    const std::uint32_t h = std::max(1u, obs_source_get_height(source));
    obs_enter_graphics();
    gs_texrender_t *tr = gs_texrender_create(GS_RGBA, GS_ZS_NONE);
    gs_stagesurf_t *stage = gs_stagesurface_create(w, h, GS_RGBA);
    drawInto(tr, source, w, h, times);
    gs_flush(); // to the rasterizer threads, without waiting for them
    obs_leave_graphics();
    meanwhile();
    obs_enter_graphics();
    gs_stage_texture(stage, gs_texrender_get_texture(tr));
    std::uint8_t *data = nullptr;
    std::uint32_t linesize = 0;
    if (gs_stagesurface_map(stage, &data, &linesize)) {
        gs_stagesurface_unmap(stage);
    }
    gs_stagesurface_destroy(stage);
    gs_texrender_destroy(tr);
    obs_leave_graphics();
}

double ObsHarness::renderMs(obs_source_t *source, int iterations) {
    const std::uint32_t w = std::max(1u, obs_source_get_width(source));
    const std::uint32_t h = std::max(1u, obs_source_get_height(source));
    obs_enter_graphics();
    gs_texrender_t *tr = gs_texrender_create(GS_RGBA, GS_ZS_NONE);
    double total = 0.0;
    for (int i = 0; i < iterations; ++i) {
        gs_texrender_reset(tr);
        const auto start = std::chrono::steady_clock::now();
        drawInto(tr, source, w, h, 1);
        // Wait for the GPU (llvmpipe here) so the time includes the drawing, not just its
        // submission. glFinish comes from the GL library libobs-opengl already loaded.
        static auto glFinish = reinterpret_cast<void (*)()>(dlsym(RTLD_DEFAULT, "glFinish"));
        if (glFinish != nullptr) {
            glFinish();
        } else {
            gs_flush();
        }
        total += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count();
    }
    gs_texrender_destroy(tr);
    obs_leave_graphics();
    return total / iterations;
}

} // namespace cuecard::test
