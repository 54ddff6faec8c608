// SPDX-License-Identifier: GPL-2.0-or-later
// SwitchClock: the frame a switch becomes visible on, for every source at once.

#include "core/session/switch_clock.hpp"

#include <doctest/doctest.h>

using namespace cuecard;

namespace {
constexpr std::uint64_t kFrame = 33'333'333;
}

TEST_CASE("switch clock: a switch becomes visible on the first frame every source has it ready; "
          "a synthetic clock may start at 0") {
    SwitchClock c;
    const auto a = c.addSource();
    const auto b = c.addSource();
    c.sourceReady(a, 1);
    auto f = c.tick(0, 1);
    CHECK_FALSE(f.switched); // b is not ready
    CHECK(f.displayed == 0);
    c.sourceReady(b, 1);
    CHECK(c.tick(0, 1).switched == false); // frame 0 is decided already
    f = c.tick(kFrame, 1);
    CHECK(f.switched);
    CHECK(f.displayed == 1);
    CHECK_FALSE(c.tick(2 * kFrame, 1).switched); // nothing new
    // A source that was removed no longer holds a switch up.
    c.removeSource(b);
    c.sourceReady(a, 2);
    CHECK(c.tick(3 * kFrame, 2).switched);
}

TEST_CASE("switch clock: a slow source holds a switch up at most kMaxSwitchWaitNs") {
    SwitchClock c;
    c.addSource();
    std::uint64_t t = 1'000'000'000;
    CHECK_FALSE(c.tick(t, 1).switched);
    t += SwitchClock::kMaxSwitchWaitNs;
    CHECK_FALSE(c.tick(t, 1).switched);
    CHECK(c.tick(t + kFrame, 1).switched);
}

TEST_CASE("switch clock: held, nothing becomes visible; a held switch releases after its frames") {
    SwitchClock c;
    const auto a = c.addSource();
    c.setHoldOnSwitch(3);
    c.holdSwitch();
    c.sourceReady(a, 1);
    std::uint64_t t = kFrame;
    CHECK_FALSE(c.tick(t, 1).releaseHeld);
    CHECK_FALSE(c.tick(t += kFrame, 1).releaseHeld);
    const auto third = c.tick(t += kFrame, 1);
    CHECK(third.releaseHeld); // three hidden frames went out
    CHECK_FALSE(third.switched);
    CHECK_FALSE(c.tick(t += kFrame, 1).releaseHeld); // once
    c.setHold(false);
    CHECK(c.tick(t += kFrame, 1).switched);
}

TEST_CASE("switch clock: who a switch showed; the same person again is no new take") {
    SwitchClock c;
    CHECK(c.show("ann", "q.csv"));
    CHECK(c.showing("ann", "q.csv"));
    CHECK_FALSE(c.show("ann", "q.csv"));
    CHECK(c.show("ann", "other.csv")); // the same id from another queue is
    CHECK_FALSE(c.showing("ann", "q.csv"));
}
