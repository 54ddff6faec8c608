// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/queue.hpp"
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
    auto t = TextTemplate::parse("{fulname}");
    REQUIRE(t.ok());
    const Status s = t->check({"full_name", "company"});
    REQUIRE_FALSE(s.ok());
    CHECK(s.message() == "template \"{fulname}\" uses the field {fulname}, which the queue "
                         "does not have (it has: full_name, company); add the column or give a "
                         "fallback like {fulname|text}");
    auto withFallback = TextTemplate::parse("{title|}");
    REQUIRE(withFallback.ok());
    CHECK(withFallback->check({"full_name"}).ok());
}

TEST_CASE("template: filters, alone and with a fallback") {
    Recipient r;
    r.set("full_name", "zoë müller-lüdenscheidt");
    r.set("company", "Bäckerei Größe");
    r.set("title", "");
    const auto expand = [&](const char *t) {
        auto parsed = TextTemplate::parse(t);
        REQUIRE_MESSAGE(parsed.ok(), parsed.message());
        return parsed->expand(r);
    };
    const std::string upper = expand("{company|upper}");
    CHECK((upper == "BÄCKEREI GRÖSSE" || upper == "BÄCKEREI GRÖßE"));
    CHECK(expand("{company|lower}") == "bäckerei größe");
    CHECK(expand("{full_name|title}") == "Zoë Müller-Lüdenscheidt");
    CHECK(expand("{full_name|first}") == "zoë");
    CHECK(expand("{full_name|first|title}") == "Zoë");
    CHECK(expand("{title|your team|upper}") == "YOUR TEAM"); // the fallback is filtered too
    CHECK(expand("{title|upper|your team}") == "YOUR TEAM"); // order of parts does not matter
    CHECK(expand("{title|\"upper\"}") == "upper");           // a quoted fallback is text
    CHECK(expand("Hi {full_name|first|title}!") == "Hi Zoë!");
    auto two = TextTemplate::parse("{title|a|b}");
    REQUIRE_FALSE(two.ok());
    CHECK(two.message().find("more than one fallback") != std::string::npos);
}

TEST_CASE("template: zero padding and extra values") {
    auto t = TextTemplate::parse("{index:03}-{take}");
    REQUIRE(t.ok());
    CHECK(t->expand(Recipient{}, {{"index", "7"}, {"take", "2"}}) == "007-2");
    CHECK(t->expand(Recipient{}, {{"index", "1234"}, {"take", "1"}}) == "1234-1");
    CHECK(t->check({"full_name"}, {"index", "take"}).ok());
    CHECK_FALSE(t->check({"full_name"}).ok());
    auto bad = TextTemplate::parse("{index:x3}");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.message().find("unknown format \":x3\"") != std::string::npos);
}

TEST_CASE("template: first_name is the column, else the first word of full_name") {
    auto t = TextTemplate::parse("Hi {first_name|there}");
    REQUIRE(t.ok());
    Recipient both;
    both.set("first_name", "María José");
    both.set("full_name", "María José García");
    CHECK(t->expand(both) == "Hi María José"); // the CRM's own first name, whole
    CHECK(t->expand(jane()) == "Hi Jane");     // no first_name column: full_name's first word
    CHECK_FALSE(t->usesFallback(jane()));
    Recipient emptyFirst = jane();
    emptyFirst.set("first_name", ""); // the column is there but empty for this row
    CHECK(t->expand(emptyFirst) == "Hi Jane");
    Recipient nobody;
    nobody.set("company", "Acme");
    CHECK(t->expand(nobody) == "Hi there");
    CHECK(t->usesFallback(nobody));
    // A queue with full_name provides {first_name}; one with neither does not.
    auto bare = TextTemplate::parse("{first_name}");
    REQUIRE(bare.ok());
    CHECK(bare->check({"full_name", "company"}).ok());
    CHECK(bare->check({"first_name"}).ok());
    CHECK_FALSE(bare->check({"company", "email"}).ok());
    CHECK(fieldValue(both, "full_name") == "María José García");
}

TEST_CASE("template: a field named by the CRM's own header works as well as the canonical one; "
          "private ones stay refused") {
    const Queue q = readQueueText("Full Name,Job Title,Talking Points,Organisation,Comments\n"
                                  "Jane Doe,VP Sales,Loved your talk,Acme,budget approved\n",
                                  "crm.csv", ".csv");
    REQUIRE(q.recipients.size() == 1);
    CHECK(q.columns ==
          std::vector<std::string>{"full_name", "title", "talking_points", "company", "notes"});
    // Which header became which field (cuecard check prints it).
    CHECK(q.headerFields ==
          std::vector<std::pair<std::string, std::string>>{
              {"Job Title", "title"}, {"Organisation", "company"}, {"Comments", "notes"}});
    const Recipient &jane = q.recipients.front();
    for (const char *text :
         {"{job_title} at {organisation}: {talking_points}",
          "{title} at {company}: {talking_point}", "{Job Title} at {account}: {icebreaker}"}) {
        CAPTURE(text);
        auto t = TextTemplate::parse(text);
        REQUIRE(t.ok());
        CHECK(t->check(q.columns).ok());
        CHECK(t->expand(jane) == "VP Sales at Acme: Loved your talk");
        CHECK_FALSE(t->usesFallback(jane));
    }
    auto first = TextTemplate::parse("Hi {first}, {name}");
    REQUIRE(first.ok());
    CHECK(first->check(q.columns).ok());
    CHECK(first->expand(jane) == "Hi Jane, Jane Doe");
    // The rep's private notes are refused under any of their names.
    for (const char *text : {"{comments}", "{notes}", "{private_notes}"}) {
        auto t = TextTemplate::parse(text);
        REQUIRE(t.ok());
        CHECK_FALSE(t->checkNotPrivate().ok());
    }
    // A word that is no field's name is still caught.
    auto typo = TextTemplate::parse("{job_titel}");
    REQUIRE(typo.ok());
    CHECK_FALSE(typo->check(q.columns).ok());
}
