#include "core/theme/theme.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace cuecard;

TEST_CASE("theme: every built-in theme loads and fits the sample queue's columns") {
    const auto names = builtinThemeNames({test::dataDir()});
    REQUIRE(names.size() >= 3);
    CHECK(std::find(names.begin(), names.end(), "default") != names.end());
    for (const auto &name : names) {
        CAPTURE(name);
        auto theme = loadTheme(name, {test::dataDir()});
        REQUIRE_MESSAGE(theme.ok(), theme.message());
        CHECK(theme->check({"full_name", "title", "company", "email", "notes"}).ok());
        // Only the name is required; title and company have fallbacks.
        CHECK(theme->check({"full_name"}).ok());
    }
}

TEST_CASE("theme: the default theme is a lower-third of name, and title · company") {
    auto theme = loadTheme("default", {test::dataDir()});
    REQUIRE(theme.ok());
    Recipient r;
    r.set("full_name", "Jane Doe");
    r.set("title", "VP Marketing");
    r.set("company", "Acme Corp");
    std::vector<std::string> texts;
    for (const auto &e : theme->elements) {
        if (const auto *t = std::get_if<TextElement>(&e)) {
            texts.push_back(t->expand(r));
        }
    }
    REQUIRE(texts.size() == 2);
    CHECK(texts[0] == "Jane Doe");
    CHECK(texts[1] == "VP Marketing  ·  Acme Corp");
    r.set("title", ""); // no dangling separator when a part is empty
    CHECK(std::get<TextElement>(theme->elements[3]).expand(r) == "Acme Corp");
}

TEST_CASE("theme: problems are reported with their path") {
    const auto bad = [](const char *json) {
        auto t = parseTheme(json, "t.json");
        REQUIRE_FALSE(t.ok());
        return t.message();
    };
    CHECK(bad(R"({"elements":[]})") ==
          "theme t.json: \"cuecard_theme\": 1 is required (this Cuecard reads theme format "
          "version 1)");
    CHECK(bad(R"({"cuecard_theme":1,"elements":[{"type":"box","fill":"red"}]})") ==
          "theme t.json: elements[0].fill: \"red\" is not a color like \"#RRGGBB\" or "
          "\"#RRGGBBAA\"");
    CHECK(bad(R"({"cuecard_theme":1,"elements":[{"type":"text","text":"x","szie":3}]})") ==
          "theme t.json: elements[0].szie: unknown key (typo?)");
    CHECK(bad(R"({"cuecard_theme":1,"elements":[{"type":"text","text":"{a"}]})")
              .find("'{' is never closed") != std::string::npos);
    CHECK(bad(R"({"cuecard_theme":1,"elements":[{"type":"circle"}]})") ==
          "theme t.json: elements[0].type: \"circle\" is not one of box, text, image");
    CHECK(bad("{\n\"cuecard_theme\":1,\n]") == "theme t.json line 3: invalid JSON");
}

TEST_CASE("theme: an unknown field is caught at load, naming the queue's fields") {
    auto theme = parseTheme(
        R"({"cuecard_theme":1,"elements":[{"type":"text","text":"{job_title}"}]})", "t.json");
    REQUIRE(theme.ok());
    const Status s = theme->check({"full_name", "company"});
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("{job_title}") != std::string::npos);
    CHECK(s.message().find("it has: full_name, company") != std::string::npos);
}

TEST_CASE("theme: lookup by name or path") {
    auto missing = loadTheme("nope", {test::dataDir()});
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.message().find("no built-in theme named \"nope\" (built-in: ") == 0);
    CHECK(missing.message().find("default") != std::string::npos);
    auto byPath = loadTheme((test::dataDir() / "themes" / "default.json").string(), {});
    CHECK(byPath.ok());
}

TEST_CASE("color: hex parsing") {
    auto c = Color::parse("#FF800040");
    REQUIRE(c.has_value());
    CHECK(c->r == doctest::Approx(1.0));
    CHECK(c->g == doctest::Approx(128.0 / 255.0));
    CHECK(c->a == doctest::Approx(64.0 / 255.0));
    CHECK(c->premultiplied().r == doctest::Approx(64.0 / 255.0));
    CHECK_FALSE(Color::parse("#12345").has_value());
    CHECK_FALSE(Color::parse("#GG0000").has_value());
}

TEST_CASE("theme: numbers out of range are errors, not crashes (found by fuzz_theme)") {
    auto huge = parseTheme(R"({"cuecard_theme": 1, "name": 88e4444444444444})", "t.json");
    REQUIRE_FALSE(huge.ok());
    CHECK(huge.message() == "theme t.json: invalid JSON (a number is out of range)");
    auto big = parseTheme(
        R"({"cuecard_theme":1,"elements":[{"type":"text","text":"x","size":1e300}]})", "t.json");
    REQUIRE_FALSE(big.ok());
    CHECK(big.message() == "theme t.json: elements[0].size: must be between 1 and 1000");
}
