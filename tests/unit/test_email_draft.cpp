// SPDX-License-Identifier: GPL-2.0-or-later
// A recipient's draft: nothing from the queue becomes a header or markup. (Appended to a real
// Dovecot and read back: tests/e2e/publish_e2e.mjs.)

#include "core/publish/email_draft.hpp"
#include "core/publish/imap_drafts.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace cuecard;

TEST_CASE("draft: names and subjects are encoded words, never a header of their own") {
    const std::string w = encodedWords("Eve\r\nBcc: attacker@evil.example");
    CHECK(w.find('\n') == std::string::npos);
    CHECK(w.rfind("=?UTF-8?B?", 0) == 0);
    // Long text: several words, folded, none over 75 characters, no character split.
    const std::string longName(40, 'x');
    const std::string folded = encodedWords(longName + "李小龙李小龙李小龙李小龙李小龙李小龙");
    std::size_t start = 0;
    while (start < folded.size()) {
        const std::size_t end = folded.find("\r\n ", start);
        const std::string word = folded.substr(start, end == std::string::npos ? end : end - start);
        CHECK(word.size() <= 75);
        start = end == std::string::npos ? folded.size() : end + 3;
    }
    CHECK(plainAddress("jane@acme.example"));
    for (const char *bad : {"jane@acme.example\r\nBcc: x@y.example", "Jane <jane@acme.example>",
                            "jane", "a@b@c.example", "jane @acme.example", "\"j\"@acme.example"}) {
        CHECK_FALSE(plainAddress(bad));
    }
}

TEST_CASE("draft: the message's headers and parts") {
    Recipient r;
    r.id = "z1";
    r.set("full_name", "Zoë <b>Kim</b>");
    r.set("email", "zoe@x.example");
    PageLinks l;
    l.page = "https://v.example.com/abc/";
    l.gif = l.page + "preview.gif";
    DraftOptions o;
    o.from = "Sam Rivera <sam@example.com>";
    auto m = draftMessage(r, o, l, "GIF89a-bytes", draftMessageId("abc", 2), 1'700'000'000);
    REQUIRE(m.ok());
    const std::string headers = m->substr(0, m->find("\r\n\r\n"));
    CHECK(headers.find("From: =?UTF-8?B?") == 0);
    CHECK(headers.find("<sam@example.com>") != std::string::npos);
    CHECK(headers.find("\r\nTo: =?UTF-8?B?") != std::string::npos);
    CHECK(headers.find(" <zoe@x.example>\r\n") != std::string::npos);
    CHECK(headers.find("Message-ID: <cuecard.abc.take2@cuecard.invalid>") != std::string::npos);
    CHECK(headers.find("Date: Tue, 14 Nov 2023 22:13:20 +0000") != std::string::npos);
    CHECK(m->find("Content-Type: multipart/related") != std::string::npos);
    CHECK(m->find("Content-Type: image/gif") != std::string::npos);
    r.set("email", "zoe@x.example\r\nBcc: attacker@evil.example");
    CHECK_FALSE(draftMessage(r, o, l, "", draftMessageId("abc", 1), 0).ok());
    o.from = "Sam\r\nBcc: x@y.example";
    CHECK_FALSE(checkDraftOptions(o).ok());
    o.from.clear();
    o.subject = "{notes}";
    CHECK(checkDraftOptions(o).message().find("--subject") == 0);
}

TEST_CASE("drafts: the mailbox address, never a password on the command line") {
    auto a = parseMailboxAddress("imaps://rep%40example.com@mail.example.com/Entw%C3%BCrfe");
    REQUIRE(a.ok());
    CHECK(a->user == "rep@example.com");
    CHECK(a->host == "mail.example.com");
    CHECK(a->port == 993);
    CHECK(a->tls);
    CHECK(a->folder == "Entw%C3%BCrfe");
    CHECK(parseMailboxAddress("imaps://rep:hunter2@mail.example.com")
              .message()
              .find("never goes on the command line") != std::string::npos);
    CHECK(parseMailboxAddress("imap://rep@mail.example.com").message().find("imaps://") !=
          std::string::npos);
    auto local = parseMailboxAddress("imap://rep@127.0.0.1:1143");
    REQUIRE(local.ok());
    CHECK_FALSE(local->tls);
    CHECK(local->port == 1143);

    test::TempDir dir("netrc");
    std::ofstream(dir / "netrc") << "machine other.example login rep password no\n"
                                    "machine mail.example.com\n  login rep@example.com\n"
                                    "  password s3cret\ndefault login x password fallback\n";
    CHECK(netrcPassword(dir / "netrc", "mail.example.com", "rep@example.com") == "s3cret");
    CHECK(netrcPassword(dir / "netrc", "elsewhere.example", "x") == "fallback");
    CHECK(netrcPassword(dir / "missing", "mail.example.com", "rep").empty());
}
