// SPDX-License-Identifier: GPL-2.0-or-later
// SessionHub: the one-frame switch shared by every source, and what a recording may start on.
// Driven with a fake frame clock: each tick() is one video frame.

#include "core/session/folder_recovery.hpp"
#include "core/session/session_hub.hpp"
#include "core/session/source_reports.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

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

TEST_CASE("SessionHub: a switch waits for every source, then is one frame for all") {
    Fixture f;
    const SessionHub::SourceId second = f.hub.registerSource();
    const SessionHub::SourceId third = f.hub.registerSource();
    const std::uint64_t before = f.hub.frameState().generation;
    REQUIRE(f.hub.next());
    const std::uint64_t gen = f.hub.frameState().generation;
    CHECK(gen == before + 1);
    f.sourceCatchesUp();
    f.hub.sourceReady(second, gen);
    for (int i = 0; i < 10; ++i) {
        CHECK(f.tick() == before); // the third source is still rendering
    }
    CHECK(f.boundaries.empty());
    f.hub.sourceReady(third, gen);
    CHECK(f.tick() == gen);
    REQUIRE(f.boundaries.size() == 1);
    CHECK(f.boundaries[0] == std::make_pair(f.frame, std::string("p2@x.example")));
    // Every later call on the same frame gets the same answer (one decision per frame).
    CHECK(f.hub.tick(f.frame) == gen);
    CHECK(f.boundaries.size() == 1);
}

TEST_CASE("SessionHub: a source that is never ready holds a switch at most kMaxSwitchWaitNs") {
    Fixture f;
    (void)f.hub.registerSource(); // renders nothing, ever
    REQUIRE(f.hub.next());
    f.sourceCatchesUp();
    const std::uint64_t pressed = f.frame + kFrameNs; // the first tick that sees the switch
    while (f.boundaries.empty() && f.frame < pressed + 2 * SessionHub::kMaxSwitchWaitNs) {
        f.tick();
    }
    REQUIRE(f.boundaries.size() == 1);
    const std::uint64_t waited = f.boundaries[0].first - pressed;
    CHECK(waited > SessionHub::kMaxSwitchWaitNs);
    CHECK(waited <= SessionHub::kMaxSwitchWaitNs + 2 * kFrameNs);
}

TEST_CASE("SessionHub: next and previous at the ends of the queue stay put, nothing re-renders") {
    Fixture f;
    const std::uint64_t gen = f.hub.frameState().generation;
    CHECK_FALSE(f.hub.previous());
    CHECK(f.hub.frameState().generation == gen);
    CHECK(f.hub.snapshot().index == 1);
    REQUIRE(f.hub.jump(4));
    const std::uint64_t last = f.hub.frameState().generation;
    CHECK(last == gen + 1);
    CHECK_FALSE(f.hub.next());
    CHECK(f.hub.frameState().generation == last);
    CHECK(f.hub.snapshot().index == 4);
    CHECK_FALSE(f.hub.jump(5));
    CHECK_FALSE(f.hub.jump(0));
    CHECK(f.hub.snapshot().index == 4);
}

TEST_CASE("SessionHub: skip moves on and counts; retake stays on the recipient") {
    Fixture f;
    const std::uint64_t gen = f.hub.frameState().generation;
    REQUIRE(f.hub.skip());
    HubSnapshot s = f.hub.snapshot();
    CHECK(s.index == 2);
    CHECK(s.counts.skipped == 1);
    CHECK(f.hub.frameState().generation == gen + 1);
    REQUIRE(f.hub.retake());
    s = f.hub.snapshot();
    CHECK(s.index == 2); // same person, same picture: no re-render, no new file boundary
    CHECK(s.state == RecipientState::RetakeRequested);
    CHECK(f.hub.frameState().generation == gen + 1);
    REQUIRE(f.hub.markDone());
    CHECK(f.hub.snapshot().index == 3);
    CHECK(f.hub.snapshot().counts.recorded == 1);
}

TEST_CASE("SessionHub: toggle hides and shows every source") {
    Fixture f;
    CHECK(f.hub.frameState().visible);
    CHECK_FALSE(f.hub.toggle());
    CHECK_FALSE(f.hub.frameState().visible);
    CHECK_FALSE(f.hub.snapshot().visible);
    CHECK(f.hub.toggle());
    CHECK(f.hub.frameState().visible);
}

TEST_CASE("SessionHub: hold on switch hides in the same step, counts hidden frames, then calls "
          "back once, on a tick") {
    Fixture f;
    int calls = 0;
    f.hub.setHoldOnSwitch(3, [&] { ++calls; });
    REQUIRE(f.hub.next());
    CHECK(f.hub.frameState().held); // no frame between the switch and the hold
    f.sourceCatchesUp();
    f.tick();
    f.tick();
    CHECK(calls == 0);
    CHECK(f.boundaries.empty()); // no switch becomes visible while held
    f.tick();
    CHECK(calls == 1); // three hidden frames went out
    f.tick();
    f.tick();
    CHECK(calls == 1);
    f.hub.setHold(false); // OBS opened the next file
    f.tick();
    REQUIRE(f.boundaries.size() == 1);
    CHECK(f.boundaries[0].second == "p2@x.example");
    // Next at the end goes nowhere: neither holds nor calls.
    REQUIRE(f.hub.jump(4));
    f.sourceCatchesUp();
    for (int i = 0; i < 4; ++i) {
        f.tick();
    }
    f.hub.setHold(false);
    f.tick();
    const int before = calls;
    CHECK_FALSE(f.hub.next());
    CHECK_FALSE(f.hub.frameState().held);
    f.tick();
    CHECK(calls == before);
    // Turned off: a switch neither holds nor calls.
    f.hub.setHoldOnSwitch(0, {});
    REQUIRE(f.hub.previous());
    CHECK_FALSE(f.hub.frameState().held);
}

TEST_CASE("SessionHub: a queue edit during a pending switch re-renders; the switch shows the "
          "edited recipient once") {
    Fixture f;
    REQUIRE(f.hub.next());
    const std::uint64_t pending = f.hub.frameState().generation;
    f.tick(); // the source is still rendering Person 002
    // The CRM export is edited meanwhile: Person 002 has a new name.
    std::ofstream(f.dir / "queue.csv")
        << "name,email\nPerson 001,p1@x.example\nPerson Two,p2@x.example\n"
           "Person 003,p3@x.example\nPerson 004,p4@x.example\n";
    const auto report = f.hub.pollQueueFile();
    REQUIRE(report.has_value());
    CHECK(report->applied);
    const std::uint64_t edited = f.hub.frameState().generation;
    CHECK(edited > pending);
    CHECK(f.hub.currentRecipient()->displayName() == "Person Two");
    // The frame of the old name is ready: it must not be shown, the edit is due.
    f.hub.sourceReady(f.source, pending);
    CHECK(f.tick() < pending + 1);
    CHECK(f.boundaries.empty());
    f.hub.sourceReady(f.source, edited);
    CHECK(f.tick() == edited);
    REQUIRE(f.boundaries.size() == 1);
    CHECK(f.boundaries[0].second == "p2@x.example");
}

namespace {

/// A disk that takes `delay` for every queue read and journal write (a network home folder, a
/// spun-down laptop drive, an antivirus scanning each write).
struct SlowDisk {
    std::chrono::milliseconds delay{500};
    std::atomic<int> reads{0};
    std::atomic<int> writes{0};
    std::mutex mutex;
    std::condition_variable never;     ///< waited on with a timeout: the disk's latency
    std::set<std::thread::id> threads; ///< every thread that waited on this disk

    void stall() {
        std::unique_lock lock(mutex);
        threads.insert(std::this_thread::get_id());
        never.wait_for(lock, delay, [] { return false; });
    }
    void forgetThreads() {
        std::lock_guard lock(mutex);
        threads.clear();
    }
    bool waitedOn(std::thread::id thread) {
        std::lock_guard lock(mutex);
        return threads.count(thread) != 0;
    }
    HubIo io() {
        HubIo io = HubIo::real();
        auto readQueueNow = io.readQueue;
        auto writeNow = io.writeFile;
        io.readQueue = [this, readQueueNow](const fs::path &p) {
            stall();
            ++reads;
            return readQueueNow(p);
        };
        io.writeFile = [this, writeNow](const fs::path &p, std::string_view text) {
            stall();
            ++writes;
            return writeNow(p, text);
        };
        return io;
    }
};

} // namespace

TEST_CASE("SessionHub: a disk that takes 500 ms never stalls a tick at 60 fps, and no switch is "
          "lost or late") {
    test::TempDir dir("slow-disk");
    const fs::path queue = writeQueue(dir);
    const fs::path other = dir / "other.csv";
    std::ofstream(other) << "name,email\nOther 1,o1@x.example\nOther 2,o2@x.example\n";
    const fs::path folder = dir / "recording";
    fs::create_directories(folder);
    SlowDisk disk;
    SessionHub hub(disk.io());
    REQUIRE(hub.openQueue(queue).ok()); // (the rep's own thread waits for this one)
    hub.useJournal(folder, recoverRecordingFolder(folder));
    const SessionHub::SourceId source = hub.registerSource();
    disk.forgetThreads(); // the set-up above read on this thread on purpose; from here, never

    // The "UI thread": three switches, each a journal write, and a queue opened in the
    // background meanwhile. It must never wait on the disk either.
    std::atomic<bool> done{false};
    std::atomic<int> pressed{0};
    std::vector<double> uiMs;
    std::thread::id uiThread;
    std::thread ui([&] {
        uiThread = std::this_thread::get_id();
        for (int i = 0; i < 3; ++i) {
            const auto start = std::chrono::steady_clock::now();
            REQUIRE(hub.next());
            uiMs.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count());
            ++pressed;
            // The next press once the switch is on screen (as a rep would).
            while (hub.snapshot().displayed != hub.snapshot().generation) {
                std::this_thread::yield();
            }
        }
        hub.openQueueInBackground(other);
        done = true;
    });

    // The "graphics thread": ticks at 60 fps on a real clock; the source renders instantly.
    constexpr auto kFrame = std::chrono::microseconds(16'667);
    std::vector<double> tickMs;
    std::vector<std::pair<int, std::uint64_t>> switches; ///< (frame, generation) published
    std::map<std::uint64_t, int> askedAt; ///< generation → first frame it was asked
    std::uint64_t displayed = 0;
    auto next = std::chrono::steady_clock::now();
    for (int frame = 0; frame < 150 || !done; ++frame) {
        REQUIRE(frame < 1200); // 20 s: something hangs
        next += kFrame;
        std::this_thread::sleep_until(next); // the video clock
        const auto start = std::chrono::steady_clock::now();
        const SessionHub::FrameState s = hub.frameState();
        askedAt.emplace(s.generation, frame);
        hub.sourceReady(source, s.generation);
        const std::uint64_t shown = hub.tick(static_cast<std::uint64_t>(frame + 1) *
                                             static_cast<std::uint64_t>(kFrame.count()) * 1000);
        tickMs.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
        if (shown != displayed) {
            switches.emplace_back(frame, shown);
            displayed = shown;
        }
    }
    ui.join();
    hub.flush();

    std::vector<double> sorted = tickMs;
    std::sort(sorted.begin(), sorted.end());
    const double p99 = sorted[sorted.size() * 99 / 100];
    const double worst = sorted.back();
    MESSAGE("slow disk (500 ms a read or write): "
            << tickMs.size() << " ticks, p99 " << p99 << " ms, worst " << worst
            << " ms; UI presses " << uiMs[0] << ", " << uiMs[1] << ", " << uiMs[2] << " ms; "
            << disk.writes.load() << " journal writes, " << disk.reads.load() << " queue reads");
    // What a busy machine cannot fail: no read or write ran on the tick's thread or the UI's,
    // and no tick or press waited on one elsewhere (through a lock): each would take the disk's
    // 500 ms, while scheduling on a loaded 2-core machine preempts for milliseconds, never
    // 250 ms. The percentiles above are for the eye, not asserted.
    CHECK_FALSE(disk.waitedOn(std::this_thread::get_id()));
    CHECK_FALSE(disk.waitedOn(uiThread));
    const auto waited = [&](double ms) { return ms >= disk.delay.count() / 2.0; };
    CHECK(std::count_if(tickMs.begin(), tickMs.end(), waited) == 0);
    CHECK(std::count_if(uiMs.begin(), uiMs.end(), waited) == 0);
    // Every switch the UI asked for was published, each within a frame of being asked.
    REQUIRE(pressed == 3);
    std::vector<std::pair<int, std::uint64_t>> userSwitches;
    for (const auto &[frame, gen] : switches) {
        if (askedAt.count(gen) != 0) {
            CHECK(frame - askedAt[gen] <= 1);
        }
        userSwitches.emplace_back(frame, gen);
    }
    CHECK(userSwitches.size() >= 4); // three nexts + the other queue
    // The disk did the work, later: the journal says Person 004, the other queue is open.
    CHECK(disk.writes >= 1);
    const HubSnapshot s = hub.snapshot();
    CHECK(s.queuePath == other.string());
    CHECK(s.counts.total == 2);
    std::ifstream in(folder / kJournalFileName);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("o1@x.example") != std::string::npos);
}

TEST_CASE("source reports: the first source (by name) that cannot draw is the error; a source "
          "gone takes its report along") {
    SourceReports reports;
    int a = 0;
    int b = 0;
    reports.publish(&a, {"Lower third", "default", ""});
    CHECK(reports.firstError().empty());
    reports.publish(&b, {"Note", "sticky.json", "theme sticky.json: elements[0].quad: bad"});
    CHECK(reports.firstError() == "source 'Note': theme sticky.json: elements[0].quad: bad");
    REQUIRE(reports.all().size() == 2);
    CHECK(reports.all()[0].name == "Lower third");
    reports.publish(&b, {"Note", "sticky.json", ""}); // fixed
    CHECK(reports.firstError().empty());
    reports.remove(&b);
    CHECK(reports.all().size() == 1);
}

TEST_CASE("queue list: rows with state and the current one; search folds case and accents, "
          "every word must match; a reload keeps the current row by id") {
    CHECK(foldForSearch("Zoë MÜLLER-Lüdenscheidt") == "zoe muller-ludenscheidt");
    CHECK(foldForSearch("ＡＣＭＥ Straße") == "acme strasse"); // full-width letters, ß
    test::TempDir dir("queue-list");
    const fs::path q = dir / "queue.csv";
    std::ofstream(q) << "name,company,email\nJohn Smith,Acme,john@acme.example\n"
                        "Zoë Müller,Bäckerei,zoe@b.example\nJohn Doe,Initech,jd@initech.example\n";
    SessionHub hub;
    REQUIRE(hub.openQueue(q).ok());
    auto rows = hub.listRows();
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].current);
    CHECK(rows[1].name == "Zoë Müller");
    CHECK(rows[1].index == 2);
    CHECK(searchRows(rows, "") == std::vector<std::size_t>{0, 1, 2});
    CHECK(searchRows(rows, "john") == std::vector<std::size_t>{0, 2});
    CHECK(searchRows(rows, "JOHN initech") == std::vector<std::size_t>{2}); // the other John
    CHECK(searchRows(rows, "zoe mull") == std::vector<std::size_t>{1});
    CHECK(searchRows(rows, "backerei") == std::vector<std::size_t>{1});
    CHECK(searchRows(rows, "nobody").empty());
    REQUIRE(hub.jump(3));
    REQUIRE(hub.skip());
    rows = hub.listRows();
    CHECK(rows[2].state == RecipientState::Skipped);
    CHECK(rows[2].current); // the last one: skipping stays there
    // The file changes: a row is added before the current one; it stays current by id.
    REQUIRE(hub.jump(2));
    // The CRM exports the file again (a later time, so the hub's poll sees it).
    const auto reexport = [&](const std::string &second, int seconds) {
        std::ofstream(q) << "name,company,email\nAmy Wu,Globex,amy@globex.example\n"
                         << second
                         << ",Acme,john@acme.example\nZoë Müller,Bäckerei,zoe@b.example\n"
                            "John Doe,Initech,jd@initech.example\n";
        fs::last_write_time(q, fs::last_write_time(q) + std::chrono::seconds(seconds));
        REQUIRE(hub.pollQueueFile().has_value());
        return hub.listRows();
    };
    rows = reexport("John Smith", 5);
    REQUIRE(rows.size() == 4);
    CHECK(rows[2].current);
    CHECK(rows[2].name == "Zoë Müller");
    CHECK(rows[3].state == RecipientState::Skipped); // state follows the id, not the position
    // A name corrected in the CRM, same number of rows: the list (and its search) shows the new
    // one (the names are kept per queue version, built outside the hub's lock).
    rows = reexport("Jon Smyth", 10);
    REQUIRE(rows.size() == 4);
    CHECK(rows[1].name == "Jon Smyth");
    CHECK(searchRows(rows, "smyth") == std::vector<std::size_t>{1});
}

namespace {
/// Every outcome the hub emits (from any thread), in order.
class OutcomeLog {
  public:
    explicit OutcomeLog(SessionHub &hub) : hub_(hub) {
        hub.setOnOutcome([this](const HubOutcome &o) {
            std::lock_guard lock(mutex_);
            outcomes_.push_back(o);
        });
    }
    ~OutcomeLog() { hub_.setOnOutcome({}); }
    OutcomeLog(const OutcomeLog &) = delete;
    OutcomeLog &operator=(const OutcomeLog &) = delete;
    std::vector<HubOutcome> all() const {
        std::lock_guard lock(mutex_);
        return outcomes_;
    }

  private:
    SessionHub &hub_;
    mutable std::mutex mutex_;
    std::vector<HubOutcome> outcomes_;
};
} // namespace

TEST_CASE("SessionHub: a provided queue (a team campaign) and a file queue: the last one asked "
          "for wins, whatever finishes first") {
    test::TempDir dir("provided");
    const fs::path file = writeQueue(dir);
    auto provided = [](std::vector<std::string> names) {
        Queue q;
        q.source = "campaign \"c\"";
        q.columns = {"full_name", "email"};
        int i = 0;
        for (const auto &n : names) {
            Recipient r;
            r.index = ++i * 10; // the campaign's positions, not the hub's
            r.id = n + "@c.example";
            r.set("full_name", n);
            r.set("email", r.id);
            q.recipients.push_back(r);
        }
        return q;
    };
    SlowDisk disk;
    disk.delay = std::chrono::milliseconds(300);
    SessionHub hub(disk.io());
    OutcomeLog log(hub);

    // The file is asked for first and is slow to read; the campaign after it: the file's load
    // must not land over the campaign.
    hub.openQueueInBackground(file);
    hub.expectProvidedQueue("postgresql:///crm?campaign=c");
    CHECK(hub.snapshot().loading);
    CHECK(hub.openProvidedQueue("postgresql:///crm?campaign=c", provided({"Ann", "Bo"})));
    hub.flush(); // the file's read finished meanwhile
    HubSnapshot s = hub.snapshot();
    CHECK(s.queuePath == "postgresql:///crm?campaign=c");
    REQUIRE(s.current.has_value());
    CHECK(s.current->displayName() == "Ann");
    CHECK(s.index == 10);
    CHECK(!s.loading);

    // More claimed: the cursor stays on the same person; next moves within what is there.
    REQUIRE(
        hub.replaceProvidedQueue("postgresql:///crm?campaign=c", provided({"Ann", "Bo", "Cy"})));
    CHECK(hub.currentRecipient()->displayName() == "Ann");
    CHECK(hub.next());
    CHECK(hub.currentRecipient()->displayName() == "Bo");

    // Outcomes reach the listener: a take (with the recorder's facts) and a skip; skipping
    // someone already recorded is not an outcome.
    hub.recordTake("Ann@c.example", "010_ann.mkv", "t0", "t1", TakeFacts{3.5, 105, "complete"});
    CHECK(hub.skip()); // Bo
    CHECK(hub.jumpToId("Ann@c.example"));
    CHECK(hub.skip()); // Ann was recorded: no outcome
    {
        const std::vector<HubOutcome> outcomes = log.all();
        REQUIRE(outcomes.size() == 2);
        CHECK(outcomes[0].outcome == "recorded");
        CHECK(outcomes[0].file == "010_ann.mkv");
        CHECK(outcomes[0].frames == 105);
        CHECK(outcomes[1].outcome == "skipped");
        CHECK(outcomes[1].recipientId == "Bo@c.example");
    }

    // The campaign problem shows in the snapshot while it is the one asked for.
    hub.providedQueueProblem("postgresql:///crm?campaign=c", "", "#30 Cy is not yours any more");
    CHECK(hub.snapshot().notice == "#30 Cy is not yours any more");

    // Now a file again: the campaign's late updates change nothing.
    hub.openQueueInBackground(file);
    CHECK(!hub.providing("postgresql:///crm?campaign=c"));
    CHECK(!hub.replaceProvidedQueue("postgresql:///crm?campaign=c", provided({"Zed"})));
    CHECK(!hub.openProvidedQueue("postgresql:///crm?campaign=c", provided({"Zed"})));
    hub.providedQueueProblem("postgresql:///crm?campaign=c", "unreachable");
    hub.flush();
    s = hub.snapshot();
    CHECK(s.queuePath == file.string());
    CHECK(s.error.empty());
}

TEST_CASE("SessionHub: the same person from another queue is a new file; a take that closes after "
          "the queue changed belongs to the queue it was recorded from") {
    test::TempDir dir("origin");
    const fs::path file = dir / "mine.csv";
    std::ofstream(file) << "full_name,email\nAnn (file),ann@c.example\nBo (file),bo@c.example\n";
    const std::string campaign = "postgresql:///crm?campaign=c";
    Queue q;
    q.source = "campaign \"c\"";
    q.columns = {"full_name", "email"};
    for (const char *name : {"Ann", "Bo"}) {
        Recipient r;
        r.index = static_cast<int>(q.recipients.size()) + 1;
        r.id = std::string(name == std::string("Ann") ? "ann" : "bo") + "@c.example";
        r.set("full_name", name);
        r.set("email", r.id);
        q.recipients.push_back(r);
    }
    SessionHub hub;
    std::vector<Boundary> boundaries;
    hub.setOnBoundary([&](const Boundary &b, const Recipient &, int) { boundaries.push_back(b); });
    OutcomeLog log(hub);

    hub.expectProvidedQueue(campaign);
    REQUIRE(hub.openProvidedQueue(campaign, q));
    hub.tick(1);
    REQUIRE(boundaries.size() == 1);
    CHECK(boundaries[0].recipientId == "ann@c.example");
    CHECK(boundaries[0].queue == campaign);
    CHECK(hub.queueLabel() == campaign);

    // The rep's own file with the same people: Ann again, but from another queue, a new file.
    REQUIRE(hub.openQueue(file).ok());
    hub.tick(2);
    REQUIRE(boundaries.size() == 2);
    CHECK(boundaries[1].recipientId == "ann@c.example");
    CHECK(boundaries[1].queue == file.string());
    hub.tick(3); // nothing changed: no file
    CHECK(boundaries.size() == 2);

    // The campaign take closes now: its outcome names the campaign, and the file's Ann is not
    // recorded by it. The file's own take is.
    hub.recordTake("ann@c.example", "001_ann.mkv", "t0", "t1", TakeFacts{2.0, 60, "complete"},
                   boundaries[0].queue);
    CHECK(hub.snapshot().counts.recorded == 0);
    hub.recordTake("ann@c.example", "001_ann-file.mkv", "t1", "t2", TakeFacts{2.0, 60, "complete"},
                   boundaries[1].queue);
    CHECK(hub.snapshot().counts.recorded == 1);
    const std::vector<HubOutcome> outcomes = log.all();
    REQUIRE(outcomes.size() == 2);
    CHECK(outcomes[0].queue == campaign);
    CHECK(outcomes[0].file == "001_ann.mkv");
    CHECK(outcomes[1].queue == file.string());
}

TEST_CASE("SessionHub: every row a load skipped or changed is in the snapshot, in cuecard check's "
          "words, also when a session resumes") {
    test::TempDir dir("hub-problems");
    const fs::path queue = dir / "crm.csv";
    std::ofstream(queue) << "full_name,email\nJane Doe,jane@x.example\nJos\xe9 Mar\xed"
                            "a,jose@x.example\nSam Lee,sam@x.example\nSam Lee,sam@x.example\n";
    SessionHub hub;
    REQUIRE(hub.openQueue(queue).ok());
    HubSnapshot s = hub.snapshot();
    CHECK(s.counts.total == 3);
    CHECK(s.rowsSkipped() == 1); // the Windows-1252 row; the duplicate is a warning
    REQUIRE(s.queueProblems != nullptr);
    REQUIRE(s.queueProblems->lines.size() == 2);
    CHECK(s.queueProblems->lines.at(0).rfind("crm.csv:3:", 0) == 0);
    CHECK(s.queueProblems->lines.at(0).find(
              "not UTF-8 (a Windows-1252 or Latin-1 export?); re-export "
              "as \"CSV UTF-8\"") != std::string::npos);
    CHECK(s.queueProblems->lines.at(1).rfind("crm.csv:5:", 0) == 0);
    CHECK(s.queueProblems->firstSkipped == s.queueProblems->lines.at(0)); // get_state's error
    CHECK(s.notice.find("1 row(s) skipped, 1 warning(s)") != std::string::npos);

    // A session in a folder that has a journal: the resume message, and the skipped rows still.
    const fs::path folder = dir / "rec";
    fs::create_directories(folder);
    hub.useJournal(folder, recoverRecordingFolder(folder));
    REQUIRE(hub.next());
    hub.flush();
    SessionHub again;
    again.useJournal(folder, recoverRecordingFolder(folder));
    REQUIRE(again.openQueue(queue).ok());
    s = again.snapshot();
    CHECK(s.notice.find("resum") != std::string::npos);
    CHECK(s.notice.find("1 row(s) skipped, 1 warning(s)") != std::string::npos);
    REQUIRE(s.queueProblems != nullptr);
    CHECK(s.queueProblems->lines.size() == 2);

    // The export fixed: no problems left.
    std::ofstream(queue) << "full_name,email\nJane Doe,jane@x.example\nJos\xc3\xa9 Mar\xc3\xad"
                            "a,jose@x.example\nSam Lee,sam@x.example\n";
    SessionHub fixed;
    REQUIRE(fixed.openQueue(queue).ok());
    CHECK(fixed.snapshot().queueProblems == nullptr);
    CHECK(fixed.snapshot().rowsSkipped() == 0);
}

TEST_CASE("SessionHub: a session starts on the recipient the rep chose (a recorded one becomes a "
          "retake); with no choice it resumes at the first one not recorded") {
    test::TempDir dir("hub-chosen");
    const fs::path queue = dir / "crm.csv";
    std::ofstream(queue) << "full_name,email\nAnn Able,ann@x.example\nBo Brand,bo@x.example\n"
                            "Cara Cole,cara@x.example\nDan Dale,dan@x.example\n";
    const fs::path folder = dir / "rec";
    fs::create_directories(folder);
    {
        // First session: Cara is recorded.
        SessionHub hub;
        REQUIRE(hub.openQueue(queue).ok());
        hub.useJournal(folder, recoverRecordingFolder(folder));
        REQUIRE(hub.jump(3));
        hub.recordTake("cara@x.example", "003_Cara-Cole.mkv", "2026-12-04T10:00:00Z",
                       "2026-12-04T10:00:20Z", {});
        hub.flush();
    }
    {
        // OBS restarted, no one chosen: resumes at the first one not recorded (as after a crash).
        SessionHub hub;
        REQUIRE(hub.openQueue(queue).ok());
        hub.useJournal(folder, recoverRecordingFolder(folder));
        const HubSnapshot s = hub.snapshot();
        CHECK(s.index == 1);
        CHECK(s.notice.find("as chosen") == std::string::npos);
    }
    {
        // The rep jumps back to Cara to record her again: the session starts on Cara, a retake.
        SessionHub hub;
        REQUIRE(hub.openQueue(queue).ok());
        REQUIRE(hub.jump(3));
        hub.useJournal(folder, recoverRecordingFolder(folder));
        HubSnapshot s = hub.snapshot();
        CHECK(s.index == 3);
        REQUIRE(s.current.has_value());
        CHECK(s.current->id == "cara@x.example");
        CHECK(s.state == RecipientState::RetakeRequested);
        CHECK(s.notice.find("#3 Cara Cole is recorded in this folder already: this take is a "
                            "retake") != std::string::npos);
        // Chosen and not recorded: stays there, and says so.
        REQUIRE(hub.jump(4));
        hub.useJournal(folder, recoverRecordingFolder(folder));
        s = hub.snapshot();
        CHECK(s.index == 4);
        CHECK(s.notice.find("starting on #4 Dan Dale, as chosen") != std::string::npos);
        // The choice is used once: a start without moving again resumes as usual.
        hub.useJournal(folder, recoverRecordingFolder(folder));
        CHECK(hub.snapshot().index == 1);
    }
}
