// SPDX-License-Identifier: GPL-2.0-or-later
// A recipient's landing page: options checked before anything is published, every value
// escaped, the button only to a web or mail address. (Played in Chromium: tests/e2e/publish.)

#include "core/publish/landing_page.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace cuecard;

TEST_CASE("landing page: options are checked, naming the option") {
    PageOptions o;
    o.baseUrl = "videos.example.com";
    CHECK(checkPageOptions(o).message().find("--base-url") == 0);
    o.baseUrl = "https://videos.example.com/v/";
    CHECK(checkPageOptions(o).ok());
    o.ctaUrl = "javascript:alert({email})";
    CHECK(checkPageOptions(o).message().find("http(s) or mailto") != std::string::npos);
    o.ctaUrl = "mailto:sam@example.com?subject=Re:%20{full_name}";
    CHECK(checkPageOptions(o).ok());
    o.message = "Hi {first_name}, as we said: {notes}"; // the rep's private notes
    CHECK(checkPageOptions(o).message().find("--message") == 0);
    o.message = "Hi {first_name";
    CHECK_FALSE(checkPageOptions(o).ok());
}

TEST_CASE("landing page: addresses under the base, tokens unguessable, values escaped") {
    const PageLinks l = pageLinks("https://videos.example.com/v/", "0123abcd");
    CHECK(l.page == "https://videos.example.com/v/0123abcd/");
    CHECK(l.poster == "https://videos.example.com/v/0123abcd/poster.jpg");
    std::set<std::string> tokens;
    for (int i = 0; i < 100; ++i) {
        auto t = newPageToken();
        REQUIRE(t.ok());
        CHECK(t->size() == 32);
        tokens.insert(*t);
    }
    CHECK(tokens.size() == 100);

    Recipient r;
    r.id = "x";
    r.set("full_name", "A \"B\" <i>C</i>");
    r.set("email", "a&b@example.com");
    PageOptions o;
    o.baseUrl = "https://v.example.com";
    o.title = "For {full_name}";
    o.ctaUrl = "https://cal.example.com/?e={email}";
    auto html = landingPage(r, o, l, 1280, 720);
    REQUIRE(html.ok());
    CHECK(html->find("<i>") == std::string::npos);
    CHECK(html->find("For A &quot;B&quot; &lt;i&gt;C&lt;/i&gt;") != std::string::npos);
    CHECK(html->find("href=\"https://cal.example.com/?e=a%26b%40example.com\"") !=
          std::string::npos);
    CHECK(html->find("<script") == std::string::npos);
    CHECK(html->find("width=\"1280\" height=\"720\"") != std::string::npos);
    const std::string snippet = pageSnippet(r, l);
    CHECK(snippet.find("href=\"https://videos.example.com/v/0123abcd/\"") != std::string::npos);
    CHECK(snippet.find("<i>") == std::string::npos);
}
