// SPDX-License-Identifier: GPL-2.0-or-later
// OBS-recording mode: whose each of OBS's split files is, and the name it gets.
#include "core/record/obs_split_files.hpp"

#include <doctest/doctest.h>

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
