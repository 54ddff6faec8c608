// SPDX-License-Identifier: GPL-2.0-or-later
// OBS-recording mode: whose each of OBS's split files is, and the name it gets.
#include "core/record/obs_split_files.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

using namespace cuecard;

namespace {
FileOwner owner(const char *name, const char *company, int index, int take = 1) {
    FileOwner o;
    o.recipient.set("full_name", name);
    o.recipient.set("company", company);
    o.recipient.index = index;
    o.take = take;
    o.queue = "queue.csv";
    o.startedAt = "2026-12-04T10:00:0" + std::to_string(index) + "Z";
    return o;
}
const FileNameTemplate &names() {
    static const FileNameTemplate t = FileNameTemplate::parse(kDefaultFileNamePattern).value();
    return t;
}
} // namespace

TEST_CASE("OBS split files: each file OBS closes goes back with the person it was opened for") {
    ObsSplitFiles files;
    files.reset(owner("Jane Doe", "Acme Corp", 1));
    CHECK_FALSE(files.writing());
    files.opened("/rec/2026-12-04 10-00-01.mkv", owner("Jane Doe", "Acme Corp", 1));
    CHECK(files.writing());
    // The switch to Sam: OBS closes Jane's file and opens one for Sam.
    auto jane = files.split("/rec/2026-12-04 10-00-09.mkv", owner("Sam Lee", "Initech", 2, 2));
    REQUIRE(jane.has_value());
    CHECK(jane->path == "/rec/2026-12-04 10-00-01.mkv");
    CHECK(jane->owner.recipient.get("full_name") == "Jane Doe");
    CHECK(ownedPath(*jane, names()) == "/rec/001_Acme-Corp_Jane-Doe.mkv");
    CHECK(files.owner()->recipient.get("full_name") == "Sam Lee");
    // The stop: Sam's file (his second take) is closed; nothing is open after.
    auto sam = files.stopped();
    REQUIRE(sam.has_value());
    CHECK(sam->path == "/rec/2026-12-04 10-00-09.mkv");
    CHECK(ownedPath(*sam, names()) == "/rec/002_Initech_Sam-Lee_take2.mkv");
    CHECK_FALSE(files.writing());
    CHECK_FALSE(files.stopped().has_value()); // a second stop closes nothing
}

TEST_CASE("OBS split files: a file nobody owned, or no file, is not handed back") {
    ObsSplitFiles files;
    files.reset(std::nullopt);
    files.opened("/rec/a.mkv", std::nullopt); // the queue was empty when OBS started
    CHECK_FALSE(files.split("/rec/b.mkv", owner("Amy Wu", "Globex", 3)).has_value());
    auto amy = files.stopped();
    REQUIRE(amy.has_value());
    CHECK(amy->owner.recipient.get("full_name") == "Amy Wu");
    CHECK(amy->owner.startedAt == "2026-12-04T10:00:03Z");
    ObsSplitFiles never;
    never.reset(owner("Jane Doe", "Acme Corp", 1));
    CHECK_FALSE(never.stopped().has_value()); // OBS never opened a file
}

namespace {

/// A simulated OBS recording: frame f is rendered on tick f; it reaches the video output
/// `pipeline` ticks later, where every frame in `skips` is skipped (never encoded); the encoder
/// writes each frame's packet `lag` ticks after it got it, a keyframe every 30 encoded frames.
/// The overlay is hidden from tick `hold` on; the switch's held frames are counted for 32 ticks,
/// then a split is asked for (at once, or once the output has written `gate` packets when set);
/// OBS starts the next file at the first keyframe packet written after the request. Returns the
/// frame that file starts with.
int firstFrameOfNextFile(int pipeline, int lag, int hold, bool gated,
                         const std::vector<int> &skips = {}) {
    struct Packet {
        int frame;
        int writtenAt;
        bool keyframe;
    };
    std::vector<Packet> packets;
    const auto skipped = [&](int f) {
        return std::find(skips.begin(), skips.end(), f) != skips.end();
    };
    int encoded = 0;
    for (int f = 0; f < 2000; ++f) {
        if (!skipped(f)) {
            packets.push_back({f, f + pipeline + lag, encoded % 30 == 0});
            ++encoded;
        }
    }
    const auto countsAt = [&](int tick) { // what OBS's video counters say on `tick`
        ObsVideoCounts c;
        for (int f = 0; f + pipeline < tick; ++f) {
            ++c.total;
            c.skipped += skipped(f) ? 1 : 0;
        }
        return c;
    };
    const auto writtenBy = [&](int tick) {
        std::uint64_t n = 0;
        for (const Packet &p : packets) {
            n += p.writtenAt <= tick ? 1 : 0;
        }
        return n;
    };
    int request = hold + 32;
    if (gated) {
        const std::uint64_t target = splitAfterPackets(ObsOutputStart{}, countsAt(hold));
        while (writtenBy(request) < target) {
            ++request;
        }
    }
    for (const Packet &p : packets) {
        if (p.writtenAt > request && p.keyframe) {
            return p.frame;
        }
    }
    return -1;
}

} // namespace

TEST_CASE("obs split gate: the next file starts on a hidden frame whatever the encoder's lag; "
          "asked for after a fixed second of hidden frames, a lagging encoder's does not") {
    int failedUngated = 0;
    for (int pipeline : {0, 2, 6, 10}) {
        for (int lag : {0, 5, 20, 31, 45, 90, 200}) {
            for (int hold : {100, 437, 903, 911}) {
                CAPTURE(pipeline);
                CAPTURE(lag);
                CAPTURE(hold);
                const int first = firstFrameOfNextFile(pipeline, lag, hold, true);
                CHECK(first >= hold);
                failedUngated += firstFrameOfNextFile(pipeline, lag, hold, false) < hold ? 1 : 0;
            }
        }
    }
    // The old rule (a second of hidden frames, then ask) is right only while the encoder keeps
    // up: it put a frame from before the switch at the start of the next file in these cases.
    CHECK(failedUngated > 20);
    // Frames the video output skipped (encoder lag) were never encoded: still a hidden frame.
    std::vector<int> skips;
    for (int f = 300; f < 460; f += 3) {
        skips.push_back(f);
    }
    for (int lag : {10, 40, 120}) {
        CAPTURE(lag);
        CHECK(firstFrameOfNextFile(6, lag, 437, true, skips) >= 437);
    }
}

TEST_CASE("obs split gate: the packets a split waits for") {
    // Fresh recording: 300 frames went through, 5 skipped: the hidden frames start at most 10
    // frames after the 295th encoded one.
    CHECK(splitAfterPackets(ObsOutputStart{}, ObsVideoCounts{300, 5}) == 295 + 10 + 1);
    // Listening to a recording already running: its packets so far and what its encoder held
    // back then come on top.
    ObsOutputStart running;
    running.counts = ObsVideoCounts{1000, 7};
    running.packets = 980;
    running.heldBack = 30;
    CHECK(splitAfterPackets(running, ObsVideoCounts{1300, 12}, 4) == 980 + 30 + 295 + 4 + 1);
    // Counters that went backwards (a new video output) count nothing.
    CHECK(splitAfterPackets(running, ObsVideoCounts{10, 0}, 0) == 980 + 30 + 1);
}
