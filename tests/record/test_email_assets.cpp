// SPDX-License-Identifier: GPL-2.0-or-later
// The email assets end to end: `cuecard session` records three recipients and makes each file's
// poster, animated preview and HTML snippet as it closes; every asset is decoded back (OCR of the
// poster and of the GIF's first frame, the play button's pixels, the GIF's frames and length),
// the snippet is parsed, the chapters are read back with ffprobe; the GIF's size budget holds for
// a busy (noise) input and costs a static one nothing; a kill while assets are made leaves the
// folder valid and `cuecard assets` finishes the job.

#include "core/record/email_assets.hpp"
#include "core/record/segment_file.hpp"
#include "core/record/test_pattern.hpp"
#include "record/decode.hpp"
#include "record/record_support.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace cuecard;
using namespace cuecard::test::record;

namespace {

/// A strict reading of the snippet: every tag closed in order (void elements excepted),
/// attributes double-quoted, text without a bare < > or &. Returns "" when well-formed, and
/// each element's attributes in `elements` (name → list of attribute maps).
std::string parseHtml(const std::string &html,
                      std::multimap<std::string, std::map<std::string, std::string>> &elements) {
    static const std::set<std::string> kVoid = {"meta", "img", "br", "link", "hr"};
    std::vector<std::string> open;
    std::size_t i = 0;
    const std::regex entity(R"(^&(#[0-9]+|[a-z]+);)");
    while (i < html.size()) {
        if (html[i] == '>') {
            return "a bare > at " + std::to_string(i);
        }
        if (html[i] == '&') {
            std::smatch m;
            const std::string rest = html.substr(i, 12);
            if (!std::regex_search(rest, m, entity)) {
                return "a bare & at " + std::to_string(i);
            }
            ++i;
            continue;
        }
        if (html[i] != '<') {
            ++i;
            continue;
        }
        if (html.compare(i, 4, "<!--") == 0) {
            const auto end = html.find("-->", i);
            if (end == std::string::npos) {
                return "an unclosed comment";
            }
            i = end + 3;
            continue;
        }
        const auto end = html.find('>', i);
        if (end == std::string::npos) {
            return "an unclosed tag at " + std::to_string(i);
        }
        const std::string tag = html.substr(i + 1, end - i - 1);
        i = end + 1;
        if (tag.rfind("!DOCTYPE html", 0) == 0) {
            continue;
        }
        if (tag[0] == '/') {
            if (open.empty() || open.back() != tag.substr(1)) {
                return "</" + tag.substr(1) + "> closes " +
                       (open.empty() ? "nothing" : open.back());
            }
            open.pop_back();
            continue;
        }
        const std::regex nameRe(R"(^([a-z][a-z0-9]*))");
        std::smatch nm;
        if (!std::regex_search(tag, nm, nameRe)) {
            return "a tag without a name: <" + tag + ">";
        }
        const std::string name = nm[1];
        std::map<std::string, std::string> attrs;
        const std::regex attrRe(R"re(\s+([a-z-]+)="([^"<>]*)")re");
        std::string rest = tag.substr(name.size());
        std::smatch am;
        while (std::regex_search(rest, am, attrRe) && am.position(0) == 0) {
            attrs[am[1]] = am[2];
            rest = am.suffix();
        }
        if (!rest.empty()) {
            return "<" + name + ">: cannot read \"" + rest + "\"";
        }
        elements.emplace(name, attrs);
        if (kVoid.count(name) == 0) {
            open.push_back(name);
        }
    }
    return open.empty() ? "" : "<" + open.back() + "> is never closed";
}

std::string readText(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

int luma(const test::DecodedFrame &f, int w, int x, int y) {
    const std::uint8_t *p = f.rgb.data() + (static_cast<std::size_t>(y) * w + x) * 3;
    return (p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000;
}

/// A video of `seconds` at 1280×720, 30 fps: noise (every pixel random every frame) or a still
/// test pattern.
void writeVideo(const fs::path &file, bool noise, double seconds) {
    EncoderSettings e;
    e.width = 1280;
    e.height = 720;
    e.audio = false;
    e.preset = "ultrafast";
    {
        std::ofstream claim(file); // SegmentFile writes into a claimed, empty file
    }
    auto out = SegmentFile::open(file, e, {});
    REQUIRE(out.ok());
    Image frame(e.width, e.height);
    std::mt19937 rng(7);
    const int frames = static_cast<int>(seconds * 30);
    for (int i = 0; i < frames; ++i) {
        if (noise) {
            for (auto &b : frame.pixels) {
                b = static_cast<std::uint8_t>(rng());
            }
            for (std::size_t k = 3; k < frame.pixels.size(); k += 4) {
                frame.pixels[k] = 255;
            }
        } else if (i == 0) {
            drawTestFrame(frame, 0);
        }
        VideoInput in;
        in.timestampNs = static_cast<std::uint64_t>(i) * 1'000'000'000ull / 30;
        in.layout = PixelLayout::RGBA;
        in.data[0] = frame.pixels.data();
        in.linesize[0] = e.width * 4;
        REQUIRE(out.value()->writeVideo(in).ok());
    }
    REQUIRE(out.value()->close().ok());
}

} // namespace

TEST_CASE("email assets: each recipient's poster, animated preview and snippet; chapters") {
    const fs::path dir = kOut / "assets";
    fs::remove_all(dir);
    const Run r =
        run(kCli + " session --queue '" + kQueue + "' --theme default --out '" + dir.string() +
            "' --testsrc --duration 12 --switch-at 4,8 --size 1280x720 --fps 30"
            " --chapter-at '1:Intro,5.5:Demo,6:Pricing'"
            " --video-url 'https://videos.example.com/v/{file}?r={id}'");
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(r.output.find("assets: 3/3 ready") != std::string::npos);
    const auto manifest = readJson(dir / "manifest.json");
    REQUIRE(manifest["files"].size() == 3);
    const char *names[] = {"Jane Doe", "Sam Lee", "Amy Wu"};
    for (std::size_t k = 0; k < 3; ++k) {
        const auto &e = manifest["files"][k];
        const std::string file = e["file"];
        CAPTURE(file);
        const std::string stem = fs::path(file).stem().string();
        CHECK(e["poster"] == stem + "_poster.jpg");
        CHECK(e["preview_gif"] == stem + "_preview.gif");
        CHECK(e["email_html"] == stem + "_email.html");
        const std::int64_t bytes = e["preview_bytes"];
        CHECK(bytes ==
              static_cast<std::int64_t>(fs::file_size(dir / e["preview_gif"].get<std::string>())));
        CHECK(bytes <= 1024 * 1024);

        // The poster: 1280 wide, the recipient's name, the play button in the middle.
        const test::DecodedFile poster =
            test::decodeFile((dir / e["poster"].get<std::string>()).string(), {0});
        REQUIRE(poster.error.empty());
        REQUIRE(poster.frames.size() == 1);
        CHECK(poster.width == 1280);
        const std::string posterText =
            ocrLowerThird(poster.frames[0], poster.width, poster.height, "poster-" + stem);
        CAPTURE(posterText);
        CHECK(posterText.find(names[k]) != std::string::npos);
        for (const char *other : names) {
            if (other != names[k]) {
                CHECK(posterText.find(other) == std::string::npos);
            }
        }
        const test::DecodedFile video = test::decodeFile((dir / file).string(), {0});
        REQUIRE(!video.frames.empty());
        const int cx = poster.width / 2;
        const int cy = poster.height / 2;
        const int radius = static_cast<int>(poster.height * 0.11);
        CHECK(luma(poster.frames[0], poster.width, cx, cy) > 220);              // the triangle
        CHECK(luma(poster.frames[0], poster.width, cx + radius - 3, cy) > 200); // the ring
        // Inside the disc, off the triangle: darker than the video there; outside: the same.
        const int inside = luma(poster.frames[0], poster.width, cx - radius * 6 / 10, cy);
        const int under = luma(video.frames[0], video.width, cx - radius * 6 / 10, cy);
        CHECK(inside < under * 6 / 10 + 12);
        const int outside = luma(poster.frames[0], poster.width, cx - radius * 2, cy);
        CHECK(std::abs(outside - luma(video.frames[0], video.width, cx - radius * 2, cy)) < 16);

        // The GIF: its first frame shows the recipient; 3 s at its frame rate.
        const test::DecodedFile gif =
            test::decodeFile((dir / e["preview_gif"].get<std::string>()).string(), {0});
        REQUIRE(gif.error.empty());
        REQUIRE(!gif.frames.empty());
        CHECK(gif.width <= 600);
        const std::string gifText =
            ocrLowerThird(gif.frames[0], gif.width, gif.height, "gif-" + stem);
        CAPTURE(gifText);
        CHECK(gifText.find(names[k]) != std::string::npos);
        REQUIRE(gif.frames.size() > 1);
        // GIF delays are in hundredths: 12 fps alternates 8 and 9; the mean is the rate.
        const double step = (gif.frames.back().pts - gif.frames.front().pts) /
                            static_cast<double>(gif.frames.size() - 1);
        const double fps = 1.0 / step;
        CAPTURE(fps);
        CHECK(fps >= 9.5);
        CHECK(fps <= 15.5);
        CHECK(std::abs(static_cast<double>(gif.frames.size()) - 3.0 * fps) <= 1.0);
        CHECK(std::abs(gif.frames.back().pts + step - 3.0) < 0.05);

        // The snippet: well-formed, the GIF linking to the video's address.
        std::multimap<std::string, std::map<std::string, std::string>> elements;
        const std::string html = readText(dir / e["email_html"].get<std::string>());
        CHECK(parseHtml(html, elements) == "");
        REQUIRE(elements.count("img") == 1);
        CHECK(elements.find("img")->second["src"] == e["preview_gif"].get<std::string>());
        CHECK(fs::exists(dir / elements.find("img")->second["src"]));
        const std::string url =
            "https://videos.example.com/v/" + file + "?r=" +
            std::regex_replace(e["recipient_id"].get<std::string>(), std::regex("@"), "%40");
        const auto links = elements.equal_range("a");
        CHECK(std::distance(links.first, links.second) == 2);
        for (auto it = links.first; it != links.second; ++it) {
            CHECK(it->second["href"] == url);
        }
        CHECK(html.find(names[k]) != std::string::npos);
    }

    // Chapters: in the file that was being recorded then, at the time into it.
    const auto chapters = [&](std::size_t k) {
        return run("ffprobe -v error -show_chapters -of compact=p=0 '" +
                   (dir / manifest["files"][k]["file"].get<std::string>()).string() + "'")
            .output;
    };
    const std::string first = chapters(0);
    const std::string second = chapters(1);
    CAPTURE(first);
    CAPTURE(second);
    CHECK(first.find("start_time=0.000000|end=1000000000|end_time=1.000000|tag:title=Start") !=
          std::string::npos);
    CHECK(first.find("start_time=1.000000|end=4000000000|end_time=4.000000|tag:title=Intro") !=
          std::string::npos);
    CHECK(second.find("start_time=1.500000|end=2000000000|end_time=2.000000|tag:title=Demo") !=
          std::string::npos);
    CHECK(second.find("start_time=2.000000|end=4000000000|end_time=4.000000|tag:title=Pricing") !=
          std::string::npos);
    CHECK(chapters(2).empty());
    CHECK(manifest["files"][1]["chapters"].size() == 2);
    CHECK(manifest["files"][1]["chapters"][0]["at"] == 1.5);
    CHECK(manifest["files"][1]["chapters"][1]["title"] == "Pricing");
}

TEST_CASE("email assets: chapters in MP4 too") {
    const fs::path dir = kOut / "assets-mp4";
    fs::remove_all(dir);
    const Run r = run(kCli + " session --queue '" + kQueue + "' --out '" + dir.string() +
                      "' --testsrc --duration 3 --switch-at 2 --size 640x360 --format mp4"
                      " --no-assets --chapter-at '0.5:Hello,2.5:Later'");
    INFO(r.output);
    REQUIRE(r.code == 0);
    const auto manifest = readJson(dir / "manifest.json");
    const std::string second =
        run("ffprobe -v error -show_chapters -of compact=p=0 '" +
            (dir / manifest["files"][1]["file"].get<std::string>()).string() + "'")
            .output;
    CAPTURE(second);
    // Times in seconds: the chapters' time base is the muxer's to choose (1/1000 in Debian 12's
    // FFmpeg, the audio's 1/48000 in testing's).
    const auto chapter = [&](const char *start, const char *end, const char *title) {
        const std::string line = std::string("start_time=") + start + "|end=";
        const auto at = second.find(line);
        return at != std::string::npos &&
               second.find(std::string("|end_time=") + end + "|tag:title=" + title, at) !=
                   std::string::npos;
    };
    CHECK(chapter("0.500000", "1.000000", "Later"));
    CHECK(chapter("0.000000", "0.500000", "Start"));
    CHECK(manifest["files"][0]["poster"] == ""); // --no-assets
    CHECK_FALSE(fs::exists(
        dir / (fs::path(manifest["files"][0]["file"].get<std::string>()).stem().string() +
               "_poster.jpg")));
}

TEST_CASE("email assets: the GIF stays in its budget for a busy input; a still one keeps full "
          "size") {
    const fs::path dir = kOut / "assets-budget";
    fs::remove_all(dir);
    fs::create_directories(dir);
    writeVideo(dir / "noise.mkv", true, 3.5);
    writeVideo(dir / "still.mkv", false, 3.5);
    for (const int budget : {1024, 300}) {
        CAPTURE(budget);
        for (const char *name : {"noise.mkv", "still.mkv"}) {
            CAPTURE(name);
            ManifestEntry e;
            e.recipientId = "x";
            e.name = "Noise Test";
            e.file = name;
            e.frames = 105;
            AssetOptions o;
            o.gifMaxKb = budget;
            const fs::path sub = dir / (std::to_string(budget) + "-" + name);
            fs::create_directories(sub);
            fs::copy_file(dir / name, sub / name);
            auto built = buildEmailAssets(sub, e, o);
            REQUIRE_MESSAGE(built.ok(), built.message());
            const auto size = static_cast<std::int64_t>(fs::file_size(sub / e.previewGif));
            CAPTURE(built->gifWidth);
            CAPTURE(built->gifFps);
            CAPTURE(built->gifColors);
            CHECK(size <= budget * 1024);
            CHECK(size == e.previewBytes);
            const test::DecodedFile gif = test::decodeFile((sub / e.previewGif).string());
            CHECK(static_cast<int>(gif.frames.size()) == built->gifFrames);
            CHECK(built->gifFrames == 3 * built->gifFps);
            if (std::string(name) == "still.mkv") {
                CHECK(built->gifWidth == 600); // nothing had to give
                CHECK(built->gifFps == 12);
            } else {
                CHECK(built->gifWidth < 600); // noise had to shrink
            }
        }
    }
}

TEST_CASE("email assets: the video URL only links http(s) or a file; names are escaped") {
    ManifestEntry e;
    e.recipientId = "a&b@x.example";
    e.name = "<script>alert(1)</script> Éva";
    e.file = "001_x.mkv";
    CHECK(videoUrlFor("{file}", e).value() == "001_x.mkv");
    CHECK(videoUrlFor("https://v.example/{id}", e).value() ==
          "https://v.example/a%26b%40x.example");
    CHECK(videoUrlFor("javascript:alert({name})", e).message().find("only http(s)") !=
          std::string::npos);
    CHECK(videoUrlFor("https://v.example/{nope}", e).message().find("{nope} is not known") !=
          std::string::npos);
    CHECK(videoUrlFor("https://v.example/{file", e).message().find("without its }") !=
          std::string::npos);
    const std::string html =
        emailHtml(e, "001_x_preview.gif", 600, 338, "https://v.example/?a=1&b=2");
    std::multimap<std::string, std::map<std::string, std::string>> elements;
    CHECK(parseHtml(html, elements) == "");
    CHECK(html.find("<script>") == std::string::npos);
    CHECK(html.find("&lt;script&gt;") != std::string::npos);
    CHECK(elements.find("a")->second["href"] == "https://v.example/?a=1&amp;b=2");

    // Quotes of either kind in a name stay inside the alt attribute and the text: neither an
    // attribute of its own (onmouseover) nor a raw quote anywhere in the snippet.
    e.name = "Dara O'Brien x\" onmouseover=\"alert(1)";
    const std::string quoted = emailHtml(e, "001_x_preview.gif", 600, 338, "https://v.example/");
    std::multimap<std::string, std::map<std::string, std::string>> parts;
    CHECK(parseHtml(quoted, parts) == "");
    REQUIRE(parts.count("img") == 1);
    const auto &img = parts.find("img")->second;
    CHECK(img.count("onmouseover") == 0);
    CHECK(img.at("alt") == "A video for Dara O&#39;Brien x&quot; onmouseover=&quot;alert(1) "
                           "(click to play)");
    CHECK(quoted.find("O'Brien") == std::string::npos);
    CHECK(quoted.find("x\" onmouseover") == std::string::npos);
}

TEST_CASE("email assets: killed while assets are made, the folder stays valid and cuecard "
          "assets finishes them") {
    const fs::path dir = kOut / "assets-kill";
    fs::remove_all(dir);
    Run r = run(kCli + " session --queue '" + kQueue + "' --out '" + dir.string() +
                "' --testsrc --duration 9 --switch-at 3,6 --size 1280x720 --no-assets");
    INFO(r.output);
    REQUIRE(r.code == 0);
    const auto before = readJson(dir / "manifest.json");
    REQUIRE(before["files"].size() == 3);
    const std::string firstPoster =
        fs::path(before["files"][0]["file"].get<std::string>()).stem().string() + "_poster.jpg";

    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        const int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(kCli.c_str(), kCli.c_str(), "assets", "--session", dir.c_str(),
              static_cast<char *>(nullptr));
        _exit(127);
    }
    // Killed as soon as the first poster is there: the first GIF is being made.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!fs::exists(dir / firstPoster) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(fs::exists(dir / firstPoster));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);

    // The recordings and the manifest are whole; no asset is half-written.
    const auto after = readJson(dir / "manifest.json");
    REQUIRE(after.is_object());
    REQUIRE(after["files"].size() == 3);
    for (std::size_t k = 0; k < 3; ++k) {
        const std::string file = after["files"][k]["file"];
        CHECK(after["files"][k]["status"] == "complete");
        const test::DecodedFile d = test::decodeFile((dir / file).string());
        CHECK(static_cast<std::int64_t>(d.frames.size()) == after["files"][k]["frames"]);
    }
    for (const auto &entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name.ends_with("_poster.jpg") || name.ends_with("_preview.gif")) {
            CHECK_MESSAGE(test::decodeFile(entry.path().string()).frames.size() > 0, name);
        }
    }
    CHECK(fs::exists(dir / firstPoster));

    // Run again: the rest is made, the poster that was there is kept.
    const auto posterTime = fs::last_write_time(dir / firstPoster);
    r = run(kCli + " assets --session '" + dir.string() + "'");
    INFO(r.output);
    CHECK(r.code == 0);
    const auto done = readJson(dir / "manifest.json");
    for (std::size_t k = 0; k < 3; ++k) {
        const auto &e = done["files"][k];
        CHECK(e["poster"] != "");
        CHECK(e["preview_gif"] != "");
        CHECK(e["email_html"] != "");
        CHECK(fs::exists(dir / e["preview_gif"].get<std::string>()));
    }
    CHECK(done["files"][0]["poster"] == firstPoster);
    CHECK(fs::last_write_time(dir / firstPoster) == posterTime);
    for (const auto &entry : fs::directory_iterator(dir)) {
        CHECK_MESSAGE(entry.path().filename().string().find("cuecard-partial") == std::string::npos,
                      entry.path().filename().string());
    }
    // Nothing left to do: a third run changes nothing.
    r = run(kCli + " assets --session '" + dir.string() + "'");
    CHECK(r.code == 0);
    CHECK(r.output.find("assets made for 0 file(s), 3 already had them") != std::string::npos);
}
