#include "core/template/text_template.hpp"

#include <doctest/doctest.h>

using namespace cuecard;

namespace {
Recipient jane() {
    Recipient r;
    r.set("full_name", "Jane Doe");
    r.set("company", "Acme");
    r.set("title", "");
    return r;
}
} // namespace

TEST_CASE("template: fields, fallbacks and literal braces") {
    auto t = TextTemplate::parse("Hi {full_name} from {company}! {title|Your team} {{x}}");
    REQUIRE(t.ok());
    CHECK(t->expand(jane()) == "Hi Jane Doe from Acme! Your team {x}");
    CHECK(t->usesFallback(jane()));
    auto plain = TextTemplate::parse("{full_name}");
    REQUIRE(plain.ok());
    CHECK_FALSE(plain->usesFallback(jane()));
}

TEST_CASE("template: values are plain text") {
    Recipient r;
    r.set("full_name", "{company} }} {{");
    auto t = TextTemplate::parse("{full_name}");
    REQUIRE(t.ok());
    CHECK(t->expand(r) == "{company} }} {{");
}

TEST_CASE("template: field names are normalized like queue headers") {
    auto t = TextTemplate::parse("{First Name}");
    REQUIRE(t.ok());
    Recipient r;
    r.set("first_name", "Jane");
    CHECK(t->expand(r) == "Jane");
}

TEST_CASE("template: syntax errors give the position") {
    auto open = TextTemplate::parse("Hello {full_name");
    REQUIRE_FALSE(open.ok());
    CHECK(open.message() == "template \"Hello {full_name\" position 7: '{' is never closed "
                            "(write {{ for a literal brace)");
    auto stray = TextTemplate::parse("a } b");
    REQUIRE_FALSE(stray.ok());
    CHECK(stray.message().find("position 3") != std::string::npos);
    auto empty = TextTemplate::parse("{}");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.message().find("empty field name") != std::string::npos);
}

TEST_CASE("template: an unknown field names the fields the queue has") {
    auto t = TextTemplate::parse("{fullname}");
    REQUIRE(t.ok());
    const Status s = t->check({"full_name", "company"});
    REQUIRE_FALSE(s.ok());
    CHECK(s.message() == "template \"{fullname}\" uses the field {fullname}, which the queue "
                         "does not have (it has: full_name, company); add the column or give a "
                         "fallback like {fullname|text}");
    auto withFallback = TextTemplate::parse("{title|}");
    REQUIRE(withFallback.ok());
    CHECK(withFallback->check({"full_name"}).ok());
}
