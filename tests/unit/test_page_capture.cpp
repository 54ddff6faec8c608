// SPDX-License-Identifier: GPL-2.0-or-later
// Web page captures with headless Chromium, against a local HTTP server started by the test:
// the first screen or the whole page, an HTTP error is a failure (not a screenshot of an error
// page), a page that never answers costs the time limit and no more, a missing browser says how
// to install it, and a capture is cached so a session runs offline once prepared.

#include "core/picture/page_capture.hpp"
#include "core/picture/picture_decode.hpp"
#include "core/picture/picture_loader.hpp"
#include "http_server.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

using namespace cuecard;
namespace fs = std::filesystem;

namespace {

const std::string kTallPage =
    "<html><body style='margin:0;background:#fff'><h1 style='font:bold 120px sans-serif'>"
    "PRICING</h1><div style='height:3000px;background:#036'></div>"
    "<div style='height:120px;background:#f00'></div></body></html>";

Image decoded(const std::string &png) {
    auto image = decodePicture(png, "capture", "image/png", {});
    INFO((image.ok() ? std::string() : image.message()));
    REQUIRE(image.ok());
    return std::move(image.value());
}

void requireChromium() {
    REQUIRE_MESSAGE(findChromium().has_value(),
                    "headless Chromium is needed by these tests: run scripts/install-deps.sh");
}

} // namespace

TEST_CASE("page capture: the first screen at the view's size, or the whole page for a pan") {
    requireChromium();
    test::HttpServer server;
    server.route("/site", test::HttpServer::respond(200, "text/html", kTallPage));
    auto screen = capturePage(server.url("/site"), CaptureView{1280, 800, false});
    INFO((screen.ok() ? std::string() : screen.message()));
    REQUIRE(screen.ok());
    const Image first = decoded(*screen);
    CHECK(first.width == 1280);
    CHECK(first.height == 800);
    // White at the top left (the page's background), the dark block further down.
    CHECK(first.at(5, 5)[0] > 200);
    CHECK(first.at(640, 700)[2] < 0x80);

    auto whole = capturePage(server.url("/site"), CaptureView{1024, 600, true});
    REQUIRE(whole.ok());
    const Image page = decoded(*whole);
    CHECK(page.width == 1024);
    CHECK(page.height > 3120); // heading + 3000 px block + 120 px footer
    CHECK(page.height < 3500);
    // The whole page was drawn, not the first screen padded: the block well below the first
    // screen, and the red footer at the very bottom.
    CHECK(page.at(512, 2000)[2] > 0x40);
    CHECK(page.at(512, 2000)[0] < 0x20);
    CHECK(page.at(512, page.height - 40)[0] > 200);
    CHECK(page.at(512, page.height - 40)[2] < 0x40);

    CaptureLimits shortPages;
    shortPages.maxPageHeight = 1500;
    auto capped = capturePage(server.url("/site"), CaptureView{1024, 600, true}, shortPages);
    REQUIRE(capped.ok());
    const Image top = decoded(*capped);
    CHECK(top.height == 1500);
    CHECK(top.at(512, 1450)[2] > 0x40); // the block, cut: no footer
    CHECK(top.at(512, 1450)[0] < 0x20);
}

TEST_CASE("page capture: errors are notes a rep can act on, within the time limit") {
    requireChromium();
    test::HttpServer server;
    server.route("/gone", test::HttpServer::respond(404, "text/html", "<h1>Not here</h1>"));
    server.route("/hang", [](int fd, const std::string &) {
        char c = 0;
        while (::recv(fd, &c, 1, 0) > 0) {
        } // never answers; returns when the browser is killed or the server stops
    });
    auto gone = capturePage(server.url("/gone"), {});
    REQUIRE_FALSE(gone.ok());
    CHECK_MESSAGE(gone.message().find("HTTP 404") != std::string::npos, gone.message());

    CaptureLimits quick;
    quick.timeout = std::chrono::milliseconds(3000);
    const auto start = std::chrono::steady_clock::now();
    auto hang = capturePage(server.url("/hang"), {}, quick);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE_FALSE(hang.ok());
    CHECK_MESSAGE(hang.message().find("took over 3 s") != std::string::npos, hang.message());
    CHECK(seconds < 6.0);

    std::string nobodyListens;
    {
        test::HttpServer stopped;
        nobodyListens = stopped.url("/");
    }
    auto closed = capturePage(nobodyListens, {});
    REQUIRE_FALSE(closed.ok());
    CHECK_MESSAGE(closed.message().find("ERR_CONNECTION_REFUSED") != std::string::npos,
                  closed.message());

    for (const char *refused : {"file:///etc/passwd", "javascript:alert(1)", "ftp://x.example/"}) {
        auto r = capturePage(refused, {});
        REQUIRE_FALSE(r.ok());
        CHECK(r.message().find("only http(s) pages") != std::string::npos);
    }

    CaptureLimits noBrowser;
    noBrowser.browser = "/nonexistent/chromium";
    auto missing = capturePage(server.url("/gone"), {}, noBrowser);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.message().find("sudo apt-get install chromium") != std::string::npos);
}

TEST_CASE("page capture: the loader caches captures per view; offline they come from the cache") {
    requireChromium();
    test::TempDir dir("capture-cache");
    std::string site;
    {
        test::HttpServer server;
        server.route("/site", test::HttpServer::respond(200, "text/html", kTallPage));
        site = server.url("/site");
        PictureLoaderOptions online;
        online.cacheFolder = dir / "cache";
        PictureLoader loader(online);
        const LoadedPicture p = loader.load("website", {"capture:" + site}, dir.path());
        INFO((p.notes.empty() ? std::string() : p.notes.front()));
        REQUIRE(p.image.has_value());
        CHECK(p.image->width == 1280);
        CHECK_FALSE(p.fromCache);
        CHECK(server.requests("/site") >= 1);
    } // the server is gone
    PictureLoaderOptions offline;
    offline.cacheFolder = dir / "cache";
    offline.network = false;
    PictureLoader later(offline);
    const LoadedPicture cached = later.load("website", {"capture:" + site}, dir.path());
    REQUIRE(cached.image.has_value());
    CHECK(cached.fromCache);
    // Another view of the same page is another picture: not captured yet.
    const LoadedPicture other =
        later.load("website", {"capture:" + site}, dir.path(), CaptureView{1280, 800, true});
    CHECK_FALSE(other.image.has_value());
    REQUIRE(other.notes.size() == 1);
    CHECK(other.notes[0].find("not captured yet") != std::string::npos);
    // So is another window size of the same page (first screen, not full page alike).
    const LoadedPicture narrow =
        later.load("website", {"capture:" + site}, dir.path(), CaptureView{800, 600, false});
    CHECK_FALSE(narrow.image.has_value());
    CHECK(captureCacheKey(site, {800, 600, false}) != captureCacheKey(site, {1280, 800, false}));
    CHECK(captureCacheKey(site, {1280, 600, false}) != captureCacheKey(site, {1280, 800, false}));
}

TEST_CASE("page capture: a browser that cannot start says why; one that never answers is killed "
          "at the time limit") {
    test::TempDir dir("fake-chromium");
    const auto script = [&](const std::string &name, const std::string &body) {
        const fs::path p = dir / name;
        std::ofstream(p) << "#!/bin/sh\n" << body << "\n";
        fs::permissions(p, fs::perms::owner_all);
        return p;
    };
    CaptureLimits noSandbox;
    noSandbox.browser = script("no-sandbox", "echo '[1:1:ERROR:zygote_host_impl_linux.cc(128)] No "
                                             "usable sandbox! If this is a Debian system' >&2\n"
                                             "exit 1");
    auto r = capturePage("http://127.0.0.1:1/", {}, noSandbox);
    REQUIRE_FALSE(r.ok());
    CHECK_MESSAGE(r.message().find("sudo apt-get install chromium-sandbox") != std::string::npos,
                  r.message());

    CaptureLimits silent;
    silent.browser = script("silent", "exec sleep 600");
    silent.timeout = std::chrono::milliseconds(1000);
    const auto start = std::chrono::steady_clock::now();
    auto hung = capturePage("http://127.0.0.1:1/", {}, silent);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE_FALSE(hung.ok());
    CHECK_MESSAGE(hung.message().find("took over 1 s") != std::string::npos, hung.message());
    CHECK(seconds < 3.0); // killed (with its process group), not waited for
}
