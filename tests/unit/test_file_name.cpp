// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/template/file_name.hpp"
#include "core/util/utf8.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace cuecard;

namespace {
Recipient person(std::string name, std::string company, int index = 1) {
    Recipient r;
    r.set("full_name", std::move(name));
    r.set("company", std::move(company));
    r.index = index;
    r.id = "x";
    return r;
}
std::string stemFor(const Recipient &r, const char *pattern = kDefaultFileNamePattern) {
    auto t = FileNameTemplate::parse(pattern);
    REQUIRE(t.ok());
    return t->stem(r);
}
} // namespace

TEST_CASE("file names: the default template") {
    CHECK(stemFor(person("Jane Doe", "Acme Corp")) == "001_Acme-Corp_Jane-Doe");
    CHECK(stemFor(person("Zoë Müller", "Bäckerei", 12)) == "012_Bäckerei_Zoë-Müller");
    CHECK(stemFor(person("李小龙", "")) == "001_李小龙"); // an empty part leaves no "__"
    CHECK(stemFor(person("", "")) == "001");
    // A take's file: the first take is the stem, later ones say which take they are.
    auto t = FileNameTemplate::parse(kDefaultFileNamePattern);
    REQUIRE(t.ok());
    CHECK(t->takeStem(person("Jane Doe", "Acme Corp"), 1) == "001_Acme-Corp_Jane-Doe");
    CHECK(t->takeStem(person("Jane Doe", "Acme Corp"), 3) == "001_Acme-Corp_Jane-Doe_take3");
}

TEST_CASE("file names: hostile names never become paths") {
    for (const char *name : {"../../etc/passwd", "..\\..\\boot.ini", "/etc/shadow",
                             "C:\\Windows\\System32", "..", ".", "a/../../b",
                             "\xE2\x80\xAE"
                             "fdp.exe",
                             "name\x01\x1b[31m", "CON", "nul.txt",
                             "x\xEF\xBC\x8F"
                             "y",
                             "   ", "...", "trailing dots...", "tab\there"}) {
        CAPTURE(name);
        for (const char *pattern : {kDefaultFileNamePattern, "{full_name}"}) {
            const std::string stem = stemFor(person(name, "Acme"), pattern);
            CAPTURE(stem);
            CHECK_FALSE(stem.empty());
            CHECK(stem.find('/') == std::string::npos);
            CHECK(stem.find('\\') == std::string::npos);
            CHECK(stem.find("..") == std::string::npos);
            CHECK(stem.front() != '.');
            CHECK(stem.back() != '.');
            CHECK(stem.back() != ' ');
            CHECK_FALSE(utf8::findInvalid(stem).has_value());
            for (unsigned char c : stem) {
                CHECK(c >= 0x20);
                CHECK(std::string(":*?\"<>|").find(static_cast<char>(c)) == std::string::npos);
            }
            const std::u32string cps = utf8::decode(stem);
            CHECK(cps.find(U'\u202E') == std::u32string::npos);
        }
    }
    CHECK(stemFor(person("CON", ""), "{full_name}") == "_CON");
    CHECK(stemFor(person("nul.txt", ""), "{full_name}") == "_nul.txt");
    CHECK(stemFor(person("../../etc/passwd", ""), "{full_name}") == "etc-passwd");
}

TEST_CASE("file names: the length is capped in bytes on a UTF-8 boundary") {
    std::string longName;
    for (int i = 0; i < 200; ++i) {
        longName += "李";
    }
    const std::string stem = stemFor(person(longName, "Acme"));
    CHECK(stem.size() <= kMaxFileStemBytes);
    CHECK(stem.size() > kMaxFileStemBytes - 4);
    CHECK_FALSE(utf8::findInvalid(stem).has_value());
}

TEST_CASE("file names: claiming never overwrites and stays in the folder") {
    const test::TempDir tmp("claim");
    const auto &dir = tmp.path();
    std::ofstream(dir / "001_Jane.mkv") << "precious take";
    auto a = claimNewFile(dir, "001_Jane", ".mkv");
    REQUIRE(a.ok());
    CHECK(a->filename() == "001_Jane-2.mkv");
    auto b = claimNewFile(dir, "001_Jane", ".mkv");
    REQUIRE(b.ok());
    CHECK(b->filename() == "001_Jane-3.mkv");
    std::ifstream in(dir / "001_Jane.mkv");
    std::string content;
    std::getline(in, content);
    CHECK(content == "precious take");
    // A symlink planted under the name is not followed: the next name is used instead.
    std::filesystem::create_symlink("/tmp/outside-target", dir / "002_Sam.mkv");
    auto c = claimNewFile(dir, "002_Sam", ".mkv");
    REQUIRE(c.ok());
    CHECK(c->filename() == "002_Sam-2.mkv");
    CHECK_FALSE(std::filesystem::exists("/tmp/outside-target"));
    CHECK_FALSE(claimNewFile(dir, "../escape", ".mkv").ok());
    CHECK_FALSE(claimNewFile(dir / "missing", "x", ".mkv").ok());
}

TEST_CASE("file names: look-alike slashes, dots and reserved names, exactly") {
    // Each case: the name as a rep's CRM exports it, and the exact stem that `cuecard session`
    // and OBS write (template {full_name}). Look-alike slashes separate like real ones.
    const std::pair<const char *, const char *> cases[] = {
        {"x\u2215y", "x-y"}, // division slash
        {"x\u2044y", "x-y"}, // fraction slash
        {"x\uFF0Fy", "x-y"}, // fullwidth solidus
        {"x\uFF3Cy", "x-y"}, // fullwidth reverse solidus
        {"Acme/Sub\\Unit", "Acme-Sub-Unit"},
        {"a..b", "a.b"},
        {"...hidden", "hidden"},
        {"trailing dots...", "trailing-dots"},
        {"..", "recipient"}, // nothing left: the fallback word
        {"CON", "_CON"},     // reserved device names on Windows get a prefix
        {"nul.txt", "_nul.txt"},
        {"com1", "_com1"},
        {"LPT9.log", "_LPT9.log"},
        {"Console", "Console"},
    };
    for (const auto &[name, expected] : cases) {
        CAPTURE(name);
        CHECK(stemFor(person(name, ""), "{full_name}") == expected);
    }
}
