// SPDX-License-Identifier: GPL-2.0-or-later
// The dock's pre-flight: the whole queue checked on a thread of its own, results by recipient,
// problems and notes attached to the rows, the "only problems" filter, short labels.

#include "core/session/session_hub.hpp"
#include "core/stage/preflight_runner.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
using namespace cuecard;

namespace {

std::shared_ptr<const Theme> theme(float maxWidth) {
    auto t = parseTheme(R"({"cuecard_theme": 1, "elements": [
        {"type": "text", "text": "{full_name}", "size": 40, "max_width": )" +
                            std::to_string(maxWidth) + R"(},
        {"type": "text", "text": "{title|}", "size": 30, "max_width": 900}]})",
                        "t.json");
    REQUIRE_MESSAGE(t.ok(), t.message());
    return std::make_shared<const Theme>(std::move(t.value()));
}

} // namespace

TEST_CASE("pre-flight runner: every recipient checked on its own thread; rows get problems and "
          "notes; a new theme or queue checks again; only-problems filter; short labels") {
    test::TempDir dir("preflight-runner");
    const fs::path q = dir / "queue.csv";
    std::ofstream(q) << "name,title,company,email\n"
                        "Jane Doe,CEO,Acme,jane@acme.example\n"
                        "Maximilian Alexander Wolfgang von Hohenzollern-Sigmaringen,CTO,Big,"
                        "max@big.example\n"
                        "Ana \xF4\x8F\xBF\xBD Ruiz,,Globex,ana@globex.example\n"; // U+10FFFD
    SessionHub hub;
    REQUIRE(hub.openQueue(q).ok());
    const auto rows0 = hub.listRows();
    REQUIRE(rows0.size() == 3);

    PreflightRunner runner({test::dataDir() / "fonts"});
    std::atomic<int> fetches{0};
    std::atomic<bool> fetchedHere{false};
    const auto caller = std::this_thread::get_id();
    const auto fetch = [&]() -> std::optional<PreflightRunner::QueueData> {
        ++fetches;
        fetchedHere = fetchedHere || std::this_thread::get_id() == caller;
        return PreflightRunner::QueueData{hub.snapshot().columns, hub.recipients()};
    };
    int source = 0;
    runner.setTheme(&source, theme(700), "narrow");
    runner.queueChanged(hub.frameState().queueVersion, fetch);
    runner.waitIdle();
    CHECK(runner.error().empty());
    CHECK_FALSE(fetchedHere); // the queue is copied on the runner's thread
    auto results = runner.results();
    CHECK(results->total == 3);
    CHECK(results->checked == 3);
    CHECK_FALSE(results->running());
    CHECK(results->byId.count(rows0[0].id) == 0); // Jane: nothing to say

    // The same queue version again: not read again.
    runner.queueChanged(hub.frameState().queueVersion, fetch);
    runner.waitIdle();
    CHECK(fetches == 1);

    auto rows = rows0;
    std::map<std::string, std::vector<std::string>> pictures{
        {rows0[0].id,
         {"elements[2] {logo}: https://acme.example/logo.png: HTTP 404; "
          "fallback used"}}};
    attachChecks(rows, results.get(), &pictures);
    REQUIRE(rows[1].problems.size() == 1);
    CHECK(rows[1].problems[0].rfind("warning: cut to fit: \"Maximilian", 0) == 0);
    CHECK(problemLabel(rows[1].problems[0]) == "cut to fit");
    // Ana: her title column is empty (a note), her name has a character no font has.
    REQUIRE(rows[2].problems.size() == 1);
    CHECK(problemLabel(rows[2].problems[0]) == "no font has U+10FFFD");
    REQUIRE(rows[2].notes.size() == 1);
    CHECK(rows[2].notes[0].rfind("note: title is empty", 0) == 0);
    // Jane: only her picture problem.
    REQUIRE(rows[0].problems.size() == 1);
    CHECK(problemLabel(rows[0].problems[0]) == "picture: HTTP 404; fallback used");
    CHECK(searchRows(rows, "", true) == std::vector<std::size_t>{0, 1, 2});
    attachChecks(rows, results.get(), nullptr);
    CHECK(rows[0].problems.empty());
    CHECK(searchRows(rows, "", true) == std::vector<std::size_t>{1, 2});
    CHECK(searchRows(rows, "ana", true) == std::vector<std::size_t>{2});
    CHECK(searchRows(rows, "jane", true).empty());

    // A roomier theme: Maximilian fits; checked again, his flag is gone.
    runner.setTheme(&source, theme(1800), "roomy");
    runner.waitIdle();
    results = runner.results();
    attachChecks(rows, results.get(), nullptr);
    CHECK(rows[1].problems.empty());
    CHECK(rows[2].problems.size() == 1);

    // Two sources with different themes: each line says which theme it is about.
    int other = 0;
    runner.setTheme(&other, theme(700), "narrow");
    runner.waitIdle();
    results = runner.results();
    attachChecks(rows, results.get(), nullptr);
    REQUIRE(rows[1].problems.size() == 1);
    CHECK(rows[1].problems[0].rfind("[narrow] warning: cut to fit", 0) == 0);
    CHECK(problemLabel(rows[1].problems[0]) == "cut to fit");
    runner.removeTheme(&other);

    // The queue file changes: Maximilian is gone, Ana fixed; a new version is read again.
    std::ofstream(q) << "name,title,company,email\nJane Doe,CEO,Acme,jane@acme.example\n"
                        "Ana Ruiz,COO,Globex,ana@globex.example\n";
    fs::last_write_time(q, fs::last_write_time(q) + std::chrono::seconds(5));
    REQUIRE(hub.pollQueueFile().has_value());
    runner.queueChanged(hub.frameState().queueVersion, fetch);
    runner.waitIdle();
    CHECK(fetches >= 2);
    results = runner.results();
    CHECK(results->total == 2);
    CHECK(results->byId.empty());

    CHECK(problemLabel("error: " + std::string(60, 'x')) == std::string(47, 'x') + "…");
    CHECK(problemLabel("warning: " + std::string(46, 'x') + "éé: z") ==
          std::string(46, 'x') + "…"); // never cut inside a character
}
