// SPDX-License-Identifier: GPL-2.0-or-later
// What a queue can make Cuecard reach: addresses on the rep's own network (loopback, private,
// link-local, CGNAT, unique-local…) are refused on the address a connection goes to, for
// pictures (libcurl) and for every request of a captured page (Chromium), and a local server sees
// no request; CUECARD_ALLOW_PRIVATE_HOSTS=1 lets them through.

#include "core/picture/address_policy.hpp"
#include "core/picture/capture_proxy.hpp"
#include "core/picture/http_fetch.hpp"
#include "core/picture/page_capture.hpp"
#include "core/picture/picture_decode.hpp"
#include "http_server.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <cstdlib>
#include <netinet/in.h>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

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

namespace {

/// Sends `request` to the proxy on 127.0.0.1:`port`; everything it answers until it closes.
std::string throughProxy(int port, const std::string &request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0);
    REQUIRE(cuecard::test::HttpServer::sendAll(fd, request));
    std::string reply;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) {
        reply.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return reply;
}

} // namespace

TEST_CASE("capture proxy: connects only to public addresses, checked on the address it connects "
          "to; lets the rep's network through only when allowed") {
    cuecard::test::HttpServer server;
    serveOk(server, "/page");
    const std::string port = server.url("").substr(std::string("http://127.0.0.1:").size());
    {
        CaptureProxy proxy;
        REQUIRE(proxy.error().empty());
        for (const std::string host : {"127.0.0.1", "localhost", "2130706433"}) {
            CAPTURE(host);
            const std::string plain =
                throughProxy(proxy.port(), "GET http://" + host + ":" + port +
                                               "/page HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            CHECK(plain.rfind("HTTP/1.1 403", 0) == 0);
            const std::string tunnel =
                throughProxy(proxy.port(), "CONNECT " + host + ":" + port +
                                               " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            CHECK(tunnel.rfind("HTTP/1.1 403", 0) == 0);
        }
        CHECK(proxy.refused() == 6);
        CHECK(proxy.connected() == 0);
        CHECK(proxy.firstRefusal().find("127.0.0.1 is a loopback address") != std::string::npos);
        // Only http in absolute form or CONNECT: a request for the proxy itself is not served.
        CHECK(throughProxy(proxy.port(), "GET /page HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 400", 0) ==
              0);
    }
    CHECK(server.requests("/page") == 0);

    CaptureProxy open(true);
    const std::string plain = throughProxy(
        open.port(), "GET " + server.url("/page") +
                         " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
    CHECK(plain.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(plain.find("<html><body>hi</body></html>") != std::string::npos);
    CHECK(server.requests("/page") == 1);
    const std::string tunnel =
        throughProxy(open.port(), "CONNECT 127.0.0.1:" + port +
                                      " HTTP/1.1\r\n\r\nGET /page HTTP/1.1\r\nHost: "
                                      "127.0.0.1\r\nConnection: close\r\n\r\n");
    CHECK(tunnel.rfind("HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 200", 0) == 0);
    CHECK(server.requests("/page") == 2);
    CHECK(open.connected() == 2);
}

TEST_CASE("page capture: a name that answers Chromium differently (DNS rebinding) still reaches "
          "nothing on the rep's network; a capture through the proxy works") {
    REQUIRE_MESSAGE(findChromium().has_value(),
                    "headless Chromium is needed by this test: run scripts/install-deps.sh");
    cuecard::test::HttpServer server;
    serveOk(server, "/intranet");
    {
        DefaultPolicy policy;
        CaptureLimits rebinding; // as if Cuecard's own look-up had answered a public address
        rebinding.checkHostNames = false;
        auto shot = capturePage(server.url("/intranet"), {}, rebinding);
        REQUIRE_FALSE(shot.ok());
        CHECK(shot.message().find("127.0.0.1 is a loopback address") != std::string::npos);
        CHECK(shot.message().find("nothing was captured") != std::string::npos);
        CHECK(server.requests("/intranet") == 0);
    }
    // The rep's network allowed, the capture sent through the proxy all the same: the page is
    // fetched through it and captured whole.
    CaptureLimits viaProxy;
    viaProxy.proxyAlways = true;
    server.route("/red",
                 cuecard::test::HttpServer::respond(
                     200, "text/html", "<html><body style='background:#f00'></body></html>"));
    auto shot = capturePage(server.url("/red"), CaptureView{640, 400, false}, viaProxy);
    INFO((shot.ok() ? std::string() : shot.message()));
    REQUIRE(shot.ok());
    CHECK(server.requests("/red") == 1);
    auto image = decodePicture(*shot, "capture", "image/png", {});
    REQUIRE(image.ok());
    CHECK(image->width == 640);
    CHECK(image->at(320, 200)[0] > 240);
    CHECK(image->at(320, 200)[1] < 16);
}
