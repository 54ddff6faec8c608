// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/json_reader.hpp"
#include "core/queue/queue.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace cuecard;

TEST_CASE("json: an array of objects, keys in file order") {
    Queue q = readQueueText(R"([{"Full Name":"Jane Doe","company":"Acme","seats":12,"vip":true,
                                  "phone":null},{"full_name":"李小龙"}])",
                            "q.json", ".json");
    REQUIRE(q.recipients.size() == 2);
    CHECK(q.format == "JSON");
    CHECK(q.recipients[0].get("full_name") == "Jane Doe");
    CHECK(q.recipients[0].get("seats") == "12");
    CHECK(q.recipients[0].get("vip") == "true");
    CHECK(q.recipients[0].get("phone") == "");
    CHECK(q.recipients[1].get("full_name") == "李小龙");
    CHECK(q.columns == std::vector<std::string>{"full_name", "company", "seats", "vip", "phone"});
}

TEST_CASE("json: an object with a recipients array, with a BOM") {
    Queue q = readQueueText("\xEF\xBB\xBF{\"source\":\"hubspot\",\"recipients\":[{\"first_name\":"
                            "\"Zoë\",\"last_name\":\"Müller\"}]}",
                            "q.json", ".json");
    REQUIRE(q.recipients.size() == 1);
    CHECK(q.recipients[0].get("full_name") == "Zoë Müller");
}

TEST_CASE("json: errors say where and what") {
    Queue bad =
        readQueueText("[\n{\"full_name\": \"Jane\"},\n{\"full_name\": }\n]", "crm.json", ".json");
    CHECK(bad.recipients.empty());
    REQUIRE_FALSE(bad.diagnostics.empty());
    CHECK(bad.diagnostics[0].format().rfind("crm.json:3:15: error: invalid JSON: ", 0) == 0);

    Queue wrongShape = readQueueText("{\"people\": []}", "w.json", ".json");
    CHECK(test::formattedDiagnostics(wrongShape).front() ==
          "w.json:1:1: error: expected an array of recipients, or an object with a "
          "\"recipients\" array");
    CHECK(test::formattedDiagnostics(readQueueText("[]", "e.json", ".json")) ==
          std::vector<std::string>{"e.json: error: the recipient list is empty"});
}

TEST_CASE("json: items that are not objects or not text carry their own position") {
    Queue q = readQueueText("[\n  {\"full_name\":\"Jane\",\"tags\":[\"a\"]},\n  42,\n"
                            "  {\"full_name\":\"Sam\"}\n]",
                            "q.json", ".json");
    REQUIRE(q.recipients.size() == 2);
    CHECK(test::formattedDiagnostics(q) ==
          std::vector<std::string>{
              "q.json:2:3: warning: recipient 1 field \"tags\" is a list or object, not text; it "
              "was left out",
              "q.json:3:3: error: recipient 2 is not an object ({…}); it was skipped"});
    CHECK(q.recipients[1].index == 2);
    CHECK(q.recipients[1].line == 4);
}

TEST_CASE("json lines: one object per line, a bad line does not stop the rest") {
    Queue q = readQueueText("{\"full_name\":\"Jane\"}\n{\"full_name\": oops}\n\n{\"full_name\":"
                            "\"Sam\"}\n",
                            "q.jsonl", ".jsonl");
    CHECK(q.format == "JSON Lines");
    REQUIRE(q.recipients.size() == 2);
    CHECK(q.recipients[1].line == 4);
    REQUIRE(q.diagnostics.size() == 1);
    CHECK(q.diagnostics[0].line == 2);
    CHECK(q.diagnostics[0].severity == Severity::Error);
    // Sniffed without an extension too.
    Queue sniffed = readQueueText("{\"full_name\":\"Jane\"}\n{\"full_name\":\"Sam\"}\n", "q", "");
    CHECK(sniffed.format == "JSON Lines");
    CHECK(sniffed.recipients.size() == 2);
}

TEST_CASE("queue files: the format follows the extension, else the content") {
    const test::TempDir tmp("queue");
    const auto &dir = tmp.path();
    {
        std::ofstream(dir / "list") << "[{\"full_name\": \"Jane\"}]";
        std::ofstream(dir / "list.csv") << "full_name\nSam\n";
    }
    auto a = loadQueueFile(dir / "list");
    REQUIRE(a.ok());
    CHECK(a->recipients[0].get("full_name") == "Jane");
    auto b = loadQueueFile(dir / "list.csv");
    REQUIRE(b.ok());
    CHECK(b->source == "list.csv");
    auto missing = loadQueueFile(dir / "nope.csv");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.message().find("no such queue file") != std::string::npos);
}

TEST_CASE("json: a number too large for a double is an error, not a crash (found by fuzz_json)") {
    Queue q = readQueueText("[{\"full_name\": \"Jane\", \"seats\": 1e99999}]", "q.json", ".json");
    CHECK(q.recipients.empty());
    REQUIRE_FALSE(q.diagnostics.empty());
    CHECK(q.diagnostics[0].severity == Severity::Error);
    CHECK(q.diagnostics[0].message.rfind("invalid JSON", 0) == 0);
    Queue lines = readQueueText("{\"full_name\": \"A\", \"n\": 1e99999}\n{\"full_name\": \"B\"}\n",
                                "q.jsonl", ".jsonl");
    CHECK(lines.recipients.size() == 1);
}
