// SPDX-License-Identifier: GPL-2.0-or-later
// cuecard session --queue 'postgresql://…?campaign=NAME': a rep's session on a team campaign.
// Each recipient is claimed as the session reaches them (a few ahead), gets --per-recipient
// seconds of the input with their overlay, and is reported with their file when it closes; when
// the campaign has nobody left the session ends cleanly and says so. The claimed recipients
// are a session hub's queue, recorded through the same RecordingSession as OBS and a queue file.

#include "cli/asset_args.hpp"
#include "cli/commands.hpp"
#include "cli/data_dirs.hpp"
#include "cli/render_stack.hpp"
#include "cli/session_common.hpp"

#include "core/record/asset_worker.hpp"
#include "core/record/media_reader.hpp"
#include "core/recording/recording_session.hpp"
#include "core/session/session_hub.hpp"
#include "core/team/team_claims.hpp"
#include "core/team/team_feed.hpp"
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
    // The claimed recipients are the queue of a session hub (as OBS's team feed makes them),
    // recorded through the same RecordingSession as OBS; each take the hub records is reported.
    SessionHub hub;
    const std::string label = "campaign \"" + team.campaign + "\"";
    hub.expectProvidedQueue(label);
    const SessionHub::SourceId source = hub.registerSource(); // this command's overlay
    int recorded = 0;
    hub.setOnOutcome([&](const HubOutcome &h) {
        if (h.status != "complete") {
            return; // their claim runs out and someone records them again
        }
        claims.report(teamOutcome(h));
        ++recorded;
    });
    AssetWorker assetWorker(assetOptions);
    RecordingSessionOptions options;
    options.recorder = sessionRecorderOptions(out, width, height, {fps, 1}, format);
    options.recorder.encoder.audio = false;
    options.resume = false; // the campaign's claims say who is next
    options.encodeOnCaller = true;
    options.assets = assets ? &assetWorker : nullptr;
    options.onFileClosed = [](const ManifestEntry &e) {
        std::printf("%s  %s  %lld frames [%s]\n", e.file.c_str(), e.name.c_str(),
                    static_cast<long long>(e.frames), e.status.c_str());
        std::fflush(stdout);
    };
    auto session = RecordingSession::start(hub, std::move(options));
    if (!session) {
        return fail(session.message());
    }
    RecordingSession &recording = *session.value();

    av_log_set_level(AV_LOG_ERROR);
    const auto perNs = static_cast<std::uint64_t>(std::llround(perRecipient * 1e9));
    std::uint64_t nextBoundary = 0;
    Queue claimed;
    claimed.source = label;
    claimed.format = "PostgreSQL";
    claimed.columns = claims.columns();
    Image overlay;
    auto lastRenew = std::chrono::steady_clock::now();
    SessionInput in;
    in.reader = reader.get();
    in.duration = testsrc ? duration : 0.0;
    in.audio = false;
    in.realtime = realtime;
    in.rate = {fps, 1};
    in.width = width;
    in.height = height;
    std::string renderError;
    SessionEnd ended =
        driveSession(recording, hub, source, in, [&](std::uint64_t ts, std::string &why) {
            if (ts >= nextBoundary) {
                // The next recipient: claimed ahead, checked still ours right now.
                std::vector<std::string> notices;
                auto who = claims.next(why, notices);
                for (const auto &n : notices) {
                    std::fprintf(stderr, "cuecard session: %s\n", n.c_str());
                }
                if (!who) {
                    return static_cast<const Image *>(nullptr);
                }
                auto composed =
                    stack->composer->compose(theme.value(), *who, width, height, nullptr);
                auto image =
                    composed ? stack->renderer->render(composed->drawList, stack->glyphs->atlas())
                             : Result<Image>(composed.error());
                if (!image) {
                    renderError = image.message();
                    why = renderError;
                    return static_cast<const Image *>(nullptr);
                }
                overlay = std::move(image.value());
                claimed.recipients.push_back(*who);
                if (claimed.recipients.size() == 1) {
                    hub.openProvidedQueue(label, claimed);
                } else {
                    hub.replaceProvidedQueue(label, claimed);
                }
                hub.jumpToId(who->id);
                nextBoundary = ts + perNs;
            }
            if (std::chrono::steady_clock::now() - lastRenew > std::chrono::seconds(5)) {
                claims.renew(); // leases stay ours while we record
                lastRenew = std::chrono::steady_clock::now();
            }
            return static_cast<const Image *>(&overlay);
        });
    if (ended.why.empty()) {
        ended.why = testsrc && duration > 0.0 ? "the input ended (--duration)" : "the input ended";
    }
    const Status stopped = recording.stop();
    claims.giveBackUnrecorded();
    assetWorker.waitIdle();
    if (!renderError.empty()) {
        return fail(renderError);
    }
    // What the database did not get yet: keep trying for a while, then leave it in the journal
    // (the next session into this folder sends it).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (claims.flush() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    for (const auto &r : claims.refused()) {
        std::fprintf(stderr, "cuecard session: the campaign refused %s\n", r.c_str());
    }
    std::printf("%s; recorded %d recipient(s) of campaign \"%s\" into %s%s\n", ended.why.c_str(),
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
