// SPDX-License-Identifier: GPL-2.0-or-later
// The rep's private notes stay private by construction: a theme or file name naming them (or
// one of their aliases) is refused at load with the field to use instead; talking_points is an
// on-camera field of its own; `cuecard check` and the dock say which columns reach the video.

#include "core/queue/field_aliases.hpp"
#include "core/queue/queue.hpp"
#include "core/stage/preflight.hpp"
#include "core/template/file_name.hpp"
#include "core/theme/column_roles.hpp"
#include "core/theme/theme.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace cuecard;

namespace {

Result<Theme> themeWithText(const std::string &text) {
    return parseTheme(R"({"cuecard_theme": 1, "elements": [{"type": "text", "text": ")" + text +
                          R"(", "size": 40}]})",
                      "mine.json");
}

} // namespace

TEST_CASE("private: notes and its aliases are private; talking_points is its own field") {
    CHECK(privateFieldOf("notes") == "notes");
    CHECK(privateFieldOf("comments") == "notes");
    CHECK(privateFieldOf("description") == "notes");
    CHECK(privateFieldOf("notes_2") == "notes");    // a second notes column
    CHECK(privateFieldOf("comments_3") == "notes"); // a third
    CHECK_FALSE(privateFieldOf("talking_points"));
    CHECK_FALSE(privateFieldOf("full_name"));
    CHECK_FALSE(privateFieldOf("title_2"));
    CHECK_FALSE(privateFieldOf("notes_x"));
    CHECK(canonicalField("talking_points") == "talking_points");
    CHECK(canonicalField("on_camera") == "talking_points");
    CHECK(onCameraFieldFor("notes") == "talking_points");

    const Queue q = readQueueText("Name,Notes,Talking Points,Comments\n"
                                  "Jane Doe,budget approved,Loved your launch,keep it casual\n",
                                  "q.csv", ".csv");
    REQUIRE(q.recipients.size() == 1);
    const Recipient &r = q.recipients[0];
    CHECK(r.get("notes") == "budget approved");
    CHECK(r.get("talking_points") == "Loved your launch");
    CHECK(r.get("comments") == "keep it casual"); // the second private column keeps its name
    CHECK(privateFieldOf("comments"));
}

TEST_CASE("private: a theme naming a private field is refused at load, saying what to use") {
    for (const char *text : {"{notes}", "{notes|Made for you}", "Hi {first_name|there}: {comments}",
                             "{Notes|upper}", "{description|}", "{notes_2|}", "{note}"}) {
        CAPTURE(text);
        auto t = themeWithText(text);
        REQUIRE_FALSE(t.ok());
        CHECK(t.message().find("private") != std::string::npos);
        CHECK(t.message().find("{talking_points}") != std::string::npos);
        CHECK(t.message().find("mine.json") != std::string::npos);
    }
    auto parts = parseTheme(R"({"cuecard_theme": 1, "elements": [{"type": "text",
        "parts": ["{full_name}", "{notes|}"], "size": 40}]})",
                            "parts.json");
    CHECK_FALSE(parts.ok());
    auto picture = parseTheme(R"({"cuecard_theme": 1, "elements": [{"type": "image",
        "src": ["{logo|}", "{notes|images/x.png}"], "width": 10, "height": 10}]})",
                              "picture.json");
    REQUIRE_FALSE(picture.ok());
    CHECK(picture.message().find("elements[0].src") != std::string::npos);
    // On-camera fields load.
    CHECK(themeWithText("{talking_points|Made for you}").ok());
    CHECK(themeWithText("{full_name} {notebook|}").ok()); // a name that only starts like it
    // File names reach the recipient as well.
    CHECK_FALSE(FileNameTemplate::parse("{index:03}_{notes}").ok());
    CHECK(FileNameTemplate::parse("{index:03}_{full_name}").ok());
}

TEST_CASE("private: every built-in theme loads and names no private field") {
    for (const auto &name : builtinThemeNames({test::dataDir()})) {
        CAPTURE(name);
        auto theme = loadTheme(name, {test::dataDir()});
        REQUIRE_MESSAGE(theme.ok(), (theme.ok() ? std::string() : theme.message()));
        for (const auto &field : themeFields(theme.value())) {
            CHECK_FALSE(privateFieldOf(field));
        }
    }
    auto sticky = loadTheme("sticky-note", {test::dataDir()});
    REQUIRE(sticky.ok());
    const auto fields = themeFields(sticky.value());
    CHECK(std::find(fields.begin(), fields.end(), "talking_points") != fields.end());
}

TEST_CASE("built-in themes greet by the CRM's first name when the queue has one") {
    auto greeting = loadTheme("greeting", {test::dataDir()});
    auto sticky = loadTheme("sticky-note", {test::dataDir()});
    REQUIRE(greeting.ok());
    REQUIRE(sticky.ok());
    const auto firstText = [](const Theme &theme, const Recipient &r) {
        for (const auto &e : theme.elements) {
            if (const auto *t = std::get_if<TextElement>(&e)) {
                return t->expand(r);
            }
        }
        return std::string();
    };
    const Queue withFirst = readQueueText("First Name,Last Name,Company\n"
                                          "María José,García,Acme\n",
                                          "q.csv", ".csv");
    REQUIRE(withFirst.recipients.size() == 1);
    CHECK(firstText(greeting.value(), withFirst.recipients[0]) == "Hi María José 👋");
    CHECK(firstText(sticky.value(), withFirst.recipients[0]) == "María José");
    const Queue fullOnly = readQueueText("Name,Company\nJane Doe,Acme\n", "q.csv", ".csv");
    REQUIRE(fullOnly.recipients.size() == 1);
    CHECK(firstText(greeting.value(), fullOnly.recipients[0]) == "Hi Jane 👋");
    CHECK(firstText(sticky.value(), fullOnly.recipients[0]) == "Jane");
    // Which columns reach the video: first_name where the queue has it, else full_name.
    CHECK(columnRoles(greeting.value(), {"first_name", "last_name", "full_name", "company"})
              .onCamera == std::vector<std::string>{"first_name", "company"});
    CHECK(columnRoles(greeting.value(), {"full_name", "company"}).onCamera ==
          std::vector<std::string>{"full_name", "company"});
}

TEST_CASE("private: column roles say what is on camera, private and not shown") {
    auto sticky = loadTheme("sticky-note", {test::dataDir()});
    REQUIRE(sticky.ok());
    const ColumnRoles roles =
        columnRoles(sticky.value(), {"full_name", "email", "notes", "talking_points", "comments"});
    CHECK(roles.onCamera == std::vector<std::string>{"full_name", "talking_points"});
    CHECK(roles.privateOnly == std::vector<std::string>{"notes", "comments"});
    CHECK(roles.notShown == std::vector<std::string>{"email"});
    CHECK(roles.advice.empty());
    CHECK(roles.describe() == "on camera: full_name, talking_points · private, never in the "
                              "video: notes, comments · not shown: email");
    // A queue from before talking_points: its notes stay private, and the rep is told why the
    // note shows its fallback.
    const ColumnRoles old = columnRoles(sticky.value(), {"full_name", "notes"});
    REQUIRE(old.advice.size() == 1);
    CHECK(old.advice[0].find("{talking_points}") != std::string::npos);
    CHECK(old.advice[0].find("notes column stays private") != std::string::npos);
    auto def = loadTheme("default", {test::dataDir()});
    REQUIRE(def.ok());
    CHECK(columnRoles(def.value(), {"full_name", "notes"}).advice.empty());
}

TEST_CASE("private: pre-flight warns when an on-camera text shows nothing for a row") {
    test::TextStack stack;
    auto theme = themeWithText("{talking_points}");
    REQUIRE(theme.ok());
    const Queue q = readQueueText("name,talking_points\nJane,Hello there\nSam,\n", "q.csv", ".csv");
    REQUIRE(q.recipients.size() == 2);
    CHECK(preflightRecipient(theme.value(), q.recipients[0], q, *stack.composer, nullptr, {})
              .empty());
    const auto lines =
        preflightRecipient(theme.value(), q.recipients[1], q, *stack.composer, nullptr, {});
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].level == PreflightLine::Level::Warning);
    CHECK(lines[0].text.find("talking_points is empty") != std::string::npos);
    CHECK(lines[0].text.find("shows nothing") != std::string::npos);
    // With a fallback it is only a note (the fallback shows).
    auto withFallback = themeWithText("{talking_points|Made for you}");
    REQUIRE(withFallback.ok());
    const auto note =
        preflightRecipient(withFallback.value(), q.recipients[1], q, *stack.composer, nullptr, {});
    REQUIRE(note.size() == 1);
    CHECK(note[0].level == PreflightLine::Level::Note);
}
