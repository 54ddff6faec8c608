// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/record/frame_health.hpp"

#include <doctest/doctest.h>

using namespace cuecard;

TEST_CASE("frame health: quiet while OBS keeps up, a warning with the numbers when it does not") {
    FrameHealth h;
    h.startSession({1000, 3, 1000, 2}); // counters from before the recording do not count
    CHECK(h.warning({1600, 3, 1600, 2}).empty());
    // A frame or two lagging when a scene loads is not news.
    CHECK(h.warning({1600, 6, 1600, 2}).empty());
    // 54% skipped (the take): said, with what to do.
    const std::string w = h.warning({2000, 3, 2000, 540}, "#3 Cara Diaz");
    CHECK(w.find("losing frames in this take (#3 Cara Diaz)") != std::string::npos);
    CHECK(w.find("538 of 1000 frames (53.8%) skipped") != std::string::npos);
    CHECK(w.find("Output resolution or FPS") != std::string::npos);
    CHECK(w.find("retake") != std::string::npos);
    // Rendering lag is counted too.
    const std::string lag = h.warning({2000, 40, 2000, 2});
    CHECK(lag.find("37 of 1000 frames (3.7%) repeated") != std::string::npos);
}

TEST_CASE("frame health: a new take starts its own count; the session's stays") {
    FrameHealth h;
    h.startSession({0, 0, 0, 0});
    CHECK_FALSE(h.warning({300, 0, 300, 100}).empty());
    h.startTake({300, 0, 300, 100});
    // The new take is clean, the session is not: said as the session's.
    const std::string w = h.warning({3000, 0, 3000, 100});
    CHECK(w.find("since recording started") != std::string::npos);
    CHECK(w.find("this take") == std::string::npos);
    // 0.5% of the frames due is the line.
    FrameHealth clean;
    clean.startSession({0, 0, 0, 0});
    CHECK(clean.warning({10000, 0, 10000, 49}).empty());
    CHECK_FALSE(clean.warning({10000, 0, 10000, 50}).empty());
    // Counters that went back (OBS reset its video) count from zero, never wrap.
    CHECK(clean.warning({5, 0, 5, 0}).empty());
}
