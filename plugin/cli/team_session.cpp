// SPDX-License-Identifier: GPL-2.0-or-later
// cuecard session --queue 'postgresql://…?campaign=NAME': a rep's session on a team campaign.
// Each recipient is claimed as the session reaches them (a few ahead), gets --per-recipient
// seconds of the input with their overlay, and is reported with their file when it closes; when
// the campaign has nobody left the session ends cleanly and says so.

#include "cli/asset_args.hpp"
#include "cli/commands.hpp"
#include "cli/data_dirs.hpp"
#include "cli/render_stack.hpp"
#include "cli/session_common.hpp"

#include "core/record/asset_worker.hpp"
#include "core/record/media_reader.hpp"
#include "core/record/segment_recorder.hpp"
#include "core/record/test_pattern.hpp"
#include "core/team/team_claims.hpp"
#include "core/theme/theme.hpp"

extern "C" {
#include <libavutil/log.h>
}

#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

namespace cuecard::cli {
namespace {

int usageError(const std::string &message) {
    std::fprintf(stderr, "cuecard session: %s\n", message.c_str());
    std::fprintf(stderr,
                 "usage: cuecard session --queue 'postgresql://…?campaign=NAME' --out DIR\n"
                 "                       (--input VIDEO | --testsrc [--duration S])\n"
                 "                       [--per-recipient S] [--lease S] [--ahead N]\n"
                 "                       [--theme NAME|FILE] [--size WxH] [--fps N]\n"
                 "                       [--format mkv|mp4] [--realtime] [--no-assets] %s\n",
                 kAssetUsage);
    return 2;
}

int fail(const std::string &message) {
    return sessionFail(message);
}

} // namespace

int teamSessionCommand(const std::vector<std::string> &args, const TeamQueue &team) {
    std::string themeName = "default";
    std::string out;
    std::string input;
    bool testsrc = false;
    bool realtime = false;
    bool assets = true;
    double duration = 0.0;
    double perRecipient = 3.0;
    int width = 1280;
    int height = 720;
    int fps = 30;
    std::string format = "mkv";
    TeamClaimsOptions claimOptions;
    AssetOptions assetOptions;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "--testsrc" || a == "--realtime" || a == "--no-assets") {
            testsrc = testsrc || a == "--testsrc";
            realtime = realtime || a == "--realtime";
            assets = assets && a != "--no-assets";
            continue;
        }
        if (i + 1 >= args.size()) {
            return usageError(a + " needs a value");
        }
        const std::string v = args[++i];
        try {
            std::string why;
            if (a == "--queue") {
                // parsed by the caller
            } else if (a == "--theme") {
                themeName = v;
            } else if (a == "--out") {
                out = v;
            } else if (a == "--input") {
                input = v;
            } else if (a == "--duration") {
                duration = std::stod(v);
            } else if (a == "--per-recipient") {
                perRecipient = std::stod(v);
            } else if (a == "--lease") {
                claimOptions.leaseSeconds = std::stoi(v);
            } else if (a == "--ahead") {
                claimOptions.ahead = std::stoi(v);
            } else if (a == "--size") {
                parseSize(v, width, height);
            } else if (a == "--fps") {
                fps = std::stoi(v);
            } else if (a == "--format") {
                format = v;
            } else if (parseAssetOption(a, v, assetOptions, why)) {
                if (!why.empty()) {
                    return usageError(why);
                }
            } else {
                return usageError("unknown option \"" + a +
                                  "\" (a team session switches every "
                                  "--per-recipient seconds)");
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
    if (perRecipient < 0.1 || claimOptions.leaseSeconds < 2 || claimOptions.ahead < 0 || fps < 1 ||
        width < 64 || height < 64 || width % 2 || height % 2) {
        return usageError("--per-recipient ≥ 0.1, --lease ≥ 2, --ahead ≥ 0, an even --size ≥ "
                          "64x64");
    }
    if (std::error_code ec; !std::filesystem::create_directories(out, ec) && ec) {
        return fail("cannot create " + out + ": " + ec.message());
    }
    TeamClaims claims(team, std::filesystem::path(out) / "team-outbox.jsonl", claimOptions);
    if (Status s = claims.start(); !s) {
        return fail(s.message());
    }
    const auto dirs = dataDirs();
    auto theme = loadTheme(themeName, dirs);
    if (!theme) {
        return fail(theme.message());
    }
    if (Status s = theme->check(claims.columns()); !s) {
        return fail(s.message());
    }
    std::unique_ptr<MediaReader> reader;
    if (!input.empty()) {
        auto r = MediaReader::open(input, width, height, 48000, 2);
        if (!r) {
            return fail(r.message());
        }
        reader = std::move(r.value());
    }
    auto stack = RenderStack::create(fontDirs(dirs), width, height);
    if (!stack) {
        return fail(stack.message());
    }
    RecorderOptions options = sessionRecorderOptions(out, width, height, {fps, 1}, format);
    options.encoder.audio = false;
    auto recorder = SegmentRecorder::create(options);
    if (!recorder) {
        return fail(recorder.message());
    }
    AssetWorker assetWorker(assetOptions);
    int recorded = 0;
    recorder.value()->setOnFileClosed([&](const ManifestEntry &e) {
        std::printf("%s  %s  %lld frames [%s]\n", e.file.c_str(), e.name.c_str(),
                    static_cast<long long>(e.frames), e.status.c_str());
        std::fflush(stdout);
        if (e.status != "complete") {
            return; // their claim runs out and someone records them again
        }
        TeamOutcome o;
        o.recipientId = e.recipientId;
        o.file = e.file;
        o.duration = e.duration;
        o.frames = e.frames;
        o.status = e.status;
        o.startedAt = e.startedAt;
        o.endedAt = e.endedAt;
        claims.report(o);
        ++recorded;
        if (assets) {
            assetWorker.add(out, e);
        }
    });

    av_log_set_level(AV_LOG_ERROR);
    const auto wallStart = std::chrono::steady_clock::now();
    const std::uint64_t frameNs = 1'000'000'000ull / static_cast<std::uint64_t>(fps);
    const auto perNs = static_cast<std::uint64_t>(std::llround(perRecipient * 1e9));
    std::uint64_t nextBoundary = 0;
    Image frame(width, height);
    Image overlay;
    std::string ended;
    auto lastRenew = std::chrono::steady_clock::now();
    for (std::int64_t i = 0;; ++i) {
        const std::uint64_t ts = static_cast<std::uint64_t>(i) * frameNs;
        if (realtime) {
            std::this_thread::sleep_until(wallStart + std::chrono::nanoseconds(ts));
        }
        if (testsrc && duration > 0.0 && static_cast<double>(ts) / 1e9 >= duration - 1e-9) {
            ended = "the input ended (--duration)";
            break;
        }
        if (!nextInputFrame(reader.get(), i, frame)) {
            ended = "the input ended";
            break;
        }
        if (ts >= nextBoundary) {
            // The next recipient: claimed ahead, checked still ours right now.
            std::string why;
            std::vector<std::string> notices;
            auto who = claims.next(why, notices);
            for (const auto &n : notices) {
                std::fprintf(stderr, "cuecard session: %s\n", n.c_str());
            }
            if (!who) {
                ended = why;
                break;
            }
            auto composed = stack->composer->compose(theme.value(), *who, width, height, nullptr);
            if (!composed) {
                return fail(composed.message());
            }
            auto image = stack->renderer->render(composed->drawList, stack->glyphs->atlas());
            if (!image) {
                return fail(image.message());
            }
            overlay = std::move(image.value());
            recorder.value()->addBoundary(ts, *who, 1);
            nextBoundary = ts + perNs;
        }
        if (std::chrono::steady_clock::now() - lastRenew > std::chrono::seconds(5)) {
            claims.renew(); // leases stay ours while we record
            lastRenew = std::chrono::steady_clock::now();
        }
        compositeOver(frame, overlay, 0, 0);
        if (Status s = recorder.value()->pushVideo(rgbaInput(frame, ts)); !s) {
            ended = s.message();
            break;
        }
    }
    const Status stopped = recorder.value()->stop();
    claims.giveBackUnrecorded();
    assetWorker.waitIdle();
    // What the database did not get yet: keep trying for a while, then leave it in the journal
    // (the next session into this folder sends it).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (claims.flush() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    for (const auto &r : claims.refused()) {
        std::fprintf(stderr, "cuecard session: the campaign refused %s\n", r.c_str());
    }
    std::printf("%s; recorded %d recipient(s) of campaign \"%s\" into %s%s\n", ended.c_str(),
                recorded, team.campaign.c_str(), out.c_str(),
                claims.waiting() > 0 ? ("; " + std::to_string(claims.waiting()) +
                                        " outcome(s) wait in team-outbox.jsonl for the database")
                                           .c_str()
                                     : "");
    if (!stopped) {
        return fail(stopped.message());
    }
    return claims.waiting() > 0 || !claims.refused().empty() ? 1 : 0;
}

} // namespace cuecard::cli
