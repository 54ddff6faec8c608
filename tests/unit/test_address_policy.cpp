// SPDX-License-Identifier: GPL-2.0-or-later
// What a queue can make Cuecard reach: addresses on the rep's own network (loopback, private,
// link-local, CGNAT, unique-local…) are refused on the address a connection goes to, for
// pictures (libcurl) and for every request of a captured page (Chromium), and a local server sees
// no request; CUECARD_ALLOW_PRIVATE_HOSTS=1 lets them through.

#include "core/picture/address_policy.hpp"
#include "core/picture/http_fetch.hpp"
#include "core/picture/page_capture.hpp"
#include "http_server.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <cstdlib>
#include <netinet/in.h>
#include <optional>
#include <string>

using namespace cuecard;

namespace {

/// The policy as a rep has it (the test main turns it off for the other tests' servers).
class DefaultPolicy {
  public:
    DefaultPolicy() {
        if (const char *v = std::getenv("CUECARD_ALLOW_PRIVATE_HOSTS")) {
            saved_ = v;
        }
        ::unsetenv("CUECARD_ALLOW_PRIVATE_HOSTS");
    }
    ~DefaultPolicy() {
        if (saved_) {
            ::setenv("CUECARD_ALLOW_PRIVATE_HOSTS", saved_->c_str(), 1);
        }
    }
    DefaultPolicy(const DefaultPolicy &) = delete;
    DefaultPolicy &operator=(const DefaultPolicy &) = delete;

  private:
    std::optional<std::string> saved_;
};

std::string reason(const char *text) {
    sockaddr_in6 v6{};
    if (::inet_pton(AF_INET6, text, &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        return privateAddressReason(reinterpret_cast<const sockaddr *>(&v6), sizeof v6);
    }
    sockaddr_in v4{};
    REQUIRE(::inet_pton(AF_INET, text, &v4.sin_addr) == 1);
    v4.sin_family = AF_INET;
    return privateAddressReason(reinterpret_cast<const sockaddr *>(&v4), sizeof v4);
}

void serveOk(cuecard::test::HttpServer &server, const std::string &path) {
    server.route(
        path, cuecard::test::HttpServer::respond(200, "text/html", "<html><body>hi</body></html>"));
}

} // namespace

TEST_CASE("address policy: the rep's own network is named, public addresses pass") {
    for (const char *a : {"127.0.0.1",
                          "127.255.0.9",
                          "10.1.2.3",
                          "172.16.0.1",
                          "172.31.255.255",
                          "192.168.1.1",
                          "169.254.169.254",
                          "100.64.0.1",
                          "100.127.255.254",
                          "0.0.0.0",
                          "224.0.0.1",
                          "255.255.255.255",
                          "198.18.0.1",
                          "::1",
                          "::",
                          "fc00::1",
                          "fd12:3456::1",
                          "fe80::1",
                          "ff02::1",
                          "::ffff:127.0.0.1",
                          "::ffff:192.168.0.10",
                          "64:ff9b::a9fe:a9fe",
                          "::7f00:1"}) {
        CAPTURE(a);
        CHECK_FALSE(reason(a).empty());
    }
    for (const char *a :
         {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "192.169.0.1",
          "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808"}) {
        CAPTURE(a);
        CHECK(reason(a).empty());
    }
    CHECK(reason("192.168.1.1") == "192.168.1.1 is a private address");
    CHECK(reason("169.254.169.254").find("link-local") != std::string::npos);
    CHECK(reason("::ffff:10.0.0.1").find("carries 10.0.0.1 is a private address") !=
          std::string::npos);
}

TEST_CASE("address policy: pictures from loopback are refused before a request is sent, under "
          "every spelling; CUECARD_ALLOW_PRIVATE_HOSTS=1 lets them through") {
    cuecard::test::HttpServer server;
    serveOk(server, "/logo.png");
    const std::string port = server.url("").substr(std::string("http://127.0.0.1:").size());
    {
        DefaultPolicy policy;
        CHECK_FALSE(privateHostsAllowed());
        for (const std::string &url :
             {"http://127.0.0.1:" + port + "/logo.png", "http://localhost:" + port + "/logo.png",
              "http://[::1]:" + port + "/logo.png", "http://2130706433:" + port + "/logo.png",
              "http://0x7f.1:" + port + "/logo.png"}) {
            CAPTURE(url);
            auto r = fetchUrl(url);
            REQUIRE_FALSE(r.ok());
            CHECK(r.message().find("loopback") != std::string::npos);
            CHECK(r.message().find("CUECARD_ALLOW_PRIVATE_HOSTS=1") != std::string::npos);
        }
        CHECK(server.requests("/logo.png") == 0);
    }
    CHECK(privateHostsAllowed()); // the test main's setting is back
    auto allowed = fetchUrl(server.url("/logo.png"));
    INFO((allowed.ok() ? std::string() : allowed.message()));
    CHECK(allowed.ok());
    CHECK(server.requests("/logo.png") == 1);
}

TEST_CASE("address policy: a page capture never loads a page on the rep's network") {
    REQUIRE_MESSAGE(findChromium().has_value(),
                    "headless Chromium is needed by this test: run scripts/install-deps.sh");
    cuecard::test::HttpServer server;
    serveOk(server, "/intranet");
    {
        DefaultPolicy policy;
        for (const std::string &url :
             {server.url("/intranet"),
              "http://localhost:" + server.url("").substr(std::string("http://127.0.0.1:").size()) +
                  "/intranet"}) {
            CAPTURE(url);
            auto shot = capturePage(url, {});
            REQUIRE_FALSE(shot.ok());
            CHECK(shot.message().find("loopback") != std::string::npos);
            CHECK(shot.message().find("nothing was captured") != std::string::npos);
        }
        CHECK(server.requests("/intranet") == 0);
        // Not http(s): refused before Chromium starts.
        CHECK_FALSE(capturePage("file:///etc/passwd", {}).ok());
    }
    auto shot = capturePage(server.url("/intranet"), {});
    INFO((shot.ok() ? std::string() : shot.message()));
    CHECK(shot.ok());
    CHECK(server.requests("/intranet") == 1);
}

TEST_CASE("address policy: the rep's own setting (the dock's check box) lets the rep's network "
          "through, and off again refuses it") {
    cuecard::test::HttpServer server;
    serveOk(server, "/logo.png");
    DefaultPolicy policy;
    CHECK_FALSE(privateHostsAllowed());
    setPrivateHostsAllowed(true);
    CHECK(privateHostsAllowed());
    auto allowed = fetchUrl(server.url("/logo.png"));
    INFO((allowed.ok() ? std::string() : allowed.message()));
    CHECK(allowed.ok());
    setPrivateHostsAllowed(false);
    CHECK_FALSE(privateHostsAllowed());
    auto refused = fetchUrl(server.url("/logo.png"));
    CHECK_FALSE(refused.ok());
    CHECK(server.requests("/logo.png") == 1);
}
