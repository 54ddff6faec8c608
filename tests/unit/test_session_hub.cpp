// SessionHub: the one-frame switch shared by every source, and what a recording may start on.
// Driven with a fake frame clock: each tick() is one video frame.

#include "core/record/folder_recovery.hpp"
#include "core/session/session_hub.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace cuecard;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kFrameNs = 33'333'333;

const char *kFour = "name,email\nPerson 001,p1@x.example\nPerson 002,p2@x.example\n"
                    "Person 003,p3@x.example\nPerson 004,p4@x.example\n";

fs::path writeQueue(const test::TempDir &dir) {
    const fs::path p = dir / "queue.csv";
    std::ofstream(p) << kFour;
    return p;
}

/// A hub with the queue open and one source that has drawn the first recipient.
struct Fixture {
    test::TempDir dir{"hub"};
    SessionHub hub;
    SessionHub::SourceId source = 0;
    std::uint64_t frame = 0;
    std::vector<std::pair<std::uint64_t, std::string>> boundaries; ///< (frame time, id)

    Fixture() {
        REQUIRE(hub.openQueue(writeQueue(dir)).ok());
        source = hub.registerSource();
        hub.setOnBoundary([this](const Boundary &b, const Recipient &r, int) {
            boundaries.emplace_back(b.frameTimeNs, r.id);
        });
        hub.sourceReady(source, hub.frameState().generation);
        tick();
        REQUIRE(hub.onScreenWithTake().has_value());
        REQUIRE(hub.onScreenWithTake()->first.id == "p1@x.example");
        boundaries.clear();
    }
    std::uint64_t tick() {
        frame += kFrameNs;
        return hub.tick(frame);
    }
    /// The source finishes rendering what the hub asks for.
    void sourceCatchesUp() { hub.sourceReady(source, hub.frameState().generation); }
};

/// A folder whose journal says p1–p3 were recorded (the session before a crash).
void journalWithThreeDone(const fs::path &folder, const fs::path &queue) {
    Session s(loadQueueFile(queue).value());
    for (int i = 0; i < 3; ++i) {
        s.beginTake("00" + std::to_string(i + 1) + ".mkv", "2026-12-01T10:00:00Z");
        s.endTake("2026-12-01T10:00:02Z");
        s.next();
    }
    REQUIRE(SessionJournal(folder).save(s).ok());
}

} // namespace

TEST_CASE("SessionHub: a resumed journal moves the cursor while the display still shows the "
          "previous recipient; the recording starts on the switch") {
    Fixture f;
    const fs::path folder = f.dir / "recording";
    fs::create_directories(folder);
    journalWithThreeDone(folder, f.dir / "queue.csv");

    const ResumeReport r = f.hub.useJournal(folder, recoverRecordingFolder(folder));
    CHECK(r.resumed);
    REQUIRE(f.hub.currentWithTake().has_value());
    CHECK(f.hub.currentWithTake()->first.id == "p4@x.example");
    // The source still draws Person 001: nothing may be recorded as Person 004 yet.
    CHECK_FALSE(f.hub.onScreenWithTake().has_value());
    f.tick(); // the source has not rendered Person 004 yet: no switch
    f.tick();
    CHECK(f.boundaries.empty());
    CHECK_FALSE(f.hub.onScreenWithTake().has_value());

    f.sourceCatchesUp();
    const std::uint64_t at = f.frame + kFrameNs;
    f.tick();
    // The switch to Person 004 is published on the first frame that shows them.
    REQUIRE(f.boundaries.size() == 1);
    CHECK(f.boundaries[0] == std::make_pair(at, std::string("p4@x.example")));
    REQUIRE(f.hub.onScreenWithTake().has_value());
    CHECK(f.hub.onScreenWithTake()->first.id == "p4@x.example");
    CHECK(f.hub.onScreenWithTake()->second == 1);
}

TEST_CASE("SessionHub: an interrupted file counts as a take, so the next take number follows") {
    Fixture f;
    const fs::path folder = f.dir / "recording";
    fs::create_directories(folder);
    journalWithThreeDone(folder, f.dir / "queue.csv");
    // The manifest lists Person 004's file as still being written when the process died.
    Manifest m(folder);
    ManifestEntry e;
    e.recipientId = "p4@x.example";
    e.name = "Person 004";
    e.file = "004_Person-004.mkv";
    e.status = "recording";
    m.entries().push_back(e);
    REQUIRE(m.save().ok());
    std::ofstream(folder / e.file) << "not a video: cut off before the header";

    const FolderRecovery recovery = recoverRecordingFolder(folder);
    REQUIRE(recovery.interrupted.size() == 1);
    CHECK(recovery.interrupted[0].status == "interrupted");
    CHECK(recovery.interrupted[0].frames == 0);
    f.hub.useJournal(folder, recovery);
    REQUIRE(f.hub.currentWithTake().has_value());
    CHECK(f.hub.currentWithTake()->first.id == "p4@x.example"); // still to record
    CHECK(f.hub.currentWithTake()->second == 2);
    // The manifest on disk keeps the file, described.
    std::string note;
    const Manifest again = Manifest::load(folder, note);
    CHECK(note.empty());
    REQUIRE(again.entries().size() == 1);
    CHECK(again.entries()[0].status == "interrupted");
}

TEST_CASE("SessionHub: hidden until the current recipient is on screen, the switch still happens") {
    Fixture f;
    f.hub.next(); // the cursor moves; the source has not rendered Person 002
    f.hub.hideUntilCurrentShown();
    CHECK(f.hub.frameState().held);
    f.tick();
    CHECK(f.hub.frameState().held); // still drawing nobody rather than Person 001
    f.sourceCatchesUp();
    f.tick();
    REQUIRE(f.boundaries.size() == 1);
    CHECK(f.boundaries[0].second == "p2@x.example");
    CHECK_FALSE(f.hub.frameState().held);
    // Already on screen: nothing to hide.
    f.hub.hideUntilCurrentShown();
    CHECK_FALSE(f.hub.frameState().held);
}

TEST_CASE("SessionHub: releasing a hold never reveals the previous recipient") {
    Fixture f;
    f.hub.setHold(true);
    f.hub.next();
    f.tick();
    f.hub.setHold(false); // released before the source has Person 002 ready
    CHECK(f.hub.frameState().held);
    f.sourceCatchesUp();
    f.tick();
    CHECK_FALSE(f.hub.frameState().held);
    REQUIRE(f.boundaries.size() == 1);
    CHECK(f.boundaries[0].second == "p2@x.example");
}
