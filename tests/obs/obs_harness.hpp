// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// libobs started headless (X11/EGL on Xvfb, llvmpipe OpenGL) with modules loaded from files, a
// scene on output channel 0, raw frames of the program captured as RGBA with their timestamps,
// and render-thread timings. Used by the libobs integration test and the OBS benchmark.

#include <obs.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cuecard::test {

struct CapturedFrame {
    std::uint64_t timestamp = 0;
    std::vector<std::uint8_t> rgba; ///< outputWidth * outputHeight * 4, tightly packed
};

class ObsHarness {
  public:
    /// Starts libobs; an empty string on success, else why not.
    std::string start(int baseWidth, int baseHeight, int outputWidth, int outputHeight, int fps);
    ~ObsHarness();

    /// Log lines libobs and the modules wrote so far that contain `text` (every line is also
    /// printed, as libobs' own handler would).
    int logLinesContaining(const std::string &text);

    /// Loads a module from its .so and data folder; false with a log line on failure.
    bool loadModule(const std::string &binary, const std::string &data);

    obs_source_t *createSource(const char *kind, const char *name, obs_data_t *settings);
    void addToScene(obs_source_t *source);
    /// Takes a source out of the scene and releases it (it is destroyed once libobs lets go).
    void destroySource(obs_source_t *source);

    void startCapture();
    std::vector<CapturedFrame> stopCapture();
    /// Copies of the frames captured so far (the capture goes on).
    std::vector<CapturedFrame> framesSoFar();
    /// Waits (woken by each captured frame) until `done` holds for the frames captured so far;
    /// false after `timeoutMs`. `done` runs with the capture paused, so it should be quick.
    bool waitForFrames(const std::function<bool(const std::vector<CapturedFrame> &)> &done,
                       int timeoutMs = 20000);

    bool triggerHotkey(const char *name);

    /// Mean milliseconds of `iterations` obs_source_video_render calls into a texture of the
    /// source's size, on the graphics thread (what OBS's render thread pays per frame).
    double renderMs(obs_source_t *source, int iterations);

    /// Draws `source` `times` times into a texture and hands the draws to OpenGL (llvmpipe then
    /// rasterizes them on threads of its own), calls `meanwhile` while they may still run (it
    /// returns once what it started is done), and at last reads the texture back. For what a source
    /// must survive: being destroyed while OpenGL still draws from its textures.
    void renderWhilePending(obs_source_t *source, int times,
                            const std::function<void()> &meanwhile);

    int outputWidth() const { return outW_; }
    int outputHeight() const { return outH_; }

  private:
    static void onFrame(void *param, struct video_data *frame);
    void *display_ = nullptr;
    bool started_ = false;
    int outW_ = 0;
    int outH_ = 0;
    obs_scene_t *scene_ = nullptr;
    std::vector<obs_source_t *> sources_;
    std::mutex mutex_;
    std::condition_variable frameArrived_;
    bool capturing_ = false;
    std::vector<CapturedFrame> frames_;
};

} // namespace cuecard::test
