#include "core/queue/csv_reader.hpp"
#include "core/queue/queue.hpp"

#include <doctest/doctest.h>

using namespace cuecard;

TEST_CASE("csv: RFC 4180 quoting") {
    auto q = parseCsvQueue("full_name,company,notes\n"
                           "\"Doe, Jane\",\"Acme \"\"Rockets\"\"\",\"line one\nline two\"\n"
                           "Sam Lee,Initech,\n",
                           "q.csv");
    REQUIRE(q.ok());
    REQUIRE(q->recipients.size() == 2);
    CHECK(q->recipients[0].get("full_name") == "Doe, Jane");
    CHECK(q->recipients[0].get("company") == "Acme \"Rockets\"");
    CHECK(q->recipients[0].get("notes") == "line one\nline two");
    CHECK(q->recipients[0].line == 2);
    CHECK(q->recipients[1].line == 4); // the quoted newline moved it down a line
    CHECK(q->recipients[1].get("notes") == "");
    CHECK(q->recipients[1].index == 2);
}

TEST_CASE("csv: BOM, CRLF and blank lines") {
    auto q = parseCsvQueue("\xEF\xBB\xBF"
                           "Full Name,Company\r\nJane Doe,Acme\r\n\r\nZoë,Bäckerei\r\n",
                           "q.csv");
    REQUIRE(q.ok());
    CHECK(q->columns.front() == "full_name"); // BOM stripped, header normalized
    REQUIRE(q->recipients.size() == 2);
    CHECK(q->recipients[0].get("company") == "Acme"); // no stray \r
    CHECK(q->recipients[1].get("full_name") == "Zoë");
    CHECK(q->recipients[1].line == 4);
}

TEST_CASE("csv: header names are normalized") {
    CHECK(normalizeFieldName("First Name") == "first_name");
    CHECK(normalizeFieldName("first-name") == "first_name");
    CHECK(normalizeFieldName("FirstName") == "first_name");
    CHECK(normalizeFieldName("  EMAIL ") == "email");
}

TEST_CASE("csv: full_name is derived from first and last name") {
    auto q = parseCsvQueue("First Name,Last Name\nJane,Doe\nZoë,\n", "q.csv");
    REQUIRE(q.ok());
    CHECK(q->hasColumn("full_name"));
    CHECK(q->recipients[0].get("full_name") == "Jane Doe");
    CHECK(q->recipients[1].get("full_name") == "Zoë");
}

TEST_CASE("csv: errors name the file and the line") {
    auto unterminated =
        parseCsvQueue("name,company\nJane,Acme\nSam,\"Initech\nBob,X\n", "recipients.csv");
    REQUIRE_FALSE(unterminated.ok());
    CHECK(unterminated.message() ==
          "recipients.csv line 3: unterminated quote (a field opens with \" and never closes)");

    auto latin1 = parseCsvQueue("name\nJane\nM\xFCller\n", "crm.csv");
    REQUIRE_FALSE(latin1.ok());
    CHECK(latin1.message().rfind("crm.csv line 3: the file is not UTF-8", 0) == 0);

    auto afterQuote = parseCsvQueue("name\n\"Jane\"x\n", "a.csv");
    REQUIRE_FALSE(afterQuote.ok());
    CHECK(afterQuote.message().rfind("a.csv line 2: unexpected text after a closing quote", 0) ==
          0);

    auto empty = parseCsvQueue("", "e.csv");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.message().rfind("e.csv: the file is empty", 0) == 0);

    auto headerOnly = parseCsvQueue("full_name,company\n", "h.csv");
    REQUIRE_FALSE(headerOnly.ok());
    CHECK(headerOnly.message() == "h.csv: only a header row, no recipients");
}

TEST_CASE("csv: a ragged row is reported and does not take the others down") {
    auto q = parseCsvQueue("name,company\nJane,Acme\nSam,Initech,extra\nBob\n", "r.csv");
    REQUIRE(q.ok());
    REQUIRE(q->recipients.size() == 2);
    CHECK(q->recipients[0].get("name") == "Jane");
    CHECK(q->recipients[1].get("name") == "Bob");
    CHECK(q->recipients[1].get("company") == "");
    REQUIRE(q->warnings.size() == 2);
    CHECK(q->warnings[0].line == 3);
    CHECK(q->warnings[0].message.find("skipped") != std::string::npos);
    CHECK(q->warnings[1].line == 4);
}

TEST_CASE("csv: a quote inside an unquoted field is kept literally") {
    auto q = parseCsvQueue("name,notes\nJane,5\" screen\n", "q.csv");
    REQUIRE(q.ok());
    CHECK(q->recipients[0].get("notes") == "5\" screen");
}
