// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/csv_reader.hpp"
#include "core/queue/queue.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

using namespace cuecard;

namespace {
Queue csv(std::string_view text, const char *name = "q.csv") {
    return readQueueText(text, name, ".csv");
}
} // namespace

TEST_CASE("csv: RFC 4180 quoting") {
    Queue q = csv("full_name,company,notes\n"
                  "\"Doe, Jane\",\"Acme \"\"Rockets\"\"\",\"line one\nline two\"\n"
                  "Sam Lee,Initech,\n");
    REQUIRE(q.recipients.size() == 2);
    CHECK(q.diagnostics.empty());
    CHECK(q.recipients[0].get("full_name") == "Doe, Jane");
    CHECK(q.recipients[0].get("company") == "Acme \"Rockets\"");
    CHECK(q.recipients[0].get("notes") == "line one\nline two");
    CHECK(q.recipients[0].line == 2);
    CHECK(q.recipients[1].line == 4); // the quoted newline moved it down a line
    CHECK(q.recipients[1].index == 2);
    CHECK(q.format == "CSV (comma)");
}

TEST_CASE("csv: BOM, CRLF, lone CR and blank lines") {
    Queue q = csv("\xEF\xBB\xBF"
                  "Full Name,Company\r\nJane Doe,Acme\r\n\r\nZoë,Bäckerei\r\n");
    CHECK(q.columns.front() == "full_name");
    REQUIRE(q.recipients.size() == 2);
    CHECK(q.recipients[0].get("company") == "Acme");
    CHECK(q.recipients[1].line == 4);
    Queue mac = csv("full_name\rJane\rSam\r");
    REQUIRE(mac.recipients.size() == 2);
    CHECK(mac.recipients[1].line == 3);
}

TEST_CASE("csv: the delimiter is sniffed, or taken from Excel's sep= line") {
    Queue semi = csv("Vorname;Nachname;Firma\nZoë;Müller;Bäckerei, Größe & Co\n");
    CHECK(semi.format == "CSV (semicolon)");
    REQUIRE(semi.recipients.size() == 1);
    CHECK(semi.recipients[0].get("first_name") == "Zoë");
    CHECK(semi.recipients[0].get("company") == "Bäckerei, Größe & Co");
    CHECK(semi.recipients[0].get("full_name") == "Zoë Müller");
    Queue tab = csv("name\ttitle\nJane Doe\tVP, Sales\n");
    CHECK(tab.format == "CSV (tab)");
    CHECK(tab.recipients[0].get("title") == "VP, Sales");
    Queue sep = csv("sep=;\nname;company\nJane;Acme, Inc\n");
    REQUIRE(sep.recipients.size() == 1);
    CHECK(sep.recipients[0].get("company") == "Acme, Inc");
    CHECK(sep.recipients[0].line == 3);
}

TEST_CASE("csv: CRM headers map to canonical fields") {
    Queue q = csv("First Name,Last Name,Account Name,Job Title,Email Address,Lead Source\n"
                  "Jane,Doe,Acme,VP,JANE@ACME.EXAMPLE,Webinar\n");
    const std::vector<std::string> expected{"first_name", "last_name",   "company",  "title",
                                            "email",      "lead_source", "full_name"};
    CHECK(q.columns == expected);
    CHECK(q.recipients[0].get("full_name") == "Jane Doe");
    CHECK(q.recipients[0].id == "jane@acme.example");
    CHECK(normalizeFieldName("FirstName") == "first_name");
    CHECK(normalizeFieldName("first-name") == "first_name");
}

TEST_CASE("csv: ids are stable across re-ordering") {
    Queue a = csv("name,company\nJane Doe,Acme\nSam Lee,Initech\n");
    Queue b = csv("company,name\nInitech,Sam Lee\nAcme,Jane Doe\n");
    REQUIRE(a.recipients.size() == 2);
    REQUIRE(b.recipients.size() == 2);
    CHECK(a.recipients[0].id.rfind("h:", 0) == 0);
    CHECK(a.recipients[0].id == b.recipients[1].id);
    CHECK(a.recipients[1].id == b.recipients[0].id);
    CHECK(a.recipients[0].id != a.recipients[1].id);
    Queue withId = csv("Record ID,name\n0031x00000ABC,Jane\n");
    CHECK(withId.recipients[0].id == "0031x00000ABC");
}

TEST_CASE("csv: problems are FILE:LINE:COLUMN and do not take other rows down") {
    Queue q = csv("name,company\nJane,Acme\nSam,\"Initech\nBob,Hooli\n", "recipients.csv");
    // The unterminated quote on line 3 drops that row; reading resumes on line 4.
    REQUIRE(q.recipients.size() == 2);
    CHECK(q.recipients[1].get("full_name") == "Bob");
    CHECK(test::formattedDiagnostics(q) ==
          std::vector<std::string>{
              "recipients.csv:3:5: error: unterminated quote (a field opens with "
              "\" and never closes); the row was skipped"});

    Queue latin1 = csv("name\nJane\nM\xFCller\nSam\n", "crm.csv");
    CHECK(latin1.recipients.size() == 2);
    CHECK(test::formattedDiagnostics(latin1) ==
          std::vector<std::string>{"crm.csv:3:2: error: text is not UTF-8 (a Windows-1252 or "
                                   "Latin-1 export?); re-export as \"CSV UTF-8\". The row was "
                                   "skipped"});

    Queue ragged = csv("name,company\nJane,Acme\nSam,Initech,extra\nBob\n", "r.csv");
    REQUIRE(ragged.recipients.size() == 2);
    CHECK(test::formattedDiagnostics(ragged) ==
          std::vector<std::string>{"r.csv:3:13: error: row has 3 fields but the header has 2; "
                                   "the row was skipped (a delimiter inside an unquoted field?)",
                                   "r.csv:4: warning: row has 1 fields but the header has 2; "
                                   "the missing ones are empty"});
}

TEST_CASE("csv: whole-file problems") {
    CHECK(test::formattedDiagnostics(csv("", "e.csv")) ==
          std::vector<std::string>{"e.csv: error: the file is empty; a queue needs a header row "
                                   "and at least one recipient"});
    CHECK(test::formattedDiagnostics(csv("full_name,company\n", "h.csv")) ==
          std::vector<std::string>{"h.csv: error: only a header row, no recipients"});
    Queue q = csv("full_name,company\n", "h.csv");
    CHECK(q.fatalMessage() ==
          "h.csv: error: only a header row, no recipients; no recipient could be loaded");
}

TEST_CASE("csv: UTF-16 from Excel's Unicode Text is converted") {
    const std::u16string text = u"name\tcompany\r\nZoë\t李\r\n";
    std::string bytes = "\xFF\xFE";
    for (char16_t c : text) {
        bytes.push_back(static_cast<char>(c & 0xFF));
        bytes.push_back(static_cast<char>(c >> 8));
    }
    Queue q = readQueueText(bytes, "u.txt", ".txt");
    REQUIRE(q.recipients.size() == 1);
    CHECK(q.recipients[0].get("full_name") == "Zoë");
    CHECK(q.recipients[0].get("company") == "李");
}

TEST_CASE("csv: hostile values are cleaned and reported") {
    Queue q = csv("name,company\n\"Jane\xE2\x80\xAE"
                  "eoD\",\"Ac\xE2\x80\x8Bme\"\n=HYPERLINK(\"x\"),Evil\n",
                  "h.csv");
    REQUIRE(q.recipients.size() == 2);
    CHECK(q.recipients[0].get("full_name") == "JaneeoD");
    CHECK(q.recipients[0].get("company") == "Acme");
    CHECK(q.recipients[1].get("full_name") == "=HYPERLINK(\"x\")");
    CHECK(q.count(Severity::Warning) == 3);
    CHECK(q.count(Severity::Error) == 0);
}
