// SPDX-License-Identifier: GPL-2.0-or-later
// CPU cost per recorded frame: Cuecard's recorder (cuecard_recorder output, libx264 veryfast
// CRF 23 + AAC) against OBS's own recording (obs_x264 veryfast CRF 23 + ffmpeg_aac into
// ffmpeg_muxer) of the same program, in the same headless libobs, at 720p30 and 1080p30.
// Process CPU time over a fixed recording, minus the same time with no output running.
// Run: tests/obs/run_with_xvfb.sh build/bench/cuecard_record_bench

#include "obs/obs_harness.hpp"

#include <obs-module.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

double cpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

constexpr int kSeconds = 6;

double cpuOver(const std::function<void()> &start, const std::function<void()> &stop) {
    start();
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // encoders warm up
    const double a = cpuSeconds();
    std::this_thread::sleep_for(std::chrono::seconds(kSeconds));
    const double b = cpuSeconds();
    stop();
    return b - a;
}

bool triggerOrWarn(cuecard::test::ObsHarness &obs, const char *name) {
    if (!obs.triggerHotkey(name)) {
        std::fprintf(stderr, "hotkey %s not found\n", name);
        return false;
    }
    return true;
}

int measure(int width) {
    const int height = width * 9 / 16;
    const fs::path home =
        fs::temp_directory_path() / ("cuecard-record-bench-" + std::to_string(width));
    fs::remove_all(home);
    fs::create_directories(home);
    setenv("HOME", home.c_str(), 1); // the recorder's default folder: $HOME/Videos/Cuecard/…
    cuecard::test::ObsHarness obs;
    if (const std::string e = obs.start(width, height, width, height, 30); !e.empty()) {
        std::printf("libobs could not start: %s\n", e.c_str());
        return 1;
    }
    const std::string mods = "/usr/lib/x86_64-linux-gnu/obs-plugins/";
    const std::string data = "/usr/share/obs/obs-plugins/";
    if (!obs.loadModule(CUECARD_BENCH_PLUGIN_BINARY, CUECARD_BENCH_PLUGIN_DATA) ||
        !obs.loadModule(mods + "obs-x264.so", data + "obs-x264") ||
        !obs.loadModule(mods + "obs-ffmpeg.so", data + "obs-ffmpeg")) {
        std::printf("cannot load the modules\n");
        return 1;
    }
    obs_data_t *cs = obs_data_create();
    obs_data_set_string(cs, "queue_path", CUECARD_BENCH_SOURCE_DIR "/tests/e2e/queue.csv");
    obs_data_set_string(cs, "theme", "default");
    obs_source_t *cue = obs.createSource("cuecard_overlay", "cue", cs);
    obs_data_release(cs);
    obs.addToScene(cue);
    std::this_thread::sleep_for(std::chrono::seconds(2));

    const double idle = cpuOver([] {}, [] {});

    // OBS's own recording.
    obs_data_t *vs = obs_data_create();
    obs_data_set_string(vs, "preset", "veryfast");
    obs_data_set_string(vs, "rate_control", "CRF");
    obs_data_set_int(vs, "crf", 23);
    obs_encoder_t *venc = obs_video_encoder_create("obs_x264", "x264", vs, nullptr);
    obs_data_release(vs);
    obs_data_t *as = obs_data_create();
    obs_data_set_int(as, "bitrate", 160);
    obs_encoder_t *aenc = obs_audio_encoder_create("ffmpeg_aac", "aac", as, 0, nullptr);
    obs_data_release(as);
    obs_encoder_set_video(venc, obs_get_video());
    obs_encoder_set_audio(aenc, obs_get_audio());
    obs_data_t *os = obs_data_create();
    obs_data_set_string(os, "path", (home / "obs-recording.mkv").c_str());
    obs_output_t *muxer = obs_output_create("ffmpeg_muxer", "rec", os, nullptr);
    obs_data_release(os);
    obs_output_set_video_encoder(muxer, venc);
    obs_output_set_audio_encoder(muxer, aenc, 0);
    const double obsRec =
        cpuOver([&] { obs_output_start(muxer); }, [&] { obs_output_stop(muxer); });
    std::this_thread::sleep_for(std::chrono::seconds(1));
    obs_output_release(muxer);
    obs_encoder_release(venc);
    obs_encoder_release(aenc);

    // Cuecard's recorder, through its own hotkeys.
    const double cueRec = cpuOver([&] { triggerOrWarn(obs, "cuecard.session_start"); },
                                  [&] { triggerOrWarn(obs, "cuecard.session_stop"); });
    const double frames = 30.0 * kSeconds;
    std::printf("ROW %d %.4f %.4f %.4f\n", width, idle, obsRec, cueRec);
    (void)frames;
    return 0;
}

} // namespace

int main(int argc, char **argv) {
    if (argc > 1) {
        return measure(std::atoi(argv[1]));
    }
    std::printf(
        "\nCPU per recorded frame (ms of process CPU time, recording minus idle, %d s at 30 "
        "fps; 2 cores)\n",
        kSeconds);
    std::printf("%-8s %12s %14s %14s %8s\n", "canvas", "idle (s)", "OBS recording", "cuecard",
                "ratio");
    for (int width : {1280, 1920}) {
        const std::string cmd = "'" + fs::read_symlink("/proc/self/exe").string() + "' " +
                                std::to_string(width) + " 2>/dev/null";
        FILE *p = popen(cmd.c_str(), "r");
        char line[256];
        while (p != nullptr && std::fgets(line, sizeof line, p) != nullptr) {
            int w = 0;
            double idle = 0, obsRec = 0, cue = 0;
            if (std::sscanf(line, "ROW %d %lf %lf %lf", &w, &idle, &obsRec, &cue) == 4) {
                const double frames = 30.0 * kSeconds;
                const double o = (obsRec - idle) * 1000.0 / frames;
                const double c = (cue - idle) * 1000.0 / frames;
                std::printf("%-8s %12.2f %14.2f %14.2f %8.2f\n", (std::to_string(w) + "p").c_str(),
                            idle, o, c, c / o);
            }
        }
        if (p != nullptr) {
            pclose(p);
        }
    }
    return 0;
}
