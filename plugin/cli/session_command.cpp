// SPDX-License-Identifier: GPL-2.0-or-later
// cuecard session: the recorder without OBS. Composites each recipient's overlay (the same
// Vulkan renderer) on the input, switches at the given seconds (the first frame at or after a
// boundary belongs to the next recipient), and writes one file per recipient plus the manifest
// and the session journal through the same RecordingSession and session hub as OBS.

#include "cli/asset_args.hpp"
#include "cli/commands.hpp"
#include "cli/session_common.hpp"

#include "cli/data_dirs.hpp"
#include "cli/render_stack.hpp"
#include "core/picture/picture_loader.hpp"
#include "core/picture/recipient_pictures.hpp"
#include "core/queue/queue.hpp"
#include "core/record/asset_worker.hpp"
#include "core/record/media_reader.hpp"
#include "core/recording/recording_session.hpp"
#include "core/render/overlay_composer.hpp"
#include "core/render/overlay_renderer.hpp"
#include "core/session/session_hub.hpp"
#include "core/session/session_journal.hpp"
#include "core/team/team_store.hpp"
#include "core/theme/theme.hpp"

#include <cmath>

extern "C" {
#include <libavutil/log.h>
}
#include <cstdio>
#include <optional>
#include <sstream>

namespace cuecard::cli {
namespace {

int usageError(const std::string &message) {
    std::fprintf(stderr, "cuecard session: %s\n", message.c_str());
    std::fprintf(stderr,
                 "usage: cuecard session [--queue FILE] [--theme NAME|FILE] --out DIR\n"
                 "                       (--input VIDEO | --testsrc [--duration S])\n"
                 "                       --switch-at S1,S2,... [--size WxH] [--fps N]\n"
                 "                       [--format mkv|mp4] [--encoder libx264|auto] [--realtime]\n"
                 "                       [--chapter-at S:TITLE,...] [--no-assets]\n"
                 "                       %s\n",
                 kAssetUsage);
    return 2;
}

int fail(const std::string &message) {
    return sessionFail(message);
}

} // namespace

int sessionCommand(const std::vector<std::string> &args) {
    // A team campaign on PostgreSQL: recipients are claimed as the session goes.
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
        if (args[i] == "--queue") {
            std::string error;
            if (auto team = parseTeamQueue(args[i + 1], error)) {
                return teamSessionCommand(args, *team);
            }
            if (!error.empty()) {
                return usageError(error);
            }
        }
    }
    std::string queuePath;
    std::string themeName = "default";
    std::string out;
    std::string input;
    bool testsrc = false;
    std::vector<double> switches;
    int width = 1280;
    int height = 720;
    int fps = 0;
    double duration = 0.0;
    std::string format = "mkv";
    std::string encoder = "libx264";
    std::string preset = "veryfast";
    int crf = 23;
    bool realtime = false;
    bool assets = true;
    AssetOptions assetOptions;
    std::vector<std::pair<double, std::string>> chapters;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        const bool takesValue = a != "--testsrc" && a != "--realtime" && a != "--no-assets";
        if (takesValue && i + 1 >= args.size()) {
            return usageError(a + " needs a value");
        }
        const std::string v = takesValue ? args[++i] : "";
        try {
            if (a == "--queue") {
                queuePath = v;
            } else if (a == "--theme") {
                themeName = v;
            } else if (a == "--out") {
                out = v;
            } else if (a == "--input") {
                input = v;
            } else if (a == "--testsrc") {
                testsrc = true;
            } else if (a == "--no-assets") {
                assets = false;
            } else if (a == "--chapter-at") {
                std::stringstream ss(v);
                std::string item;
                while (std::getline(ss, item, ',')) {
                    const auto colon = item.find(':');
                    const double at = std::stod(item.substr(0, colon));
                    if (at < 0.0) {
                        throw std::out_of_range(item);
                    }
                    chapters.emplace_back(at, colon == std::string::npos
                                                  ? "Chapter " + std::to_string(chapters.size() + 1)
                                                  : item.substr(colon + 1));
                }
            } else if (std::string why; parseAssetOption(a, v, assetOptions, why)) {
                if (!why.empty()) {
                    return usageError(why);
                }
            } else if (a == "--realtime") {
                realtime = true; // pace frames to the wall clock, like a live recording
            } else if (a == "--duration") {
                duration = std::stod(v);
            } else if (a == "--switch-at") {
                std::stringstream ss(v);
                std::string item;
                while (std::getline(ss, item, ',')) {
                    switches.push_back(std::stod(item));
                }
            } else if (a == "--size") {
                parseSize(v, width, height);
            } else if (a == "--fps") {
                fps = std::stoi(v);
            } else if (a == "--format") {
                format = v;
            } else if (a == "--encoder") {
                encoder = v;
            } else if (a == "--preset") {
                preset = v;
            } else if (a == "--crf") {
                crf = std::stoi(v);
            } else {
                return usageError("unknown option \"" + a + "\"");
            }
        } catch (...) {
            return usageError("\"" + v + "\" is not a valid value for " + a);
        }
    }
    if (out.empty()) {
        return usageError("--out is required");
    }
    if (testsrc == !input.empty()) {
        return usageError("give exactly one of --input VIDEO and --testsrc");
    }
    for (std::size_t i = 0; i < switches.size(); ++i) {
        if (switches[i] <= 0.0 || (i > 0 && switches[i] <= switches[i - 1])) {
            return usageError("--switch-at needs increasing positive seconds");
        }
    }
    if (width < 64 || height < 64 || width > 7680 || height > 4320 || width % 2 || height % 2) {
        return usageError("--size must be even, between 64x64 and 7680x4320");
    }
    if (format != "mkv" && format != "mp4") {
        return usageError("--format is mkv or mp4");
    }

    const auto dirs = dataDirs();
    if (queuePath.empty()) {
        for (const auto &d : dirs) {
            if (std::filesystem::exists(d / "samples" / "recipients.csv")) {
                queuePath = (d / "samples" / "recipients.csv").string();
                break;
            }
        }
    }
    // The queue in a session hub, as in OBS: the hub keeps the cursor, the journal and the
    // takes; its tick decides the frame each switch becomes visible on.
    SessionHub hub;
    if (Status s = hub.openQueue(queuePath); !s) {
        return fail(s.message());
    }
    const SessionHub::SourceId source = hub.registerSource(); // this command's overlay
    auto theme = loadTheme(themeName, dirs);
    if (!theme) {
        return fail(theme.message());
    }
    if (Status s = theme->check(hub.snapshot().columns); !s) {
        return fail(s.message());
    }

    std::unique_ptr<MediaReader> reader;
    std::pair<int, int> rate{fps > 0 ? fps : 30, 1};
    if (!input.empty()) {
        auto r = MediaReader::open(input, width, height, 48000, 2);
        if (!r) {
            return fail(r.message());
        }
        reader = std::move(r.value());
        if (fps <= 0) {
            rate = reader->frameRate();
        }
    }
    if (testsrc && duration <= 0.0) {
        duration = (switches.empty() ? 0.0 : switches.back()) + 3.0;
    }
    RecordingSessionOptions options;
    options.recorder = sessionRecorderOptions(out, width, height, rate, format);
    options.recorder.encoder.videoEncoder = encoder;
    options.recorder.encoder.preset = preset;
    options.recorder.encoder.crf = crf;
    options.encodeOnCaller = true;
    // Each file's email assets, made on a thread of their own as the file closes.
    AssetWorker assetWorker(assetOptions);
    assetWorker.setOnDone(
        [](const ManifestEntry &e, const std::string &error, const EmailAssets &a) {
            if (!error.empty()) {
                std::fprintf(stderr, "cuecard session: %s: assets: %s\n", e.file.c_str(),
                             error.c_str());
            } else {
                std::printf("%s: %s, %s (%lld KB, %d frames at %d fps), %s\n", e.file.c_str(),
                            e.poster.c_str(), e.previewGif.c_str(),
                            static_cast<long long>(e.previewBytes / 1024), a.gifFrames, a.gifFps,
                            e.emailHtml.c_str());
            }
            std::fflush(stdout);
        });
    options.assets = assets ? &assetWorker : nullptr;
    options.onFileClosed = [](const ManifestEntry &e) {
        std::printf("%s  %s  %lld frames, %.3f s, %lld audio samples  [%s]\n", e.file.c_str(),
                    e.name.c_str(), static_cast<long long>(e.frames), e.duration,
                    static_cast<long long>(e.audioSamples), e.status.c_str());
        std::fflush(stdout);
    };
    // Resume: the folder's manifest keeps earlier files (an interrupted one is described and
    // listed), the journal says who is done, and the session starts at the first recipient still
    // to record, with take numbers that continue.
    auto session = RecordingSession::start(hub, std::move(options));
    if (!session) {
        return fail(session.message());
    }
    RecordingSession &recording = *session.value();
    if (!recording.resumed().message.empty()) {
        std::printf("%s\n", recording.resumed().message.c_str());
    }
    const HubSnapshot resumedAt = hub.snapshot();
    const std::vector<Recipient> everyone = hub.recipients();
    const std::size_t first =
        static_cast<std::size_t>(resumedAt.index > 0 ? resumedAt.index - 1 : 0);
    if (first + switches.size() + 1 > everyone.size()) {
        (void)recording.stop();
        return fail(std::to_string(switches.size()) + " switches need " +
                    std::to_string(switches.size() + 1) + " recipients from #" +
                    std::to_string(first + 1) + "; the queue has " +
                    std::to_string(everyone.size()));
    }

    // Overlays: one render per recipient in the session, through the Vulkan renderer, before
    // the first frame (a realtime session then never waits on a render).
    auto stack = RenderStack::create(fontDirs(dirs), width, height);
    if (!stack) {
        return fail(stack.message());
    }
    std::vector<Image> overlays;
    PictureLoader pictureLoader; // the theme's pictures: files next to the queue, or http(s)
    const std::filesystem::path queueFolder =
        std::filesystem::absolute(std::filesystem::path(queuePath)).parent_path();
    for (std::size_t k = 0; k <= switches.size(); ++k) {
        const Recipient &who = everyone[first + k];
        const RecipientPictures pictures =
            loadRecipientPictures(theme.value(), who, queueFolder, pictureLoader);
        for (const auto &note : pictures.notes) {
            std::fprintf(stderr, "cuecard session: #%d %s: %s\n", who.index,
                         who.displayName().c_str(), note.c_str());
        }
        auto composed = stack->composer->compose(theme.value(), who, width, height, &pictures);
        if (!composed) {
            return fail(composed.message());
        }
        auto image = stack->renderer->render(composed->drawList, stack->glyphs->atlas());
        if (!image) {
            return fail(image.message());
        }
        overlays.push_back(std::move(image.value()));
    }

    const auto boundaryNs = [&](double seconds) {
        return static_cast<std::uint64_t>(std::llround(seconds * 1e9));
    };
    for (const auto &[at, title] : chapters) {
        recording.chapter(boundaryNs(at), title);
    }
    av_log_set_level(AV_LOG_ERROR);
    SessionInput in;
    in.reader = reader.get();
    in.duration = testsrc ? duration : 0.0;
    in.realtime = realtime;
    in.rate = rate;
    in.width = width;
    in.height = height;
    // The rep's next at each --switch-at: the first frame at or after it is the next
    // recipient's.
    std::size_t k = 0;
    const SessionEnd ended =
        driveSession(recording, hub, source, in, [&](std::uint64_t ts, std::string &) {
            while (k < switches.size() && ts >= boundaryNs(switches[k])) {
                hub.next();
                ++k;
            }
            return &overlays[k];
        });
    const Status stopped = recording.stop();
    hub.flush(); // the journal's last writes
    const std::size_t files = recording.filesWritten();
    assetWorker.waitIdle();
    if (assets) {
        const AssetProgress p = assetWorker.progress();
        std::printf("%s (%.1f s CPU)\n", p.summary().c_str(), p.cpuSeconds);
    }
    if (ended.failed) {
        std::printf("stopped after %zu file(s); every finished file and %s are intact in %s\n",
                    files, files > 0 ? "manifest.json" : "the folder", out.c_str());
        return fail(ended.why);
    }
    if (!stopped) {
        return fail(stopped.message());
    }
    std::printf("wrote %zu file(s), manifest.json, manifest.csv and %s to %s (%lld audio samples "
                "in)\n",
                files, kJournalFileName, out.c_str(), static_cast<long long>(ended.audioSamples));
    return 0;
}

} // namespace cuecard::cli
