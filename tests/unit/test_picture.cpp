// SPDX-License-Identifier: GPL-2.0-or-later
// Pictures: where they may come from (sandboxed files, http(s) only), how they are fetched (every
// limit a hostile address needs), cached (content-addressed, offline once prepared) and decoded
// (each format by its own library, bombs refused before decoding). A local HTTP server started
// by the test plays the hostile web.

#include "core/picture/http_fetch.hpp"
#include "core/picture/picture_cache.hpp"
#include "core/picture/picture_decode.hpp"
#include "core/picture/picture_loader.hpp"
#include "core/picture/picture_prefetcher.hpp"
#include "core/picture/picture_source.hpp"
#include "core/picture/prepare_board.hpp"
#include "core/picture/recipient_pictures.hpp"
#include "core/util/png_io.hpp"
#include "core/util/read_file.hpp"
#include "core/util/sha256.hpp"
#include "http_server.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <gif_lib.h>
#include <sys/stat.h>
#include <turbojpeg.h>
#include <webp/encode.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

using namespace cuecard;
namespace fs = std::filesystem;

namespace {

const fs::path kCorpus = CUECARD_SOURCE_DIR "/tests/picture-corpus";

std::string corpusFile(const std::string &name) {
    return readFile(kCorpus / name).value_or("");
}

/// A w×h RGBA picture of one colour.
Image solid(int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b, std::uint8_t a = 255) {
    Image img(w, h);
    for (std::size_t i = 0; i < img.pixels.size(); i += 4) {
        img.pixels[i] = r;
        img.pixels[i + 1] = g;
        img.pixels[i + 2] = b;
        img.pixels[i + 3] = a;
    }
    return img;
}

std::string pngBytes(const Image &img, const test::TempDir &dir) {
    const fs::path p = dir / ("p" + std::to_string(img.width) + ".png");
    REQUIRE(writePng(img, p, true).ok());
    return readFile(p).value();
}

/// Every pixel of `img` is within 3 of (r, g, b, a).
bool allNear(const Image &img, int r, int g, int b, int a) {
    for (std::size_t i = 0; i < img.pixels.size(); i += 4) {
        const int want[4] = {r, g, b, a};
        for (int c = 0; c < 4; ++c) {
            if (std::abs(img.pixels[i + static_cast<std::size_t>(c)] - want[c]) > 3) {
                return false;
            }
        }
    }
    return true;
}

int writeToString(GifFileType *gif, const GifByteType *data, int n) {
    static_cast<std::string *>(gif->UserData)
        ->append(reinterpret_cast<const char *>(data), static_cast<std::size_t>(n));
    return n;
}

/// A 2×2 GIF: blue, red / red, blue.
std::string gif2x2() {
    std::string out;
    int error = 0;
    GifFileType *gif = EGifOpen(&out, &writeToString, &error);
    REQUIRE(gif != nullptr);
    GifColorType colors[2] = {{0, 0, 255}, {255, 0, 0}};
    ColorMapObject *map = GifMakeMapObject(2, colors);
    REQUIRE(EGifPutScreenDesc(gif, 2, 2, 1, 0, map) == GIF_OK);
    REQUIRE(EGifPutImageDesc(gif, 0, 0, 2, 2, false, nullptr) == GIF_OK);
    GifPixelType row0[2] = {0, 1};
    GifPixelType row1[2] = {1, 0};
    REQUIRE(EGifPutLine(gif, row0, 2) == GIF_OK);
    REQUIRE(EGifPutLine(gif, row1, 2) == GIF_OK);
    REQUIRE(EGifCloseFile(gif, &error) == GIF_OK);
    GifFreeMapObject(map);
    return out;
}

PictureLoaderOptions quickOptions(const fs::path &cache) {
    PictureLoaderOptions o;
    o.cacheFolder = cache;
    o.fetch.connectTimeoutMs = 1000;
    o.fetch.totalTimeoutMs = 1500;
    o.fetch.maxBytes = 1024 * 1024;
    return o;
}

} // namespace

TEST_CASE("sha256: the FIPS 180-4 test vectors") {
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256Hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("picture source: http(s) and capture: are fetched, files are local, other schemes are "
          "refused") {
    using K = PictureSource::Kind;
    CHECK(classifyPictureSource("").kind == K::None);
    CHECK(classifyPictureSource("   ").kind == K::None);
    CHECK(classifyPictureSource(" https://acme.example/logo.png ").kind == K::Http);
    CHECK(classifyPictureSource(" https://acme.example/logo.png ").location ==
          "https://acme.example/logo.png");
    CHECK(classifyPictureSource("HTTP://acme.example/a.png").kind == K::Http);
    CHECK(classifyPictureSource("capture:https://acme.example/").kind == K::Capture);
    CHECK(classifyPictureSource("capture:https://acme.example/").location ==
          "https://acme.example/");
    CHECK(classifyPictureSource("capture:file:///etc/passwd").kind == K::Refused);
    CHECK(classifyPictureSource("capture:javascript:alert(1)").kind == K::Refused);
    CHECK(classifyPictureSource("capture:/etc/passwd").kind == K::Refused);
    CHECK(classifyPictureSource("capture:../secret.html").kind == K::Refused);
    // A website column without a scheme, as CRMs keep it, is captured over https.
    CHECK(classifyPictureSource("capture:acme.example/pricing").location ==
          "https://acme.example/pricing");
    CHECK(classifyPictureSource("logos/acme.png").kind == K::Local);
    CHECK(classifyPictureSource("C:\\logos\\acme.png").kind == K::Local); // then refused as a path
    for (const char *bad : {"file:///etc/passwd", "ftp://x.example/a.png", "gopher://x.example/",
                            "data:image/png;base64,AAAA", "javascript:alert(1)"}) {
        CAPTURE(bad);
        const PictureSource p = classifyPictureSource(bad);
        CHECK(p.kind == K::Refused);
        CHECK(p.why.find("only http and https") != std::string::npos);
    }
}

TEST_CASE("picture source: local files stay in their folder; no absolute path, no .., no link "
          "out, no FIFO or device") {
    test::TempDir dir("pictures");
    const fs::path folder = dir / "queue";
    fs::create_directories(folder / "logos");
    std::ofstream(folder / "logos" / "acme.png") << "bytes";
    std::ofstream(dir / "secret.png") << "secret";
    fs::create_symlink(dir / "secret.png", folder / "logos" / "escape.png");
    fs::create_symlink("acme.png", folder / "logos" / "inside.png");
    REQUIRE(::mkfifo((folder / "logos" / "fifo.png").c_str(), 0600) == 0);

    auto ok = readLocalPicture(folder, "logos/acme.png", 1024);
    REQUIRE(ok.ok());
    CHECK(*ok == "bytes");
    auto inside = readLocalPicture(folder, "logos/inside.png", 1024);
    REQUIRE(inside.ok()); // a link that stays inside is fine
    CHECK(*inside == "bytes");

    const auto refused = [&](const std::string &rel, const std::string &why) {
        CAPTURE(rel);
        auto r = readLocalPicture(folder, rel, 1024);
        REQUIRE_FALSE(r.ok());
        CHECK_MESSAGE(r.message().find(why) != std::string::npos, r.message());
    };
    refused((dir / "secret.png").string(), "an absolute path is not allowed");
    refused("../secret.png", "\"..\" is not allowed");
    refused("logos/../../secret.png", "\"..\" is not allowed");
    refused("logos/escape.png", "leads outside");
    refused("logos/fifo.png", "not a regular file"); // and it returns: nothing waits on a writer
    refused("logos", "not a regular file");
    refused("logos/missing.png", "no such picture");
    refused("/dev/zero", "an absolute path is not allowed");
    std::ofstream(folder / "big.png") << std::string(2048, 'x');
    refused("big.png", "larger than");
}

TEST_CASE("picture decode: PNG, JPEG, WebP, GIF and SVG, premultiplied, sized right") {
    test::TempDir dir("decode");
    // PNG with half alpha: stored premultiplied.
    // (Image is premultiplied: writePng stores it straight, decodePicture premultiplies again.)
    auto png = decodePicture(pngBytes(solid(6, 3, 100, 50, 25, 128), dir), "png");
    INFO((png.ok() ? std::string() : png.message()));
    REQUIRE(png.ok());
    CHECK(png->width == 6);
    CHECK(png->height == 3);
    CHECK(allNear(*png, 100, 50, 25, 128));

    // JPEG (libjpeg-turbo made it, libjpeg-turbo reads it back).
    const Image red = solid(16, 8, 255, 0, 0);
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = nullptr;
    unsigned long jpegSize = 0;
    REQUIRE(tjCompress2(tj, red.pixels.data(), 16, 64, 8, TJPF_RGBA, &jpeg, &jpegSize, TJSAMP_444,
                        95, 0) == 0);
    const std::string jpegBytes(reinterpret_cast<char *>(jpeg), jpegSize);
    tjFree(jpeg);
    tjDestroy(tj);
    CHECK(sniffPictureFormat(jpegBytes) == PictureFormat::Jpeg);
    auto jpg = decodePicture(jpegBytes, "jpeg");
    REQUIRE(jpg.ok());
    CHECK(jpg->width == 16);
    CHECK(allNear(*jpg, 254, 0, 0, 255));

    // WebP, lossless, with alpha.
    const Image green = solid(5, 7, 0, 255, 0, 255);
    std::uint8_t *webp = nullptr;
    const std::size_t webpSize = WebPEncodeLosslessRGBA(green.pixels.data(), 5, 7, 20, &webp);
    REQUIRE(webpSize > 0);
    const std::string webpBytes(reinterpret_cast<char *>(webp), webpSize);
    WebPFree(webp);
    auto wp = decodePicture(webpBytes, "webp");
    REQUIRE(wp.ok());
    CHECK(wp->height == 7);
    CHECK(allNear(*wp, 0, 255, 0, 255));

    // GIF, made by giflib's encoder: 2×2, blue and red in a checkerboard.
    const std::string gifBytes = gif2x2();
    auto gf = decodePicture(gifBytes, "gif");
    INFO((gf.ok() ? std::string() : gf.message()));
    REQUIRE(gf.ok());
    CHECK(gf->width == 2);
    CHECK(gf->height == 2);
    CHECK(gf->at(0, 0)[2] == 255);
    CHECK(gf->at(1, 0)[0] == 255);
    CHECK(gf->at(1, 0)[2] == 0);
    CHECK(gf->at(0, 1)[0] == 255);
    CHECK(gf->at(1, 1)[2] == 255);
    // The classic 1×1 transparent GIF: transparent stays transparent.
    const unsigned char pixel[] = {'G', 'I', 'F', '8', '9', 'a',  1,    0,    1,    0,    0x80,
                                   0,   0,   0,   0,   0,   0xff, 0xff, 0xff, 0x21, 0xf9, 4,
                                   1,   0,   0,   0,   0,   0x2c, 0,    0,    0,    0,    1,
                                   0,   1,   0,   0,   2,   2,    0x44, 0x01, 0,    0x3b};
    auto clear =
        decodePicture(std::string(reinterpret_cast<const char *>(pixel), sizeof pixel), "gif");
    REQUIRE(clear.ok());
    CHECK(clear->at(0, 0)[3] == 0);

    // SVG with a size: drawn at it.
    auto svg = decodePicture("<svg xmlns='http://www.w3.org/2000/svg' width='30' height='20'>"
                             "<rect width='30' height='20' fill='#ff0000'/></svg>",
                             "svg");
    REQUIRE(svg.ok());
    CHECK(svg->width == 30);
    CHECK(svg->height == 20);
    CHECK(allNear(*svg, 255, 0, 0, 255));
}

TEST_CASE("picture decode: every file of the hostile corpus becomes what expected.txt says") {
    std::istringstream list(corpusFile("expected.txt"));
    std::string line;
    int cases = 0;
    for (const auto &entry : fs::directory_iterator(kCorpus)) {
        if (entry.path().filename() != "expected.txt") {
            CHECK_MESSAGE(
                corpusFile("expected.txt").find(entry.path().filename().string() + " |") !=
                    std::string::npos,
                entry.path().filename().string() << " has no expected outcome");
        }
    }
    while (std::getline(list, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const std::size_t bar = line.find(" | ");
        REQUIRE(bar != std::string::npos);
        const std::string file = line.substr(0, bar);
        const std::string expected = line.substr(bar + 3);
        CAPTURE(file);
        const auto start = std::chrono::steady_clock::now();
        auto r = decodePicture(corpusFile(file), file);
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        CHECK(ms < 2000.0); // refused from the header, never decoded
        if (expected.rfind("ok ", 0) == 0) {
            INFO((r.ok() ? std::string() : r.message()));
            REQUIRE(r.ok());
            CHECK(std::to_string(r->width) + "x" + std::to_string(r->height) == expected.substr(3));
        } else {
            REQUIRE_FALSE(r.ok());
            CHECK_MESSAGE(r.message().find(expected) != std::string::npos, r.message());
        }
        ++cases;
    }
    CHECK(cases >= 10);
    // The SVGs' references outside themselves were not drawn: pure green, pure blue.
    auto image = decodePicture(corpusFile("svg-external-image.svg"), "svg");
    REQUIRE(image.ok());
    CHECK(allNear(*image, 0, 255, 0, 255));
}

TEST_CASE("picture fetch: a local server's hostile answers are each a clear note, within the "
          "time limit") {
    test::TempDir dir("fetch");
    const std::string logo = pngBytes(solid(8, 8, 10, 20, 200), dir);
    test::HttpServer server;
    server.route("/logo.png", test::HttpServer::respond(200, "image/png", logo));
    server.route("/loop", test::HttpServer::redirect("/loop"));
    server.route("/to-file", test::HttpServer::redirect("file:///etc/passwd"));
    server.route("/page.html", test::HttpServer::respond(200, "text/html", "<html>hi</html>"));
    server.route("/truncated.png",
                 test::HttpServer::respond(200, "image/png", logo.substr(0, logo.size() / 2)));
    server.route("/bomb.png",
                 test::HttpServer::respond(200, "image/png", corpusFile("bomb-100000x100000.png")));
    server.route("/hang", [](int fd, const std::string &) {
        char c = 0;
        while (::recv(fd, &c, 1, 0) > 0) {
        } // never answers; returns when the client gives up or the server stops
    });
    server.route("/2gb", [](int fd, const std::string &) {
        if (!test::HttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                                           "Content-Length: 2147483648\r\n\r\n")) {
            return;
        }
        const std::string chunk(65536, '\0');
        while (test::HttpServer::sendAll(fd, chunk)) {
        }
    });
    server.route("/endless", [](int fd, const std::string &) { // no length announced
        if (!test::HttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n")) {
            return;
        }
        const std::string chunk(65536, '\0');
        while (test::HttpServer::sendAll(fd, chunk)) {
        }
    });

    PictureLoader loader(quickOptions(dir / "cache"));
    const auto expectNote = [&](const std::string &path, const std::string &why) {
        CAPTURE(path);
        const auto start = std::chrono::steady_clock::now();
        const LoadedPicture p = loader.load("logo", {server.url(path)}, dir.path());
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        CHECK_FALSE(p.image.has_value());
        REQUIRE(p.notes.size() == 1);
        CHECK_MESSAGE(p.notes[0].find(why) != std::string::npos, p.notes[0]);
        CHECK(p.notes[0].find("logo " + server.url(path)) == 0); // names the picture and address
        CHECK(s < 5.0);                                          // the timeout, not a hang
    };
    expectNote("/missing.png", "HTTP 404");
    expectNote("/hang", "no answer within 1 s");
    expectNote("/loop", "redirects (a redirect loop?)");
    expectNote("/to-file", "only http and https");
    expectNote("/2gb", "larger than 1 MB");
    expectNote("/endless", "larger than 1 MB");
    expectNote("/page.html", "not a picture (PNG, JPEG, WebP, GIF or SVG); the server said it is "
                             "text/html");
    expectNote("/truncated.png", "a damaged or cut-off PNG");
    expectNote("/bomb.png", "over the limit");

    // A good picture, then the fallback order: the first that works wins, the rest is noted.
    const LoadedPicture good = loader.load("logo", {server.url("/logo.png")}, dir.path());
    REQUIRE(good.image.has_value());
    CHECK(good.image->width == 8);
    CHECK_FALSE(good.fromCache);
    CHECK(server.requests("/logo.png") == 1);
    std::ofstream(dir / "placeholder.svg")
        << "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>";
    const LoadedPicture fallback =
        loader.load("logo", {"", server.url("/missing.png"), "placeholder.svg"}, dir.path());
    REQUIRE(fallback.image.has_value());
    CHECK(fallback.fallbackUsed);
    CHECK(fallback.source == "placeholder.svg");
    REQUIRE(fallback.notes.size() == 1);
    CHECK(fallback.notes[0].find("HTTP 404; fallback used") != std::string::npos);
    const LoadedPicture none = loader.load("photo", {"", "../outside.png"}, dir.path());
    CHECK_FALSE(none.image.has_value());
    REQUIRE(none.notes.size() == 1);
    CHECK(none.notes[0].find("the element is left out") != std::string::npos);
    CHECK(loader.load("photo", {"", "  "}, dir.path())
              .notes.empty()); // nothing asked: nothing to say

    // Offline: the server is gone, the cache still answers (it survives a new loader).
    server.stop();
    PictureLoader later(quickOptions(dir / "cache"));
    const LoadedPicture cached = later.load("logo", {server.url("/logo.png")}, dir.path());
    REQUIRE(cached.image.has_value());
    CHECK(cached.fromCache);
    CHECK(allNear(*cached.image, 10, 20, 200, 255));
    PictureLoaderOptions offline = quickOptions(dir / "cache");
    offline.network = false;
    PictureLoader noNetwork(offline);
    const LoadedPicture unprepared = noNetwork.load("logo", {server.url("/other.png")}, dir.path());
    REQUIRE(unprepared.notes.size() == 1);
    CHECK(unprepared.notes[0].find("not fetched yet") != std::string::npos);
}

TEST_CASE("picture cache: content-addressed, damaged objects missed, least recently used go "
          "first") {
    test::TempDir dir("cache");
    PictureCache cache(dir / "c", 250);
    REQUIRE(cache.store("https://a.example/1.png", std::string(100, 'a'), "image/png").ok());
    REQUIRE(cache.store("https://a.example/same.png", std::string(100, 'a'), "image/png").ok());
    CHECK(cache.bytesUsed() == 100); // one object for the same bytes
    REQUIRE(cache.lookup("https://a.example/1.png").has_value());
    CHECK(cache.lookup("https://a.example/1.png")->contentType == "image/png");
    CHECK_FALSE(cache.lookup("https://a.example/unknown.png").has_value());
    REQUIRE(cache.store("https://a.example/2.png", std::string(100, 'b'), "image/png").ok());
    // Over 250 bytes with a third object: the least recently used one goes.
    fs::last_write_time(dir / "c" / "objects" / sha256Hex(std::string(100, 'a')),
                        fs::file_time_type::clock::now() - std::chrono::hours(1));
    REQUIRE(cache.store("https://a.example/3.png", std::string(100, 'c'), "image/png").ok());
    CHECK(cache.bytesUsed() <= 250);
    CHECK_FALSE(cache.lookup("https://a.example/1.png").has_value());
    CHECK(cache.lookup("https://a.example/3.png").has_value());
    // A damaged object (its bytes no longer match its name) is a miss, not a wrong picture.
    std::ofstream(dir / "c" / "objects" / sha256Hex(std::string(100, 'c'))) << "tampered";
    CHECK_FALSE(cache.lookup("https://a.example/3.png").has_value());
}

TEST_CASE("picture candidates: the recipient's value in the queue's folder, then the theme's "
          "fallback in the theme's") {
    auto theme = parseTheme(R"({"cuecard_theme": 1, "elements": [
        {"type": "image", "src": "{logo|images/placeholder.png}", "width": 10, "height": 10},
        {"type": "image", "src": "logos/{company}.png", "width": 10, "height": 10},
        {"type": "image", "src": "images/frame.svg", "width": 10, "height": 10}]})",
                            "t.json");
    REQUIRE(theme.ok());
    const auto &logo = std::get<ImageElement>(theme->elements[0]);
    const auto &byCompany = std::get<ImageElement>(theme->elements[1]);
    const auto &frame = std::get<ImageElement>(theme->elements[2]);
    Recipient r;
    r.set("logo", "https://acme.example/logo.png");
    auto c = pictureCandidates(logo, r, "/queue", "/theme");
    REQUIRE(c.size() == 2);
    CHECK(c[0] == std::make_pair(std::string("https://acme.example/logo.png"), fs::path("/queue")));
    CHECK(c[1] == std::make_pair(std::string("images/placeholder.png"), fs::path("/theme")));
    Recipient empty;
    c = pictureCandidates(logo, empty, "/queue", "/theme");
    REQUIRE(c.size() == 1); // an empty value is no candidate: never "" in the queue's folder
    CHECK(c[0].second == fs::path("/theme"));
    c = pictureCandidates(byCompany, empty, "/queue", "/theme");
    CHECK(c.empty()); // "logos/.png" would be a wrong picture; no fallback: left out
    r.set("company", "acme");
    c = pictureCandidates(byCompany, r, "/queue", "/theme");
    REQUIRE(c.size() == 1);
    CHECK(c[0].first == "logos/acme.png");
    c = pictureCandidates(frame, r, "/queue", "/theme");
    REQUIRE(c.size() == 1); // the theme's own picture
    CHECK(c[0] == std::make_pair(std::string("images/frame.svg"), fs::path("/theme")));

    // A list of templates: each in order, an empty value skipped.
    auto site = parseTheme(R"({"cuecard_theme": 1, "elements": [{"type": "image",
        "src": ["{website_image|}", "capture:{website|}", "images/site.svg"], "width": 10,
        "height": 10}]})",
                           "t.json");
    REQUIRE(site.ok());
    REQUIRE(site->check({"full_name"}).ok()); // neither column is needed
    const auto &siteImage = std::get<ImageElement>(site->elements[0]);
    Recipient withSite;
    withSite.set("website", "acme.example");
    c = pictureCandidates(siteImage, withSite, "/queue", "/theme");
    REQUIRE(c.size() == 2);
    CHECK(c[0] == std::make_pair(std::string("capture:acme.example"), fs::path("/queue")));
    CHECK(c[1] == std::make_pair(std::string("images/site.svg"), fs::path("/theme")));
    withSite.set("website_image", "shots/acme.png");
    c = pictureCandidates(siteImage, withSite, "/queue", "/theme");
    REQUIRE(c.size() == 3);
    CHECK(c[0].first == "shots/acme.png");
}

TEST_CASE("theme: image elements are parsed with their fit, mask, opacity, pan and viewport; "
          "mistakes are named") {
    auto ok = parseTheme(R"({"cuecard_theme": 1, "elements": [{"type": "image", "src": "{photo}",
        "x": 5, "y": 6, "width": 100, "height": 50, "fit": "cover", "mask": "circle",
        "opacity": 0.5}]})",
                         "t.json");
    REQUIRE(ok.ok());
    const auto &im = std::get<ImageElement>(ok->elements[0]);
    CHECK(im.fit == PictureFit::Cover);
    CHECK(im.mask == PictureMask::Circle);
    CHECK(im.opacity == doctest::Approx(0.5f));
    CHECK(im.width == doctest::Approx(100.0f));
    CHECK(im.pan == 0.0f); // still unless asked
    CHECK(im.viewportWidth == 1280);
    CHECK(im.viewportHeight == 800);
    auto site = parseTheme(R"({"cuecard_theme": 1, "elements": [{"type": "image",
        "src": "capture:{website}", "width": 1920, "height": 1080, "pan": 20,
        "viewport": [1440, 900]}]})",
                           "t.json");
    REQUIRE(site.ok());
    const auto &panned = std::get<ImageElement>(site->elements[0]);
    CHECK(panned.pan == doctest::Approx(20.0f));
    CHECK(panned.viewportWidth == 1440);
    CHECK(panned.viewportHeight == 900);
    CHECK(site->longestPan() == doctest::Approx(20.0f));
    const auto bad = [](const std::string &element, const std::string &why) {
        auto t = parseTheme(R"({"cuecard_theme": 1, "elements": [)" + element + "]}", "t.json");
        REQUIRE_FALSE(t.ok());
        CHECK_MESSAGE(t.message().find(why) != std::string::npos, t.message());
    };
    bad(R"({"type": "image", "width": 10, "height": 10})", "elements[0].src: an image needs");
    bad(R"({"type": "image", "src": "{a}", "width": 10})", "needs \"width\" and \"height\"");
    bad(R"({"type": "image", "src": "{a}", "width": 10, "height": 10, "fit": "stretch"})",
        "\"stretch\" is not one of contain, cover, fill");
    bad(R"({"type": "image", "src": "{a}", "width": 10, "height": 10, "mask": "star"})",
        "\"star\" is not one of none, rounded, circle");
    bad(R"({"type": "image", "src": "{a", "width": 10, "height": 10})", "elements[0].src");
    bad(R"({"type": "image", "src": "{a}", "width": 10, "height": 10, "pan": -1})",
        "elements[0].pan");
    bad(R"({"type": "image", "src": "{a}", "width": 10, "height": 10, "viewport": [1280]})",
        "elements[0].viewport: expected [width, height]");
    bad(R"({"type": "image", "src": "{a}", "width": 10, "height": 10, "viewport": [99999, 800]})",
        "elements[0].viewport: expected [width, height]");
    bad(R"({"type": "image", "src": "{a}", "width": 10, "height": 10, "scroll": 4})",
        "elements[0].scroll: unknown key");
    bad(R"({"type": "picture"})", "is not one of box, text, image");
}

TEST_CASE("picture prefetcher: prepares on its own thread, never blocks, stands in with the "
          "theme's fallbacks") {
    test::TempDir dir("prefetch");
    fs::create_directories(dir / "queue" / "logos");
    fs::create_directories(dir / "theme");
    const auto write = [&](const fs::path &p, const Image &img) {
        REQUIRE(writePng(img, p, true).ok());
    };
    write(dir / "queue" / "logos" / "acme.png", solid(20, 10, 255, 0, 0));
    write(dir / "theme" / "placeholder.png", solid(5, 5, 0, 0, 255));
    auto parsed = parseTheme(R"({"cuecard_theme": 1, "elements": [{"type": "image",
        "src": "{logo|placeholder.png}", "width": 10, "height": 10}]})",
                             "t.json");
    REQUIRE(parsed.ok());
    Theme theme = std::move(parsed.value());
    theme.folder = dir / "theme";
    PicturePrefetcher prefetcher(quickOptions(dir / "cache"));
    prefetcher.reset(std::make_shared<const Theme>(theme), dir / "queue");
    Recipient acme;
    acme.id = "acme";
    acme.set("logo", "logos/acme.png");
    Recipient other;
    other.id = "other";
    prefetcher.waitIdle(); // the theme's fallbacks
    auto early = prefetcher.ready(acme);
    REQUIRE(early);
    CHECK_FALSE(early->complete);
    REQUIRE(early->images.count(0) == 1);
    CHECK(early->images.at(0)->width == 5); // the placeholder stands in
    prefetcher.want({acme, other});
    prefetcher.waitIdle();
    auto own = prefetcher.ready(acme);
    REQUIRE(own);
    CHECK(own->complete);
    CHECK(own->images.at(0)->width == 20);
    auto fallback = prefetcher.ready(other); // no logo: the placeholder, prepared and complete
    REQUIRE(fallback);
    CHECK(fallback->complete);
    CHECK(fallback->images.at(0)->width == 5);
    // A theme without pictures needs nothing.
    auto plain = parseTheme(R"({"cuecard_theme": 1, "elements": [{"type": "box"}]})", "p.json");
    REQUIRE(plain.ok());
    prefetcher.reset(std::make_shared<const Theme>(plain.value()), dir / "queue");
    CHECK(prefetcher.ready(acme) == nullptr);
}

TEST_CASE("picture prefetcher: prepares the whole queue in the background and publishes progress "
          "and each recipient's problems; a reloaded queue keeps who was prepared") {
    test::TempDir dir("prefetch-all");
    fs::create_directories(dir / "queue" / "logos");
    fs::create_directories(dir / "theme");
    REQUIRE(writePng(solid(20, 10, 255, 0, 0), dir / "queue" / "logos" / "a.png", true).ok());
    REQUIRE(writePng(solid(5, 5, 0, 0, 255), dir / "theme" / "placeholder.png", true).ok());
    auto parsed = parseTheme(R"({"cuecard_theme": 1, "elements": [{"type": "image",
        "src": "{logo|placeholder.png}", "width": 10, "height": 10}]})",
                             "t.json");
    REQUIRE(parsed.ok());
    Theme theme = std::move(parsed.value());
    theme.folder = dir / "theme";
    const auto person = [](int index, const std::string &logo) {
        Recipient r;
        r.index = index;
        r.id = "p" + std::to_string(index);
        r.set("full_name", "Person " + std::to_string(index));
        r.set("logo", logo);
        return r;
    };
    std::vector<Recipient> queue = {person(1, "logos/a.png"), person(2, "logos/a.png"),
                                    person(3, "logos/missing.png"), person(4, "logos/a.png"),
                                    person(5, "../../etc/passwd")};
    PicturePrefetcher prefetcher(quickOptions(dir / "cache"));
    prefetcher.reset(std::make_shared<const Theme>(theme), dir / "queue");
    std::mutex seenMutex;
    std::vector<PrepareProgress> seen;
    prefetcher.setOnProgress([&](const PrepareProgress &p) {
        std::lock_guard lock(seenMutex);
        seen.push_back(p);
    });
    std::thread::id fetchedOn;
    prefetcher.want({queue[0]});
    prefetcher.prepareAll([&] {
        fetchedOn = std::this_thread::get_id();
        return queue;
    });
    prefetcher.waitIdle();
    CHECK(fetchedOn != std::this_thread::get_id()); // the queue is copied on its thread
    PrepareProgress p = prefetcher.progress();
    CHECK(p.total == 5);
    CHECK(p.prepared == 5);
    CHECK_FALSE(p.running());
    CHECK(p.withProblems == 2);
    REQUIRE(p.problems.size() == 2);
    CHECK(p.problems[0].rfind("#3 Person 3: ", 0) == 0);
    CHECK(p.problems[0].find("fallback used") != std::string::npos);
    CHECK(p.problems[1].rfind("#5 Person 5: ", 0) == 0);
    CHECK(p.problems[1].find("\"..\" is not allowed") != std::string::npos);
    // The same notes by recipient, for the dock's rows (no "#3 Person 3: " in them).
    REQUIRE(p.notesById.size() == 2);
    REQUIRE(p.notesById.count(queue[2].id) == 1);
    REQUIRE(p.notesById.count(queue[4].id) == 1);
    CHECK(p.problems[0] == "#3 Person 3: " + p.notesById[queue[2].id].front());
    CHECK(p.problems[1] == "#5 Person 5: " + p.notesById[queue[4].id].front());
    {
        std::lock_guard lock(seenMutex);
        REQUIRE(!seen.empty());
        for (std::size_t i = 1; i < seen.size(); ++i) {
            CHECK(seen[i].prepared >= seen[i - 1].prepared); // it only goes forward
        }
        CHECK(seen.back().prepared == 5);
    }
    const std::string text = p.summary(1);
    CHECK(text.rfind("Pictures: 5 of 5 prepared · 2 with problems:\n#3 Person 3: ", 0) == 0);
    CHECK(text.find("\n… 1 more") != std::string::npos);

    // The queue file changes: Person 3 is gone, Person 6 is new. The four still there stay
    // prepared (not loaded again), Person 3's problem is gone, Person 6 is prepared.
    queue.erase(queue.begin() + 2);
    queue.push_back(person(6, "logos/a.png"));
    prefetcher.prepareAll([&] { return queue; });
    prefetcher.waitIdle();
    p = prefetcher.progress();
    CHECK(p.total == 5);
    CHECK(p.prepared == 5);
    CHECK(p.withProblems == 1);
    REQUIRE(p.problems.size() == 1);
    CHECK(p.problems[0].rfind("#5 Person 5: ", 0) == 0);
    CHECK(p.notesById.size() == 1);
    CHECK(p.notesById.count(queue[3].id) == 1); // Person 5, now fourth

    // A new theme starts afresh; after the source is gone, nothing is published any more.
    prefetcher.reset(std::make_shared<const Theme>(theme), dir / "queue");
    CHECK(prefetcher.progress().total == 0);
    prefetcher.setOnProgress(nullptr);
    const std::size_t published = [&] {
        std::lock_guard lock(seenMutex);
        return seen.size();
    }();
    prefetcher.prepareAll([&] { return queue; });
    prefetcher.waitIdle();
    std::lock_guard lock(seenMutex);
    CHECK(seen.size() == published);
}

TEST_CASE("prepare board: the dock sees every source's progress added up, a problem once") {
    PrepareBoard board;
    PrepareProgress a;
    a.total = 10;
    a.prepared = 4;
    a.withProblems = 1;
    a.problems = {"#2 Jane: logo: HTTP 404; fallback used"};
    a.notesById["jane"] = {"logo: HTTP 404; fallback used"};
    PrepareProgress b = a;
    b.notesById["sam"] = {"photo: too big"};
    b.prepared = 10;
    int first = 0;
    int second = 0;
    board.publish(&first, a);
    board.publish(&second, b);
    PrepareProgress all = board.combined();
    CHECK(all.total == 20);
    CHECK(all.prepared == 14);
    CHECK(all.running());
    CHECK(all.problems.size() == 1);
    CHECK(all.notesById.size() == 2);
    CHECK(all.notesById["jane"].size() == 1); // the same note from two sources, once
    board.remove(&first);
    all = board.combined();
    CHECK(all.total == 10);
    CHECK_FALSE(all.running());
}
