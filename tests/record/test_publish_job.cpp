// SPDX-License-Identifier: GPL-2.0-or-later
// PublishJob, what "Publish and draft…" runs in OBS: a recorded session published on the job's
// own thread, its status read at any time; failures said in the status, not thrown.

#include "core/publish/publish_job.hpp"
#include "record/record_support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace cuecard;
using namespace cuecard::test::record;

TEST_CASE("publish job: a session folder published on the job's thread, then how it went") {
    test::TempDir dir("publish-job");
    const fs::path rec = dir / "rec";
    const Run r = run(kCli + " session --queue '" + kQueue + "' --out '" + rec.string() +
                      "' --testsrc --duration 2 --switch-at 1 --size 320x180 --fps 10");
    REQUIRE_MESSAGE(r.code == 0, r.output);
    fs::create_directories(dir / "www");
    PublishJob job;
    PublishProfile p;
    p.to = (dir / "www").string();
    p.page.baseUrl = "https://videos.example.com/v";
    PublishJob::Secrets secrets;
    secrets.home = dir.path(); // no ~/.netrc, no ~/.ssh
    PublishJobStatus last;
    CHECK(job.start(rec, p, secrets, [&](const PublishJobStatus &s) { last = s; }).empty());
    job.wait();
    PublishJobStatus s = job.status();
    CHECK_FALSE(s.running);
    CHECK(s.phase == "done");
    CHECK(s.done == 2);
    CHECK(s.summary.find("2 page(s) published to " + (dir / "www").string()) == 0);
    CHECK(s.errors.empty());
    CHECK(fs::exists(s.outreachCsv));
    CHECK(last.phase == "done");
    int pages = 0;
    for (const auto &e : fs::directory_iterator(dir / "www")) {
        CHECK(fs::exists(e.path() / "index.html"));
        ++pages;
    }
    CHECK(pages == 2);

    // A destination that is not there: failed, and why.
    p.to = (dir / "missing").string();
    CHECK(job.start(rec, p, secrets).empty());
    job.wait();
    s = job.status();
    CHECK(s.phase == "failed");
    CHECK(s.summary.find("is not a folder") != std::string::npos);

    // Drafts asked for, but no password anywhere: the pages are published, the drafts say why.
    p.to = (dir / "www").string();
    p.imap = "imap://rep@127.0.0.1:9";
    unsetenv("CUECARD_IMAP_PASSWORD");
    CHECK(job.start(rec, p, secrets).empty());
    job.wait();
    s = job.status();
    CHECK(s.phase == "failed");
    CHECK(s.summary.find("2 page(s) published") == 0);
    CHECK(s.summary.find("no password for rep at 127.0.0.1") != std::string::npos);
    CHECK(job.start(rec, PublishProfile{}, secrets).find("say where the pages go") == 0);
}
