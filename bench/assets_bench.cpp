// SPDX-License-Identifier: GPL-2.0-or-later
// What the email assets add to a recording, in CPU time: for one recipient's file at 720p30 and
// 1080p30, the recording itself (Cuecard's recorder: libx264 veryfast CRF 23, the same
// SegmentFile the plugin uses) against making its poster, animated preview and snippet from it
// (buildEmailAssets, as the plugin's asset worker does), measured in the same run.
// Run: build/bench/cuecard_assets_bench [seconds of video per recipient, default 30]

#include "core/record/email_assets.hpp"
#include "core/record/segment_file.hpp"
#include "core/record/test_pattern.hpp"
#include "core/util/image.hpp"

extern "C" {
#include <libavutil/log.h>
}

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace cuecard;

namespace {

double cpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

} // namespace

int main(int argc, char **argv) {
    av_log_set_level(AV_LOG_ERROR);
    const int seconds = argc > 1 ? std::max(4, std::atoi(argv[1])) : 30;
    const fs::path dir = fs::temp_directory_path() / "cuecard-assets-bench";
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::printf("one recipient's file of %d s at 30 fps (synthetic moving picture)\n", seconds);
    std::printf("%-6s %14s %14s %14s %10s\n", "size", "recording CPU", "assets CPU", "assets/rec",
                "GIF KB");
    for (const auto &[w, h] : {std::pair{1280, 720}, std::pair{1920, 1080}}) {
        EncoderSettings e;
        e.width = w;
        e.height = h;
        e.audio = false;
        const std::string name = std::to_string(h) + "p.mkv";
        std::ofstream(dir / name).close();
        Image frame(w, h);
        const double a = cpuSeconds();
        auto file = SegmentFile::open(dir / name, e, {});
        if (!file) {
            std::fprintf(stderr, "%s\n", file.message().c_str());
            return 1;
        }
        for (int i = 0; i < seconds * 30; ++i) {
            drawTestFrame(frame, i);
            VideoInput in;
            in.timestampNs = static_cast<std::uint64_t>(i) * 1'000'000'000ull / 30;
            in.layout = PixelLayout::RGBA;
            in.data[0] = frame.pixels.data();
            in.linesize[0] = w * 4;
            (void)file.value()->writeVideo(in);
        }
        (void)file.value()->close();
        const double recording = cpuSeconds() - a;
        ManifestEntry entry;
        entry.recipientId = "bench";
        entry.name = "Jane Doe";
        entry.file = name;
        entry.frames = seconds * 30;
        entry.overlayAt = 0.35;
        const double b = cpuSeconds();
        auto assets = buildEmailAssets(dir, entry, AssetOptions{});
        const double made = cpuSeconds() - b;
        if (!assets) {
            std::fprintf(stderr, "%s\n", assets.message().c_str());
            return 1;
        }
        std::printf("%-6s %12.2f s %12.2f s %13.1f%% %10lld\n", (std::to_string(h) + "p").c_str(),
                    recording, made, 100.0 * made / recording,
                    static_cast<long long>(entry.previewBytes / 1024));
    }
    fs::remove_all(dir);
    return 0;
}
