// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/record/frame_health.hpp"

#include <cstdio>

namespace cuecard {
namespace {

std::uint64_t since(std::uint64_t now, std::uint64_t then) {
    return now >= then ? now - then : 0; // OBS restarted its video: nothing counted yet
}

struct Loss {
    std::uint64_t lagged = 0, rendered = 0, skipped = 0, output = 0;
    bool bad() const {
        const auto over = [](std::uint64_t lost, std::uint64_t due) {
            return lost >= FrameHealth::kMinLost && due > 0 &&
                   static_cast<double>(lost) >= FrameHealth::kWarnShare * static_cast<double>(due);
        };
        return over(lagged, rendered) || over(skipped, output);
    }
    std::string describe() const {
        std::string out;
        const auto part = [&out](std::uint64_t lost, std::uint64_t due, const char *why) {
            if (lost == 0 || due == 0) {
                return;
            }
            char buf[160];
            std::snprintf(buf, sizeof buf, "%llu of %llu frames (%.1f%%) %s",
                          static_cast<unsigned long long>(lost),
                          static_cast<unsigned long long>(due),
                          100.0 * static_cast<double>(lost) / static_cast<double>(due), why);
            out += (out.empty() ? "" : " and ") + std::string(buf);
        };
        part(skipped, output, "skipped: the encoder fell behind");
        part(lagged, rendered, "repeated: OBS rendered too slowly");
        return out;
    }
};

Loss lossSince(const FrameCounters &now, const FrameCounters &then) {
    return {since(now.lagged, then.lagged), since(now.rendered, then.rendered),
            since(now.skipped, then.skipped), since(now.output, then.output)};
}

} // namespace

void FrameHealth::startSession(const FrameCounters &now) {
    session_ = now;
    take_ = now;
}

void FrameHealth::startTake(const FrameCounters &now) {
    take_ = now;
}

std::string FrameHealth::warning(const FrameCounters &now, const std::string &take) const {
    const Loss t = lossSince(now, take_);
    const Loss s = lossSince(now, session_);
    const char *fix = ": the video stutters. Close other programs, or lower Settings → Video → "
                      "Output resolution or FPS";
    if (t.bad()) {
        return "losing frames in this take" + (take.empty() ? "" : " (" + take + ")") + ": " +
               t.describe() + fix + "; then retake them";
    }
    if (s.bad()) {
        return "losing frames since recording started: " + s.describe() + fix;
    }
    return {};
}

} // namespace cuecard
