// SPDX-License-Identifier: GPL-2.0-or-later
// A Cuecard source's status line: what the properties dialog shows the rep, most urgent first.

#include "core/stage/source_status.hpp"
#include "core/theme/theme.hpp"

#include <doctest/doctest.h>

using namespace cuecard;

namespace {

Recipient person(int index, const std::string &name) {
    Recipient r;
    r.index = index;
    r.id = name;
    r.set("full_name", name);
    return r;
}

} // namespace

TEST_CASE("source status: loading, then who is on screen and how far the queue is") {
    SourceStatusFacts f;
    f.noQueue = "Choose a recipient queue";
    CHECK(describeSource(f) == "Loading the theme…\nChoose a recipient queue");
    f.hub.loading = true;
    CHECK(describeSource(f) == "Loading the theme…\nLoading the queue…");

    f.themeLoaded = true;
    f.hub.loading = false;
    f.hub.loaded = true;
    f.hub.current = person(2, "Bo Chen");
    f.hub.index = 2;
    f.hub.counts.total = 3;
    f.hub.counts.recorded = 1;
    CHECK(describeSource(f) == "On screen now: #2 Bo Chen\nQueue: 3 people, 1 recorded");
    f.hub.visible = false;
    f.hub.counts.skipped = 1;
    CHECK(describeSource(f) ==
          "On screen now: #2 Bo Chen (hidden)\nQueue: 3 people, 1 recorded, 1 skipped");
    f.hub.current.reset();
    CHECK(describeSource(f).find("No one on screen: the queue is done") == 0);
}

TEST_CASE("source status: problems first, a missing field and compatibility mode said") {
    SourceStatusFacts f;
    f.themeLoaded = true;
    f.themeError = "theme t.json: elements[0].fill: \"red\" is not a color";
    f.frameError = "#2 Bo Chen could not be drawn";
    f.pictureNotes = {"logo.png: not found next to the queue"};
    f.hub.loaded = true;
    f.hub.columns = {"full_name", "company"};
    f.hub.current = person(1, "Ann Lee");
    f.hub.index = 1;
    f.hub.counts.total = 1;
    auto theme = parseTheme(
        R"({"cuecard_theme":1,"elements":[{"type":"text","text":"{job_title}"}]})", "t.json");
    REQUIRE(theme.ok());
    f.theme = std::make_shared<const Theme>(theme.value());
    f.compatibilityReason = "the driver cannot share memory";
    const std::string s = describeSource(f);
    CHECK(s.find(f.themeError + "\n" + f.frameError + "\n" + f.pictureNotes[0] +
                 "\nOn screen now: #1 Ann Lee") == 0);
    CHECK(s.find("{job_title}") != std::string::npos);
    CHECK(s.find("Drawing in compatibility mode (each frame is copied, a little slower): the "
                 "driver cannot share memory") != std::string::npos);
    f.hub.loaded = false;
    f.hub.error = "recipients.csv line 14: unterminated quote";
    CHECK(describeSource(f).find("\nrecipients.csv line 14: unterminated quote\n") !=
          std::string::npos);
}
