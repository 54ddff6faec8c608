// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/queue_watcher.hpp"
#include "core/session/session.hpp"
#include "core/session/session_journal.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace cuecard;
namespace fs = std::filesystem;

namespace {

Queue queueOf(std::string_view csv) {
    return readQueueText(csv, "q.csv", ".csv");
}

const char *kFive = "name,email\nAnn,ann@x.example\nBen,ben@x.example\nCal,cal@x.example\n"
                    "Dee,dee@x.example\nEve,eve@x.example\n";

} // namespace

TEST_CASE("session: navigation and states") {
    Session s(queueOf(kFive));
    int changes = 0;
    s.setOnChange([&] { ++changes; });
    REQUIRE(s.current() != nullptr);
    CHECK(s.current()->displayName() == "Ann");
    CHECK_FALSE(s.previous());
    CHECK(s.next());
    CHECK(s.current()->displayName() == "Ben");
    s.skip(); // Ben skipped, now Cal
    CHECK(s.current()->displayName() == "Cal");
    CHECK(s.beginTake("003_Cal.mkv", "t0") == 1);
    s.endTake("t1");
    s.retake(); // Cal again
    CHECK(s.current()->displayName() == "Cal");
    CHECK(s.beginTake("003_Cal-2.mkv", "t2") == 2);
    s.endTake("t3");
    s.markDone(); // recorded, move on to Dee
    CHECK(s.current()->displayName() == "Dee");
    CHECK(s.jumpToId("eve@x.example"));
    CHECK(s.current()->index == 5);
    CHECK_FALSE(s.next()); // end of the queue
    CHECK(s.jumpTo(1));
    CHECK_FALSE(s.jumpTo(6));
    CHECK_FALSE(s.jumpToId("nobody"));
    const SessionCounts c = s.counts();
    CHECK(c.total == 5);
    CHECK(c.recorded == 1);
    CHECK(c.skipped == 1);
    CHECK(c.pending == 3);
    CHECK(s.progress("cal@x.example").takes.size() == 2);
    CHECK(s.firstNotDone() == 0);
    CHECK(changes > 8);
}

TEST_CASE("journal: resume lands on the first recipient not yet done") {
    const test::TempDir tmp("journal-resume");
    const fs::path &dir = tmp.path();
    {
        Session s(queueOf(kFive));
        SessionJournal journal(dir);
        s.setOnChange([&] { REQUIRE(journal.save(s).ok()); });
        s.markDone(); // Ann recorded
        s.skip();     // Ben skipped
        s.retake();   // Cal: retake requested (not done)
        s.jumpTo(4);
        s.markDone(); // Dee recorded
    }
    // Re-exported in another order: state follows the ids.
    Session again(queueOf("email,name\ndee@x.example,Dee\neve@x.example,Eve\n"
                          "cal@x.example,Cal\nann@x.example,Ann\nben@x.example,Ben\n"));
    const ResumeReport r = SessionJournal(dir).restore(again);
    CHECK(r.resumed);
    CHECK(r.setAside.empty());
    REQUIRE(again.current() != nullptr);
    CHECK(again.current()->displayName() == "Eve"); // Dee done, Eve is the first not done
    CHECK(r.message == "resumed: 2 recorded, 1 skipped, 2 to go of 5; continuing at #2 Eve");
    CHECK(again.stateOf(*again.queue().findById("cal@x.example")) ==
          RecipientState::RetakeRequested);
}

TEST_CASE("journal: a corrupt journal or one from another queue is kept aside") {
    const test::TempDir tmp("journal-bad");
    const fs::path &dir = tmp.path();
    std::ofstream(dir / kJournalFileName) << "{\"cuecard_session\": 1, \"recipients\": [tru";
    Session s(queueOf(kFive));
    ResumeReport r = SessionJournal(dir).restore(s);
    CHECK_FALSE(r.resumed);
    REQUIRE_FALSE(r.setAside.empty());
    CHECK(fs::exists(r.setAside));
    CHECK(r.message.find("is damaged") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / kJournalFileName)); // moved, not deleted
    std::ifstream kept(r.setAside);
    std::ostringstream content;
    content << kept.rdbuf();
    CHECK(content.str() == "{\"cuecard_session\": 1, \"recipients\": [tru");

    Session other(queueOf("name,email\nZed,zed@y.example\n"));
    REQUIRE(SessionJournal(dir).save(s).ok());
    r = SessionJournal(dir).restore(other);
    CHECK_FALSE(r.resumed);
    CHECK(r.message.find("belongs to another queue") != std::string::npos);
    CHECK(fs::exists(r.setAside));
    CHECK(fs::path(r.setAside).filename().string().rfind("cuecard-session.other-queue-", 0) == 0);
}

TEST_CASE("journal: kill -9 during writes always leaves a whole journal") {
    const test::TempDir tmp("journal-kill");
    const fs::path &dir = tmp.path();
    // A big journal (2000 recipients with takes) so a non-atomic write would be caught torn.
    std::string csv = "name,email\n";
    for (int i = 0; i < 2000; ++i) {
        csv += "Person " + std::to_string(i) + ",p" + std::to_string(i) + "@x.example\n";
    }
    const Queue q = queueOf(csv);
    std::mt19937 rng(7);
    int checked = 0;
    for (int round = 0; round < 12; ++round) {
        const pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            Session s(q);
            SessionJournal journal(dir);
            for (int i = 0;; ++i) {
                s.jumpTo(1 + i % 2000);
                s.beginTake("take.mkv", "2026-11-28T00:00:00Z");
                (void)journal.save(s);
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 60));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        if (!fs::exists(dir / kJournalFileName)) {
            continue; // killed before the first save finished: nothing to check
        }
        Session s(q);
        const ResumeReport r = SessionJournal(dir).restore(s);
        CAPTURE(r.message);
        CHECK(r.resumed);
        CHECK(r.setAside.empty());
        ++checked;
    }
    CHECK(checked >= 8);
}

TEST_CASE("reload: the cursor stays on the same recipient, edits show, removal is handled") {
    Session s(queueOf(kFive));
    s.jumpTo(3); // Cal
    ReloadReport r = s.replaceQueue(queueOf("name,email\nCal Jr.,cal@x.example\nAnn,ann@x.example\n"
                                            "Ben,ben@x.example\nDee,dee@x.example\n"
                                            "Eve,eve@x.example\nFay,fay@x.example\n"));
    CHECK(r.applied);
    CHECK(s.current()->id == "cal@x.example");
    CHECK(s.current()->displayName() == "Cal Jr.");
    CHECK(r.currentChanged);
    CHECK(r.added == 1);
    CHECK(r.changed == 1);
    CHECK(r.removed == 0);

    // The current recipient disappears: move to the next one that is still there.
    s.jumpToId("ben@x.example"); // queue order now: Cal, Ann, Ben, Dee, Eve, Fay
    r = s.replaceQueue(queueOf("name,email\nAnn,ann@x.example\nEve,eve@x.example\n"
                               "Dee,dee@x.example\n"));
    CHECK(r.applied);
    CHECK(r.currentRemoved);
    CHECK(s.current()->displayName() == "Dee");
    CHECK(r.message.find("the current recipient was removed, now at #3 Dee") != std::string::npos);

    // A broken edit keeps the last good queue.
    r = s.replaceQueue(queueOf("name,email\n\"Ann,ann@x.example\n"));
    CHECK_FALSE(r.applied);
    CHECK(r.message.rfind("kept the last good queue: q.csv:2:1: error: unterminated quote", 0) ==
          0);
    CHECK(s.queue().recipients.size() == 3);
    CHECK(s.current()->displayName() == "Dee");
}

TEST_CASE("reload: the watcher sees real changes only") {
    const test::TempDir tmp("watch");
    const fs::path &dir = tmp.path();
    const fs::path file = dir / "q.csv";
    std::ofstream(file) << kFive;
    QueueWatcher watcher(file);
    CHECK_FALSE(watcher.poll().has_value());
    // Same content, new mtime: not a change.
    fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(5));
    CHECK_FALSE(watcher.poll().has_value());
    std::ofstream(file) << "name,email\nAnn Edited,ann@x.example\n";
    fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(10));
    auto q = watcher.poll();
    REQUIRE(q.has_value());
    CHECK(q->recipients.size() == 1);
    CHECK(q->recipients[0].displayName() == "Ann Edited");
    CHECK_FALSE(watcher.poll().has_value());
}
