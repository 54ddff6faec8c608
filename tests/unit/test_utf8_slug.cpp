// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/util/slug.hpp"
#include "core/util/utf8.hpp"

#include <doctest/doctest.h>

using namespace cuecard;

TEST_CASE("utf8: invalid sequences are found, not guessed") {
    CHECK_FALSE(utf8::findInvalid("Zoë Müller 李小龙").has_value());
    CHECK(utf8::findInvalid("M\xFCller").value() == 1);    // Windows-1252 ü
    CHECK(utf8::findInvalid("ab\xC3").value() == 2);       // truncated sequence
    CHECK(utf8::findInvalid("\xC0\xAF").value() == 0);     // overlong '/'
    CHECK(utf8::findInvalid("\xED\xA0\x80").value() == 0); // surrogate
    CHECK(utf8::decode("a\xFF"
                       "b") == U"a\uFFFDb");
    CHECK(utf8::encode(U"Zoë 李") == "Zoë 李");
}

TEST_CASE("utf8: truncation never cuts a sequence") {
    const std::string s = "ab李小龙"; // 2 + 3*3 bytes
    CHECK(utf8::truncateBytes(s, 4) == "ab");
    CHECK(utf8::truncateBytes(s, 5) == "ab李");
    CHECK(utf8::truncateBytes(s, 100) == s);
}

TEST_CASE("slug: recipient names become safe file-name parts") {
    CHECK(slugify("Jane Doe") == "jane-doe");
    CHECK(slugify("Zoë O'Brien / ACME") == "zoë-o-brien-acme");
    CHECK(slugify("../../etc/passwd") == "etc-passwd");
    CHECK(slugify("..") == "recipient");
    CHECK(slugify("") == "recipient");
    CHECK(slugify("CON") == "con");
    CHECK(slugify("a\tb\nc\x01"
                  "d") == "a-b-cd");
    CHECK(slugify("\xE2\x80\xAE"
                  "evil.exe") == "evil-exe"); // RIGHT-TO-LEFT OVERRIDE dropped
    CHECK(slugify("李小龙") == "李小龙");
    CHECK(slugify("محمد العلي") == "محمد-العلي");
    CHECK(slugify("a\\b:c*d?e\"f<g>h|i") == "a-b-c-d-e-f-g-h-i");
}

TEST_CASE("slug: length is capped in bytes on a UTF-8 boundary") {
    std::string longName;
    for (int i = 0; i < 40; ++i) {
        longName += "李";
    }
    const std::string s = slugify(longName, 20);
    CHECK(s.size() <= 20);
    CHECK(s.size() % 3 == 0);
    CHECK_FALSE(utf8::findInvalid(s).has_value());
    CHECK(slugify("abc def ghi", 8) == "abc-def"); // no trailing dash after the cut
}
