// SPDX-License-Identifier: GPL-2.0-or-later
// Team campaigns on a real PostgreSQL (started by each test in a temporary folder, on a Unix
// socket): eight reps recording one campaign at once, every recipient exactly once; a rep
// killed mid-take; the database stopped for 10 s mid-session; a re-imported CRM export; a rep
// trying to mark another rep's claim; OBS's session hub fed by a campaign.

#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "core/team/team_claims.hpp"
#include "core/team/team_feed.hpp"
#include "core/team/team_store.hpp"
#include "team/pg_server.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace cuecard;
namespace fs = std::filesystem;

namespace {

const std::string kCli = CUECARD_CLI;

using Run = test::CommandRun;
Run run(const std::string &command) {
    return test::runCommand(command);
}

/// `cuecard ARGS…`, quoted for the shell.
std::string cli(const std::vector<std::string> &args) {
    std::string s = kCli;
    for (const auto &a : args) {
        s += " '" + a + "'";
    }
    return s;
}

/// Starts `cuecard ARGS…` in the background, its output in `log`.
pid_t spawn(const std::vector<std::string> &args, const fs::path &log) {
    const pid_t pid = fork();
    if (pid == 0) {
        const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        std::vector<char *> argv{const_cast<char *>(kCli.c_str())};
        for (const auto &a : args) {
            argv.push_back(const_cast<char *>(a.c_str()));
        }
        argv.push_back(nullptr);
        execv(kCli.c_str(), argv.data());
        _exit(127);
    }
    return pid;
}

int waitExit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string readText(const fs::path &p) {
    std::ifstream in(p);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

/// A queue of `n` people with stable ids (their e-mail).
fs::path writeQueue(const fs::path &file, int n, const std::string &suffix = "") {
    std::ofstream out(file);
    out << "full_name,title,company,email\n";
    for (int i = 1; i <= n; ++i) {
        out << "Person " << i << suffix << ",Director,Company " << i % 17 << ",person" << i
            << "@example.com\n";
    }
    return file;
}

/// The database as the team lead sees it.
std::unique_ptr<PgConnection> lead(const test::PgServer &pg) {
    auto c = PgConnection::connect(pg.conninfo());
    REQUIRE_MESSAGE(c.ok(), c.message());
    return std::move(c.value());
}

std::string one(PgConnection &db, const std::string &sql) {
    auto r = db.exec(sql);
    REQUIRE_MESSAGE(r.ok(), r.message());
    return r->get(0, 0);
}

/// A new campaign from `queue` with reps rep1…repN.
void setUp(const test::PgServer &pg, const std::string &campaign, const fs::path &queue, int reps) {
    Run r = run(kCli + " team init --db '" + pg.conninfo() + "'");
    REQUIRE_MESSAGE(r.code == 0, r.output);
    for (int i = 1; i <= reps; ++i) {
        r = run(kCli + " team add-rep --db '" + pg.conninfo() + "' --rep rep" + std::to_string(i));
        REQUIRE_MESSAGE(r.code == 0, r.output);
    }
    r = run(kCli + " team import --db '" + pg.conninfo() + "' --campaign " + campaign +
            " --queue '" + queue.string() + "'");
    REQUIRE_MESSAGE(r.code == 0, r.output);
}

std::vector<std::string> repSession(const test::PgServer &pg, int rep, const std::string &campaign,
                                    const fs::path &out, std::vector<std::string> extra) {
    std::vector<std::string> args = {
        "session", "--queue",    pg.queueUri("rep" + std::to_string(rep), campaign),
        "--out",   out.string(), "--testsrc",
        "--size",  "128x72",     "--fps",
        "10",      "--no-assets"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

/// Recipient ids in a rep's manifest (complete files only), and checks each file is there.
std::vector<std::string> recordedIn(const fs::path &dir) {
    std::vector<std::string> ids;
    const auto m = nlohmann::json::parse(readText(dir / "manifest.json"), nullptr, false);
    if (!m.is_object()) {
        return ids;
    }
    for (const auto &f : m["files"]) {
        if (f["status"] == "complete") {
            CHECK(fs::exists(dir / f["file"].get<std::string>()));
            ids.push_back(f["recipient_id"]);
        }
    }
    return ids;
}

/// Waits until `predicate` holds (checked every 20 ms), up to `seconds`.
template <class P> bool waitUntil(P predicate, int seconds) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (!predicate()) {
        if (std::chrono::steady_clock::now() > end) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

/// Waits until `sql` on the database gives `want`, up to `seconds`.
bool waitFor(PgConnection &db, const std::string &sql, const std::string &want, int seconds) {
    return waitUntil(
        [&] {
            auto r = db.exec(sql);
            return r && r->get(0, 0) == want;
        },
        seconds);
}

} // namespace

TEST_CASE("team: eight reps on one campaign of 400 record every recipient exactly once") {
    test::PgServer pg;
    test::TempDir dir("team-400");
    setUp(pg, "spring", writeQueue(dir / "crm.csv", 400), 8);
    std::vector<pid_t> reps;
    for (int i = 1; i <= 8; ++i) {
        reps.push_back(spawn(repSession(pg, i, "spring", dir / ("rep" + std::to_string(i)),
                                        {"--per-recipient", "0.2"}),
                             dir / ("rep" + std::to_string(i) + ".log")));
    }
    for (std::size_t i = 0; i < reps.size(); ++i) {
        const int code = waitExit(reps[i]);
        INFO(readText(dir / ("rep" + std::to_string(i + 1) + ".log")));
        CHECK(code == 0);
    }
    // In the files: 400 different recipients, nobody twice, every rep did some.
    std::multiset<std::string> all;
    for (int i = 1; i <= 8; ++i) {
        const auto ids = recordedIn(dir / ("rep" + std::to_string(i)));
        CHECK(!ids.empty());
        all.insert(ids.begin(), ids.end());
        CHECK(readText(dir / ("rep" + std::to_string(i) + ".log")).find("has no recipient left") !=
              std::string::npos);
    }
    CHECK(all.size() == 400);
    CHECK(std::set<std::string>(all.begin(), all.end()).size() == 400);
    // In the database: 400 recorded, one take each, by the rep whose folder has the file.
    auto db = lead(pg);
    CHECK(one(*db, "SELECT count(*) FROM cuecard_recipient WHERE state = 'recorded'") == "400");
    CHECK(one(*db, "SELECT count(*) FROM cuecard_take WHERE outcome = 'recorded'") == "400");
    CHECK(one(*db, "SELECT count(DISTINCT recipient_id) FROM cuecard_take") == "400");
    auto takes = db->exec("SELECT rep, file FROM cuecard_take");
    REQUIRE(takes.ok());
    for (int i = 0; i < takes->rows(); ++i) {
        CHECK_MESSAGE(fs::exists(dir / takes->get(i, 0) / takes->get(i, 1)), takes->get(i, 1));
    }
    const Run status =
        run(kCli + " team status --db '" + pg.conninfo() + "' --campaign spring --json");
    const auto s = nlohmann::json::parse(status.output, nullptr, false);
    REQUIRE(s.is_object());
    CHECK(s["recorded"] == 400);
    CHECK(s["left"] == 0);
    CHECK(s["reps"].size() == 8);
}

TEST_CASE("team: a rep killed mid-take: their claims come back after the lease, others record "
          "them; their finished files are in the database") {
    test::PgServer pg;
    test::TempDir dir("team-kill");
    setUp(pg, "kill", writeQueue(dir / "crm.csv", 12), 2);
    auto db = lead(pg);
    // rep1 records in real time, a second per recipient, two claimed ahead, 3 s leases.
    const pid_t rep1 =
        spawn(repSession(pg, 1, "kill", dir / "rep1",
                         {"--per-recipient", "1", "--realtime", "--lease", "3", "--ahead", "2"}),
              dir / "rep1.log");
    REQUIRE(waitFor(*db,
                    "SELECT count(*) >= 1 FROM cuecard_recipient WHERE state = 'recorded' "
                    "AND claimed_by = 'rep1'",
                    "t", 60));
    kill(rep1, SIGKILL);
    waitExit(rep1);
    const int held =
        std::stoi(one(*db, "SELECT count(*) FROM cuecard_recipient WHERE state = 'claimed'"));
    CHECK(held >= 1); // the take it was in, and what it had claimed ahead
    const std::string heldIds =
        one(*db, "SELECT string_agg(id, ',' ORDER BY id) FROM cuecard_recipient "
                 "WHERE state = 'claimed'");
    // While their leases run, nobody else gets them: rep2 records the rest of the pool.
    Run r2 = run(cli(repSession(pg, 2, "kill", dir / "rep2", {"--per-recipient", "0.2"})));
    INFO(r2.output);
    const int recordedByRep1 = std::stoi(
        one(*db, "SELECT count(*) FROM cuecard_take WHERE rep = 'rep1' AND outcome = 'recorded'"));
    // Once the leases ran out, rep2 (again) takes what rep1 held.
    REQUIRE(waitFor(*db,
                    "SELECT count(*) FROM cuecard_recipient WHERE state = 'claimed' AND "
                    "lease_until > now()",
                    "0", 30));
    Run again = run(cli(repSession(pg, 2, "kill", dir / "rep2", {"--per-recipient", "0.2"})));
    INFO(again.output);
    CHECK(again.code == 0);
    CHECK(one(*db, "SELECT count(*) FROM cuecard_recipient WHERE state = 'recorded'") == "12");
    CHECK(one(*db, "SELECT count(DISTINCT recipient_id) FROM cuecard_take WHERE outcome = "
                   "'recorded'") == "12");
    CHECK(one(*db, "SELECT count(*) FROM cuecard_take WHERE outcome = 'recorded'") == "12");
    // What rep1 held went to rep2.
    CHECK(one(*db, "SELECT count(*) FROM cuecard_take WHERE rep = 'rep2' AND recipient_id = "
                   "ANY (string_to_array('" +
                       heldIds + "', ','))") == std::to_string(held));
    // rep1's finished files: in the database and on disk.
    CHECK(recordedByRep1 >= 1);
    auto files = db->exec("SELECT file FROM cuecard_take WHERE rep = 'rep1'");
    REQUIRE(files.ok());
    for (int i = 0; i < files->rows(); ++i) {
        CHECK(fs::exists(dir / "rep1" / files->get(i, 0)));
    }
}

TEST_CASE("team: the database stopped for 10 s mid-session: reps go on, outcomes sync, still "
          "exactly once") {
    test::PgServer pg;
    test::TempDir dir("team-outage");
    setUp(pg, "outage", writeQueue(dir / "crm.csv", 24), 2);
    std::vector<pid_t> reps;
    for (int i = 1; i <= 2; ++i) {
        reps.push_back(spawn(repSession(pg, i, "outage", dir / ("rep" + std::to_string(i)),
                                        {"--per-recipient", "0.5", "--realtime", "--ahead", "4"}),
                             dir / ("rep" + std::to_string(i) + ".log")));
    }
    {
        auto db = lead(pg);
        REQUIRE(waitFor(*db,
                        "SELECT count(DISTINCT claimed_by) FROM cuecard_recipient WHERE state = "
                        "'recorded'",
                        "2", 60));
    }
    const auto recorded = [&] {
        return recordedIn(dir / "rep1").size() + recordedIn(dir / "rep2").size();
    };
    const auto atStop = recorded();
    pg.stop();
    // The outage lasts 10 s (the scenario); within it, wait until the reps have recorded files
    // without the database.
    const auto stoppedAt = std::chrono::steady_clock::now();
    while ((recorded() < atStop + 4 ||
            std::chrono::steady_clock::now() - stoppedAt < std::chrono::seconds(10)) &&
           std::chrono::steady_clock::now() - stoppedAt < std::chrono::seconds(30)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const auto during = recorded() - atStop;
    pg.start();
    for (std::size_t i = 0; i < reps.size(); ++i) {
        const int code = waitExit(reps[i]);
        INFO(readText(dir / ("rep" + std::to_string(i + 1) + ".log")));
        CHECK(code == 0);
        CHECK_FALSE(fs::exists(dir / ("rep" + std::to_string(i + 1)) / "team-outbox.jsonl"));
    }
    auto db = lead(pg);
    CHECK(during >= 4); // they recorded what they had claimed while the database was away
    CHECK(one(*db, "SELECT count(*) FROM cuecard_recipient WHERE state = 'recorded'") == "24");
    CHECK(one(*db, "SELECT count(*) FROM cuecard_take WHERE outcome = 'recorded'") == "24");
    std::multiset<std::string> all;
    for (int i = 1; i <= 2; ++i) {
        const auto ids = recordedIn(dir / ("rep" + std::to_string(i)));
        all.insert(ids.begin(), ids.end());
    }
    CHECK(all.size() == 24);
    CHECK(std::set<std::string>(all.begin(), all.end()).size() == 24);
}

TEST_CASE("team: re-importing an edited export keeps outcomes, updates names, and a removed "
          "recipient not yet recorded leaves the pool") {
    test::PgServer pg;
    test::TempDir dir("team-import");
    setUp(pg, "q1", writeQueue(dir / "crm.csv", 6), 1);
    auto db = lead(pg);
    // rep1 records the first two (two half-second slots).
    Run r = run(cli(
        repSession(pg, 1, "q1", dir / "rep1", {"--per-recipient", "0.5", "--duration", "1.0"})));
    INFO(r.output);
    CHECK(r.code == 0);
    CHECK(one(*db, "SELECT string_agg(id, ',' ORDER BY id) FROM cuecard_recipient WHERE state "
                   "= 'recorded'") == "person1@example.com,person2@example.com");
    // The CRM export changed: everyone renamed, #2 (recorded) and #5 (not) gone, #7 new.
    {
        std::ofstream out(dir / "crm2.csv");
        out << "full_name,title,company,email\n";
        for (int i : {1, 3, 4, 6, 7}) {
            out << "Renamed " << i << ",VP,Company " << i << ",person" << i << "@example.com\n";
        }
    }
    r = run(kCli + " team import --db '" + pg.conninfo() + "' --campaign q1 --queue '" +
            (dir / "crm2.csv").string() + "'");
    INFO(r.output);
    CHECK(r.code == 0);
    CHECK(r.output.find("1 added, 4 updated (outcomes kept), 1 removed from the pool") !=
          std::string::npos);
    CHECK(one(*db, "SELECT state FROM cuecard_recipient WHERE id = 'person1@example.com'") ==
          "recorded");
    CHECK(one(*db, "SELECT fields::text LIKE '%Renamed 1%' FROM cuecard_recipient WHERE id = "
                   "'person1@example.com'") == "t");
    CHECK(one(*db, "SELECT state FROM cuecard_recipient WHERE id = 'person2@example.com'") ==
          "recorded");
    CHECK(one(*db, "SELECT state FROM cuecard_recipient WHERE id = 'person5@example.com'") ==
          "removed");
    // Re-importing the same export changes nothing.
    r = run(kCli + " team import --db '" + pg.conninfo() + "' --campaign q1 --queue '" +
            (dir / "crm2.csv").string() + "'");
    CHECK(r.output.find("0 added, 5 updated (outcomes kept), 0 removed from the pool") !=
          std::string::npos);
    // The rest is recorded under the new names; #5 never is.
    r = run(cli(repSession(pg, 1, "q1", dir / "rep1b", {"--per-recipient", "0.3"})));
    INFO(r.output);
    CHECK(r.code == 0);
    const auto ids = recordedIn(dir / "rep1b");
    CHECK(std::set<std::string>(ids.begin(), ids.end()) ==
          std::set<std::string>{"person3@example.com", "person4@example.com", "person6@example.com",
                                "person7@example.com"});
    CHECK(r.output.find("Renamed 3") != std::string::npos);
    const Run status = run(kCli + " team status --db '" + pg.conninfo() + "' --campaign q1");
    CHECK(status.output.find("q1: 6 recipients, 6 recorded, 0 skipped, 0 being recorded, 0 left") !=
          std::string::npos);
}

TEST_CASE("team: a rep cannot mark another rep's claim; the lead can release it") {
    test::PgServer pg;
    test::TempDir dir("team-rls");
    setUp(pg, "rls", writeQueue(dir / "crm.csv", 3), 2);
    auto rep1 = PgConnection::connect(pg.conninfo("rep1"));
    auto rep2 = PgConnection::connect(pg.conninfo("rep2"));
    REQUIRE(rep1.ok());
    REQUIRE(rep2.ok());
    auto claimed = claimRecipients(*rep1.value(), "rls", 1, 60);
    REQUIRE(claimed.ok());
    REQUIRE(claimed->size() == 1);
    const std::string id = claimed->front().id;
    TeamOutcome o;
    o.recipientId = id;
    o.file = "001_x.mkv";
    // rep2 marking rep1's claim: refused by the database, saying whose it is.
    Status s = reportOutcome(*rep2.value(), "rls", o);
    CHECK_FALSE(s.ok());
    CHECK(s.message().find("claimed by rep1") != std::string::npos);
    // Going round the functions does not work either: reps cannot write the tables.
    auto direct = rep2.value()->exec(
        "UPDATE cuecard_recipient SET state = 'recorded', claimed_by = 'rep2' WHERE id = $1", {id});
    CHECK_FALSE(direct.ok());
    CHECK(direct.message().find("permission denied") != std::string::npos);
    auto take = rep2.value()->exec("INSERT INTO cuecard_take (campaign_id, recipient_id, rep, "
                                   "outcome) SELECT id, $1, 'rep1', 'recorded' FROM "
                                   "cuecard_campaign",
                                   {id});
    CHECK_FALSE(take.ok());
    CHECK(giveBack(*rep2.value(), "rls", {id}).value() == 0);
    // rep2's claims skip what rep1 holds.
    auto other = claimRecipients(*rep2.value(), "rls", 5, 60);
    REQUIRE(other.ok());
    CHECK(other->size() == 2);
    for (const auto &r : *other) {
        CHECK(r.id != id);
    }
    // rep1's own report is taken; a second identical one changes nothing.
    CHECK(reportOutcome(*rep1.value(), "rls", o).ok());
    CHECK(reportOutcome(*rep1.value(), "rls", o).ok());
    auto db = lead(pg);
    CHECK(one(*db, "SELECT count(*) FROM cuecard_take") == "1");
    // The lead releases rep2's claims (rep2 is ill): back in the pool.
    const Run released =
        run(kCli + " team release --db '" + pg.conninfo() + "' --campaign rls --rep rep2");
    CHECK(released.code == 0);
    CHECK(released.output.find("2 recipient(s) rep2 held are back in the pool") !=
          std::string::npos);
    CHECK(one(*db, "SELECT count(*) FROM cuecard_recipient WHERE state = 'pending'") == "2");
    // A rep cannot release (only the lead's role writes the tables).
    const Run notLead =
        run(kCli + " team release --db '" + pg.conninfo("rep1") + "' --campaign rls --rep rep2");
    CHECK(notLead.code == 1);
    CHECK(notLead.output.find("permission denied") != std::string::npos);
}

TEST_CASE("team: a rep whose lease was taken over is told before recording, never after") {
    test::PgServer pg;
    test::TempDir dir("team-takeover");
    setUp(pg, "over", writeQueue(dir / "crm.csv", 6), 2);
    std::string error;
    const auto team = parseTeamQueue(pg.queueUri("rep1", "over"), error);
    REQUIRE(team.has_value());
    TeamClaimsOptions o;
    o.leaseSeconds = 2;
    o.ahead = 2;
    TeamClaims rep1(*team, dir / "outbox.jsonl", o);
    REQUIRE(rep1.start().ok());
    std::string why;
    std::vector<std::string> notices;
    auto first = rep1.next(why, notices); // #1 now, #2 and #3 claimed ahead
    REQUIRE(first.has_value());
    CHECK(first->index == 1);
    auto db = lead(pg);
    // rep1 stalls; their leases run out and rep2 takes #2 and #3.
    REQUIRE(waitFor(*db,
                    "SELECT count(*) FROM cuecard_recipient WHERE state = 'claimed' AND "
                    "lease_until < now()",
                    "3", 30));
    auto rep2 = PgConnection::connect(pg.conninfo("rep2"));
    REQUIRE(rep2.ok());
    auto taken = claimRecipients(*rep2.value(), "over", 3, 60);
    REQUIRE(taken.ok());
    CHECK(taken->size() == 3); // #1's expired lease too
    // rep1's next turn: told that #2 and #3 are gone, handed someone nobody has.
    notices.clear();
    auto next = rep1.next(why, notices);
    REQUIRE(next.has_value());
    CHECK(next->index == 4);
    CHECK(notices.size() == 2);
    for (const auto &n : notices) {
        CHECK(n.find("is not yours any more") != std::string::npos);
    }
}

namespace {

/// A feed that claims two ahead and looks at the database every second (tests wait less).
TeamFeedOptions quickFeed(int leaseSeconds) {
    TeamFeedOptions options;
    options.ahead = 2;
    options.leaseSeconds = leaseSeconds;
    options.renewSeconds = 1;
    options.statusSeconds = 1;
    options.connectTimeout = 1;
    return options;
}

std::string currentName(const SessionHub &hub) {
    const auto s = hub.snapshot();
    return s.current ? s.current->displayName() : std::string();
}

} // namespace

TEST_CASE("team: a database queue may not hold a password, and needs its campaign") {
    std::string error;
    CHECK(parseTeamQueue("recipients.csv", error) == std::nullopt);
    CHECK(error.empty());
    auto ok =
        parseTeamQueue("postgresql://crm.example/sales?sslmode=require&campaign=Q4+EMEA", error);
    REQUIRE(ok.has_value());
    CHECK(ok->campaign == "Q4 EMEA");
    CHECK(ok->conninfo == "postgresql://crm.example/sales?sslmode=require");
    CHECK(parseTeamQueue("postgresql://rep1@crm.example/sales?campaign=a", error).has_value());
    for (const std::string bad : {"postgresql://rep1:secret@crm.example/sales?campaign=a",
                                  "postgres://crm.example/sales?password=secret&campaign=a"}) {
        error.clear();
        CHECK(parseTeamQueue(bad, error) == std::nullopt);
        CHECK(error.find("~/.pgpass") != std::string::npos);
    }
    error.clear();
    CHECK(parseTeamQueue("postgresql://crm.example/sales", error) == std::nullopt);
    CHECK(error.find("campaign=NAME") != std::string::npos);
}

TEST_CASE("team: OBS's hub on a campaign: claimed ahead, next without the network, outcomes "
          "back, a lost lease taken out before the rep reaches them") {
    test::PgServer pg;
    test::TempDir dir("team-feed");
    setUp(pg, "feed", writeQueue(dir / "crm.csv", 12), 2);
    auto db = lead(pg);
    const auto claimedBy = [&](const std::string &rep) {
        return one(*db, "SELECT count(*) FROM cuecard_recipient WHERE state = 'claimed' AND "
                        "claimed_by = '" +
                            rep + "'");
    };

    SessionHub hub;
    CampaignLink link(hub, quickFeed(30));
    link.setOutboxDir(dir / "config");
    const std::string uri = pg.queueUri("rep1", "feed");
    link.open(uri);
    REQUIRE_MESSAGE(waitUntil([&] { return currentName(hub) == "Person 1"; }, 20),
                    hub.snapshot().error);
    // The one on screen and two ahead are rep1's in the database.
    REQUIRE(
        waitFor(*db, "SELECT count(*) FROM cuecard_recipient WHERE claimed_by = 'rep1'", "3", 10));
    CHECK(hub.snapshot().queuePath == uri);
    CHECK(hub.snapshot().columns.size() >= 4);

    // The database goes away: the switch still happens at once (it only moves within what is
    // claimed), and the rep is told the team is offline.
    pg.stop();
    CHECK(hub.next());
    CHECK(currentName(hub) == "Person 2");
    CHECK(waitUntil([&] { return !link.view()->online; }, 10));
    pg.start();
    db = lead(pg);

    // Person 1 recorded (the recorder closed their file), person 2 skipped: both reach the
    // database as rep1's, and the feed tops up so two stay ahead of the one on screen.
    hub.recordTake("person1@example.com", "001_person-1.mkv", "2026-12-01T10:00:00Z",
                   "2026-12-01T10:00:05Z", TakeFacts{5.0, 150, "complete"});
    hub.skip(); // person 2; person 3 on screen
    CHECK(currentName(hub) == "Person 3");
    REQUIRE(waitFor(*db,
                    "SELECT state || ' ' || claimed_by FROM cuecard_recipient WHERE id = "
                    "'person1@example.com'",
                    "recorded rep1", 15));
    CHECK(one(*db, "SELECT file || ' ' || frames FROM cuecard_take WHERE recipient_id = "
                   "'person1@example.com'") == "001_person-1.mkv 150");
    REQUIRE(waitFor(*db, "SELECT state FROM cuecard_recipient WHERE id = 'person2@example.com'",
                    "skipped", 10));
    REQUIRE(waitFor(*db,
                    "SELECT string_agg(id, ',' ORDER BY position) FROM cuecard_recipient WHERE "
                    "state = 'claimed' AND claimed_by = 'rep1'",
                    "person3@example.com,person4@example.com,person5@example.com", 10));
    CHECK(waitUntil([&] { return link.view()->online && link.view()->ahead == 2; }, 10));
    // A retake of person 1 (a second file) is theirs to add.
    hub.recordTake("person1@example.com", "001_person-1_take2.mkv", "2026-12-01T10:01:00Z",
                   "2026-12-01T10:01:05Z", TakeFacts{5.0, 150, "complete"});
    REQUIRE(waitFor(*db,
                    "SELECT count(*) FROM cuecard_take WHERE recipient_id = "
                    "'person1@example.com' AND outcome = 'recorded'",
                    "2", 10));
    CHECK(link.view()->notices.empty());

    // The lead gives rep1's claims back and rep2 takes them: before rep1 reaches persons 4 and
    // 5 they are out of rep1's list (with a notice), and rep1 is handed others.
    auto released = releaseClaims(*db, "feed", "rep1");
    REQUIRE(released.ok());
    auto rep2 = PgConnection::connect(pg.conninfo("rep2"));
    REQUIRE(rep2.ok());
    auto taken = claimRecipients(*rep2.value(), "feed", 3, 60);
    REQUIRE(taken.ok());
    REQUIRE(taken->size() == 3); // persons 3, 4, 5
    REQUIRE(waitUntil(
        [&] {
            for (const auto &row : hub.listRows()) {
                if (row.id == "person4@example.com" || row.id == "person5@example.com") {
                    return false;
                }
            }
            return true;
        },
        10));
    const auto notices = link.view()->notices;
    CHECK(std::count_if(notices.begin(), notices.end(), [](const std::string &n) {
              return n.find("is not yours any more") != std::string::npos;
          }) >= 3);
    // Person 3 was on screen and is not rep1's any more either: the rep is moved on, to someone
    // nobody else holds.
    REQUIRE(waitUntil([&] { return currentName(hub) == "Person 6"; }, 10));
    REQUIRE(waitFor(*db,
                    "SELECT count(*) FROM cuecard_recipient WHERE claimed_by = 'rep1' AND "
                    "state = 'claimed'",
                    "3", 10));
    // The team's progress, as the dock shows it: the feed reads it every few seconds, so wait
    // for a reading taken after rep2's claims (one from before already says 1 recorded).
    const auto rep2Seen = [](const TeamView &v) {
        for (const auto &r : v.status.reps) {
            if (r.rep == "rep2" && r.claimed == 3) {
                return true;
            }
        }
        return false;
    };
    CHECK(waitUntil(
        [&] {
            const auto v = link.view();
            return v && v->statusKnown && v->status.recorded == 1 && rep2Seen(*v);
        },
        10));
    const TeamView view = link.view().value();
    CHECK(view.rep == "rep1");
    CHECK(view.status.skipped == 1);
    CHECK(rep2Seen(view));
    const auto lines = describeTeam(view);
    REQUIRE(lines.size() >= 3);
    CHECK(lines[0].find("Team campaign \"feed\" as rep1: 1/12 recorded · 1 skipped") == 0);
    CHECK(lines[1].find("You: 3 claimed (2 ready after this one) · 1 recorded") == 0);
    CHECK(lines[2] == "Also recording: rep2 (0 recorded)");

    // Another queue (a file): the feed stops and gives back whom rep1 did not reach.
    writeQueue(dir / "other.csv", 2, " (file)");
    link.open((dir / "other.csv").string());
    REQUIRE(waitUntil([&] { return currentName(hub) == "Person 1 (file)"; }, 10));
    CHECK(!link.view().has_value());
    // Only person 6, who was on screen when the rep left, stays theirs (until the lease).
    const bool gaveBack = waitFor(*db,
                                  "SELECT count(*) FROM cuecard_recipient WHERE claimed_by = "
                                  "'rep1' AND state = 'claimed'",
                                  "1", 10);
    REQUIRE_MESSAGE(gaveBack, one(*db, "SELECT string_agg(id || ':' || state || ':' || "
                                       "coalesce(claimed_by, '-'), ' ' ORDER BY position) FROM "
                                       "cuecard_recipient"));
    CHECK(claimedBy("rep2") == "3");
    link.shutdown();
}

TEST_CASE("team: a take that closes after the rep left the campaign still reaches it, not the "
          "queue the rep opened") {
    test::PgServer pg;
    test::TempDir dir("team-late");
    setUp(pg, "late", writeQueue(dir / "crm.csv", 8), 1);
    // The rep's own copy of the same export: the same ids, names marked so the test can tell.
    const fs::path file = writeQueue(dir / "mine.csv", 8, " (file)");
    auto db = lead(pg);
    const auto held = [&] {
        return "SELECT coalesce(string_agg(id, ',' ORDER BY position), '') FROM "
               "cuecard_recipient WHERE state = 'claimed' AND claimed_by = 'rep1'";
    };

    SessionHub hub;
    std::optional<Boundary> shown; // what the recorder is told at each switch
    hub.setOnBoundary([&](const Boundary &b, const Recipient &, int) { shown = b; });
    TeamFeedOptions options = quickFeed(60);
    options.leaveGraceSeconds = 20;
    CampaignLink link(hub, options);
    link.setOutboxDir(dir / "config");
    const std::string uri = pg.queueUri("rep1", "late");
    std::uint64_t frame = 0;
    // The recorder closes a file of `from` now; the campaign has it as rep1's.
    const auto lateTakeReported = [&](const std::string &id, const std::string &takeFile,
                                      const std::string &from) {
        hub.recordTake(id, takeFile, "2026-12-02T10:00:00Z", "2026-12-02T10:00:04Z",
                       TakeFacts{4.0, 120, "complete"}, from);
        return waitFor(
            *db, "SELECT state || ' ' || claimed_by FROM cuecard_recipient WHERE id = '" + id + "'",
            "recorded rep1", 15);
    };

    link.open(uri);
    REQUIRE_MESSAGE(waitUntil([&] { return currentName(hub) == "Person 1"; }, 20),
                    hub.snapshot().error);
    REQUIRE(
        waitFor(*db, held(), "person1@example.com,person2@example.com,person3@example.com", 10));
    hub.tick(++frame); // person 1 on screen: their file starts, from the campaign
    REQUIRE(shown.has_value());
    CHECK(shown->recipientId == "person1@example.com");
    CHECK(shown->queue == uri);
    const std::string takeFrom = shown->queue;
    REQUIRE(waitUntil([&] { return link.view() && link.view()->ahead == 2; }, 10));

    // The rep opens their file while person 1's take is still closing; the file's person 1 (the
    // same id) goes on screen.
    link.open(file.string());
    REQUIRE(waitUntil([&] { return currentName(hub) == "Person 1 (file)"; }, 10));
    hub.tick(++frame);
    CHECK(shown->queue == file.string());
    // Whom the rep did not reach goes back at once; person 1 stays theirs, waiting for the take.
    REQUIRE(waitFor(*db, held(), "person1@example.com", 10));
    REQUIRE(lateTakeReported("person1@example.com", "001_person-1.mkv", takeFrom));
    CHECK(one(*db, "SELECT file || ' ' || frames FROM cuecard_take WHERE recipient_id = "
                   "'person1@example.com'") == "001_person-1.mkv 120");
    // The file's person 1 was not recorded by that take.
    CHECK(hub.snapshot().counts.recorded == 0);
    CHECK(hub.listRows().front().state == RecipientState::Pending);

    // Back to the campaign, away and back again at once: the feed that left is stopped early
    // (one journal, one writer) and the take of the one it showed last reaches the campaign
    // through the feed open now.
    link.open(uri);
    REQUIRE(waitUntil([&] { return currentName(hub) == "Person 2"; }, 20));
    hub.tick(++frame);
    REQUIRE(shown->recipientId == "person2@example.com");
    const std::string secondFrom = shown->queue;
    REQUIRE(waitUntil([&] { return link.view() && link.view()->ahead == 2; }, 10));
    link.open(file.string());
    link.open(uri);
    // The feed that left gave back persons 3 and 4 (the rep did not reach them) before the new
    // one claimed: they come first again; person 2 stays the rep's, their take still closing.
    REQUIRE(waitUntil([&] { return currentName(hub) == "Person 3"; }, 20));
    REQUIRE(waitFor(*db, held(),
                    "person2@example.com,person3@example.com,person4@example.com,"
                    "person5@example.com",
                    10));
    REQUIRE(lateTakeReported("person2@example.com", "002_person-2.mkv", secondFrom));
    CHECK(one(*db, "SELECT count(*) FROM cuecard_take") == "2");
    CHECK(link.view()->notices.empty());
    link.shutdown();
}

TEST_CASE("team: a campaign that cannot be opened is an error in the hub, not a stall") {
    test::TempDir dir("team-feed-bad");
    SessionHub hub;
    TeamFeedOptions options;
    options.connectTimeout = 1;
    options.retrySeconds = 1;
    CampaignLink link(hub, options);
    link.setOutboxDir(dir.path());
    link.open("postgresql:///postgres?host=" + dir.path().string() + "&campaign=nowhere");
    REQUIRE(waitUntil([&] { return !hub.snapshot().error.empty(); }, 10));
    CHECK(hub.snapshot().error.find("team campaign \"nowhere\"") != std::string::npos);
    link.open("postgresql://rep:pw@localhost/crm?campaign=x");
    CHECK(hub.snapshot().error.find("~/.pgpass") != std::string::npos);
    CHECK(!hub.snapshot().loading);
}

namespace {

/// `s` quoted for the shell (single quotes, each ' as '\'').
std::string shellQuoted(const std::string &s) {
    std::string out = "'";
    for (char ch : s) {
        out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    }
    return out + "'";
}

std::set<std::string> idsOf(const std::vector<Recipient> &rows) {
    std::set<std::string> ids;
    for (const auto &r : rows) {
        ids.insert(r.id);
    }
    return ids;
}

} // namespace

TEST_CASE("team: owners from --owner-column and team assign keep each rep to their own rows; "
          "hostile ids (quotes, braces, backslashes, commas) import, return and assign intact") {
    test::PgServer pg;
    test::TempDir dir("team-owners");
    // Ids a CRM can hold; the CSV quotes what it must.
    const std::vector<std::string> ids = {"a,b",    "it's", "{x}", "back\\slash",
                                          "q\"d\"", "NULL", "ü 1"};
    const auto csvField = [](const std::string &s) {
        std::string out = "\"";
        for (char ch : s) {
            out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        }
        return out + "\"";
    };
    const auto writeCrm = [&](const fs::path &file, const std::vector<std::size_t> &rows) {
        std::ofstream out(file);
        out << "id,full_name,email,owner\n";
        for (std::size_t i : rows) {
            // Two for rep1, two for rep2, the rest for anyone.
            const std::string owner = i < 2 ? "rep1" : i < 4 ? "rep2" : "";
            out << csvField(ids[i]) << ",Person " << i << ",p" << i << "@example.com," << owner
                << "\n";
        }
    };
    writeCrm(dir / "crm.csv", {0, 1, 2, 3, 4, 5, 6});
    setUp(pg, "own", dir / "crm.csv", 2);
    Run imported = run(kCli + " team import --db '" + pg.conninfo() + "' --campaign own --queue '" +
                       (dir / "crm.csv").string() + "' --owner-column owner");
    REQUIRE_MESSAGE(imported.code == 0, imported.output);
    CHECK(imported.output.find("4 with an owner") != std::string::npos);
    auto db = lead(pg);
    {
        auto r = db->exec("SELECT id FROM cuecard_recipient ORDER BY position");
        REQUIRE_MESSAGE(r.ok(), r.message());
        std::vector<std::string> stored;
        for (int i = 0; i < r->rows(); ++i) {
            stored.push_back(r->get(i, 0));
        }
        CHECK(stored == ids);
    }
    // An id leaves the export and comes back: found again by its hostile id.
    writeCrm(dir / "without.csv", {0, 1, 2, 4, 5, 6});
    Run removed = run(kCli + " team import --db '" + pg.conninfo() +
                      "' --campaign own --owner-column owner --queue '" +
                      (dir / "without.csv").string() + "'");
    CHECK_MESSAGE(removed.output.find("1 removed from the pool") != std::string::npos,
                  removed.output);
    Run back =
        run(kCli + " team import --db '" + pg.conninfo() +
            "' --campaign own --owner-column owner --queue '" + (dir / "crm.csv").string() + "'");
    CHECK_MESSAGE(back.output.find("1 back in it") != std::string::npos, back.output);
    // The lead gives "it's" (rep1's) to rep2 and "NULL" (anyone's) to rep1.
    Run assigned = run(kCli + " team assign --db '" + pg.conninfo() +
                       "' --campaign own --recipient " + shellQuoted("it's") + " --rep rep2");
    CHECK_MESSAGE(assigned.code == 0, assigned.output);
    assigned = run(kCli + " team assign --db '" + pg.conninfo() + "' --campaign own --recipient " +
                   shellQuoted("NULL") + " --rep rep1");
    CHECK_MESSAGE(assigned.code == 0, assigned.output);
    Run unknown = run(kCli + " team assign --db '" + pg.conninfo() +
                      "' --campaign own --recipient " + shellQuoted("{x},it's") + " --rep rep1");
    CHECK(unknown.code != 0);
    CHECK(unknown.output.find("has no recipient") != std::string::npos);

    // rep2 asks for everything first: its own, the one given to it, and the unowned ones; never
    // what belongs to rep1.
    auto rep1 = PgConnection::connect(pg.conninfo("rep1"));
    auto rep2 = PgConnection::connect(pg.conninfo("rep2"));
    REQUIRE(rep1.ok());
    REQUIRE(rep2.ok());
    auto got2 = claimRecipients(*rep2.value(), "own", 20, 60);
    REQUIRE_MESSAGE(got2.ok(), got2.message());
    CHECK(idsOf(*got2) == std::set<std::string>{"it's", "{x}", "back\\slash", "q\"d\"", "ü 1"});
    auto got1 = claimRecipients(*rep1.value(), "own", 20, 60);
    REQUIRE_MESSAGE(got1.ok(), got1.message());
    CHECK(idsOf(*got1) == std::set<std::string>{"a,b", "NULL"});
    // A lease run out does not hand rep1's rows to rep2 either.
    CHECK(one(*db, "UPDATE cuecard_recipient SET lease_until = now() - interval '1 hour' "
                   "RETURNING 1") == "1");
    auto again = claimRecipients(*rep2.value(), "own", 20, 60);
    REQUIRE_MESSAGE(again.ok(), again.message());
    for (const auto &r : *again) {
        CHECK(r.id != "a,b");
        CHECK(r.id != "NULL");
    }
}
