#include "core/queue/json_reader.hpp"
#include "core/queue/queue.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace cuecard;

TEST_CASE("json: an array of objects") {
    auto q = parseJsonQueue(R"([{"Full Name":"Jane Doe","company":"Acme","seats":12,"vip":true,
                                  "phone":null},{"full_name":"李小龙"}])",
                            "q.json");
    REQUIRE(q.ok());
    REQUIRE(q->recipients.size() == 2);
    CHECK(q->recipients[0].get("full_name") == "Jane Doe");
    CHECK(q->recipients[0].get("seats") == "12");
    CHECK(q->recipients[0].get("vip") == "true");
    CHECK(q->recipients[0].get("phone") == "");
    CHECK(q->recipients[1].get("full_name") == "李小龙");
    CHECK(q->hasColumn("company"));
}

TEST_CASE("json: an object with a recipients array, with a BOM") {
    auto q = parseJsonQueue("\xEF\xBB\xBF{\"recipients\":[{\"first_name\":\"Zoë\",\"last_name\":"
                            "\"Müller\"}]}",
                            "q.json");
    REQUIRE(q.ok());
    CHECK(q->recipients[0].get("full_name") == "Zoë Müller");
}

TEST_CASE("json: errors say where and what") {
    auto bad = parseJsonQueue("[\n{\"full_name\": \"Jane\"},\n{\"full_name\": }\n]", "crm.json");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.message().rfind("crm.json line 3: invalid JSON", 0) == 0);

    auto wrongShape = parseJsonQueue("{\"people\": []}", "w.json");
    REQUIRE_FALSE(wrongShape.ok());
    CHECK(wrongShape.message().find("\"recipients\" array") != std::string::npos);

    auto empty = parseJsonQueue("[]", "e.json");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.message() == "e.json: the recipient list is empty");
}

TEST_CASE("json: items that are not objects or not text are reported and skipped") {
    auto q =
        parseJsonQueue(R"([{"full_name":"Jane","tags":["a"]}, 42, {"full_name":"Sam"}])", "q.json");
    REQUIRE(q.ok());
    CHECK(q->recipients.size() == 2);
    CHECK(q->warnings.size() == 2);
    CHECK(q->recipients[1].index == 2);
}

TEST_CASE("queue files: the format follows the extension, else the content") {
    const auto dir = std::filesystem::temp_directory_path() / "cuecard-queue-test";
    std::filesystem::create_directories(dir);
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
    std::filesystem::remove_all(dir);
}
