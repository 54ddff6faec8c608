// SPDX-License-Identifier: GPL-2.0-or-later
// Issue 26, as a rep meets it: `cuecard prepare` and `cuecard render` with a queue whose pictures
// and captures point at the rep's own machine (127.0.0.1, localhost, [::1], 2130706433). With the
// network policy on (the default) nothing reaches the local server and every row names why; with
// CUECARD_ALLOW_PRIVATE_HOSTS=1 the same rows fetch, capture and draw their pictures.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "core/util/image.hpp"
#include "core/util/png_io.hpp"
#include "core/util/read_file.hpp"
#include "http_server.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/wait.h>

using namespace cuecard;
namespace fs = std::filesystem;

namespace {

struct Run {
    int code = -1;
    std::string output; ///< stdout and stderr
};

/// Runs the CLI through the shell; `env` goes before it ("VAR=x ..."), the policy variable is
/// always cleared first so the test's own environment never decides.
Run cli(const std::string &env, const std::string &args) {
    const std::string command =
        "env -u CUECARD_ALLOW_PRIVATE_HOSTS " + env + " '" CUECARD_CLI "' " + args + " 2>&1";
    Run r;
    FILE *pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe) != nullptr) {
        r.output += buf.data();
    }
    const int status = ::pclose(pipe);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

int countLines(const std::string &text, const std::string &needle) {
    int n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + needle.size())) {
        ++n;
    }
    return n;
}

/// Pixels of pure red (the served logo) in a rendered overlay.
int redPixels(const fs::path &png) {
    auto img = readPng(png);
    REQUIRE_MESSAGE(img.ok(), png.string());
    int n = 0;
    const auto &p = img.value().pixels;
    for (std::size_t i = 0; i + 3 < p.size(); i += 4) {
        n += p[i] > 240 && p[i + 1] < 16 && p[i + 2] < 16 && p[i + 3] > 240 ? 1 : 0;
    }
    return n;
}

} // namespace

TEST_CASE("cli: a queue cannot make prepare or render reach the rep's own machine; "
          "CUECARD_ALLOW_PRIVATE_HOSTS=1 can") {
    test::TempDir dir("cli-net");
    // The served logo: solid red, unlike the theme's fallback.
    Image red(64, 64);
    for (std::size_t i = 0; i + 3 < red.pixels.size(); i += 4) {
        red.pixels[i] = 255;
        red.pixels[i + 3] = 255;
    }
    REQUIRE(writePng(red, dir / "red.png"));
    test::HttpServer server;
    server.route("/logo.png",
                 test::HttpServer::respond(200, "image/png", readFile(dir / "red.png").value()));
    server.route("/site",
                 test::HttpServer::respond(
                     200, "text/html",
                     "<html><body style='background:#f00'><h1>Intranet</h1></body></html>"));
    const std::string port = server.url("").substr(std::string("http://127.0.0.1:").size());
    const std::string cache = "XDG_CACHE_HOME='" + (dir / "cache").string() + "'";

    std::string queue = "full_name,email,logo\n";
    int row = 0;
    for (const std::string host : {"127.0.0.1", "localhost", "[::1]", "2130706433"}) {
        ++row;
        queue += "Person " + std::to_string(row) + ",p" + std::to_string(row) +
                 "@x.example,http://" + host + ":" + port + "/logo.png\n";
    }
    std::ofstream(dir / "logos.csv") << queue;
    std::ofstream(dir / "sites.csv") << "full_name,website\nSite One,http://127.0.0.1:" + port +
                                            "/site\nSite Two,http://localhost:" + port + "/site\n";
    const std::string logos = " --queue '" + (dir / "logos.csv").string() + "' --theme logo";
    const std::string sites = " --queue '" + (dir / "sites.csv").string() + "' --theme website";

    SUBCASE("the policy on (the default): no request, a note per row, the fallback drawn") {
        Run prepared = cli(cache, "prepare" + logos);
        CAPTURE(prepared.output);
        CHECK(prepared.code == 1); // warnings
        CHECK(countLines(prepared.output, "is a loopback address; pictures from the rep's "
                                          "network are off (CUECARD_ALLOW_PRIVATE_HOSTS=1") == 4);
        Run rendered =
            cli(cache, "render" + logos + " --size 960x540 --out '" + (dir / "off").string() + "'");
        CAPTURE(rendered.output);
        CHECK(rendered.code == 0);
        CHECK(countLines(rendered.output, "is a loopback address") == 4);
        CHECK(redPixels(dir / "off" / "001_person-1.png") == 0);
        Run captured = cli(cache, "prepare" + sites);
        CAPTURE(captured.output);
        CHECK(countLines(captured.output, "is a loopback address") == 2);
        CHECK(server.requests("/logo.png") == 0);
        CHECK(server.requests("/site") == 0);
    }
    SUBCASE("CUECARD_ALLOW_PRIVATE_HOSTS=1: the same rows fetch, capture and draw") {
        Run prepared = cli("CUECARD_ALLOW_PRIVATE_HOSTS=1 " + cache, "prepare" + logos);
        CAPTURE(prepared.output);
        CHECK(prepared.output.find("is a loopback address") == std::string::npos);
        // [::1]: the server listens on IPv4 only, so that row cannot connect; the others fetch.
        CHECK(prepared.output.find("Person 3: warning") != std::string::npos);
        CHECK(server.requests("/logo.png") >= 1);
        Run rendered =
            cli("CUECARD_ALLOW_PRIVATE_HOSTS=1 " + cache,
                "render" + logos + " --size 960x540 --out '" + (dir / "on").string() + "'");
        CAPTURE(rendered.output);
        CHECK(rendered.code == 0);
        CHECK(redPixels(dir / "on" / "001_person-1.png") > 500);
        CHECK(redPixels(dir / "on" / "004_person-4.png") > 500);
        Run captured = cli("CUECARD_ALLOW_PRIVATE_HOSTS=1 " + cache, "prepare" + sites);
        CAPTURE(captured.output);
        CHECK(captured.code == 0);
        CHECK(server.requests("/site") >= 1);
    }
}

TEST_CASE("cli: check never fetches, even where fetching is allowed") {
    test::TempDir dir("cli-check");
    test::HttpServer server;
    server.route("/logo.png", test::HttpServer::respond(200, "image/png", "not read"));
    std::ofstream(dir / "q.csv") << "full_name,email,logo\nRemote,r@x.example," +
                                        server.url("/logo.png") + "\n";
    Run checked =
        cli("CUECARD_ALLOW_PRIVATE_HOSTS=1 XDG_CACHE_HOME='" + (dir / "cache").string() + "'",
            "check --queue '" + (dir / "q.csv").string() + "' --theme logo");
    CAPTURE(checked.output);
    CHECK(checked.output.find("#1 Remote: note: picture") != std::string::npos);
    CHECK(checked.output.find("not fetched yet") != std::string::npos);
    CHECK(server.requests("/logo.png") == 0);
    CHECK_FALSE(fs::exists(dir / "cache" / "cuecard" / "pictures" / "objects"));
}
