// SPDX-License-Identifier: GPL-2.0-or-later
// libobs integration: the real module in a headless libobs (Xvfb + llvmpipe), two Cuecard
// sources (a lower-third and a title card) on one queue, the program's raw frames captured with
// their timestamps. After cuecard.next, both sources must switch to the next recipient on the
// same frame, with no blank or mixed frame, and every frame before the switch must still show
// the first recipient whole.

#define DOCTEST_CONFIG_IMPLEMENT
#include "core/theme/theme.hpp"
#include "core/util/image.hpp"
#include "core/util/png_io.hpp"
#include "http_server.hpp"
#include "obs/obs_harness.hpp"

#include <obs.hpp>

#include <doctest/doctest.h>

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <utility>

using namespace cuecard;
namespace fs = std::filesystem;

namespace {

test::ObsHarness *gObs = nullptr;
const fs::path kOut = CUECARD_TEST_OUTPUT_DIR "/libobs";

/// A built-in theme with its animation turned off, so frames can be compared exactly.
std::string staticTheme(const char *name) {
    std::ifstream in(fs::path(CUECARD_TEST_DATA_DIR) / "themes" / (std::string(name) + ".json"));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    const auto at = text.find("\"animation\"");
    const auto end = text.find('}', at);
    text.replace(at, end - at + 1, "\"animation\": {\"in\": \"none\", \"out\": \"none\"}");
    const fs::path out = kOut / (std::string(name) + "-static.json");
    std::ofstream(out) << text;
    return out.string();
}

/// FNV-1a of a rectangle of a captured frame (output pixels).
std::uint64_t regionHash(const test::CapturedFrame &f, int w, int x0, int y0, int x1, int y1) {
    std::uint64_t h = 1469598103934665603ull;
    for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) {
            const std::uint8_t *p = f.rgba.data() + (static_cast<std::size_t>(y) * w + x) * 4;
            for (int c = 0; c < 3; ++c) {
                h = (h ^ p[c]) * 1099511628211ull;
            }
        }
    }
    return h;
}

void savePng(const test::CapturedFrame &f, int w, int h, const std::string &name) {
    Image img(w, h);
    std::memcpy(img.pixels.data(), f.rgba.data(), img.pixels.size());
    for (std::size_t i = 0; i + 3 < img.pixels.size(); i += 4) {
        std::swap(img.pixels[i], img.pixels[i + 2]); // libobs 29 hands RGBA output over as BGRA
        img.pixels[i + 3] = 255;
    }
    (void)writePng(img, kOut / name, true);
}

/// Scene text: a yellow note with the recipient's name, in a group on a quad (no animation).
void writeNoteTheme(const fs::path &file) {
    std::ofstream(file)
        << R"({"cuecard_theme": 1, "name": "note", "animation": {"in": "none", "out": "none"},
                        "elements": [{"type": "group", "x": 0, "y": 0, "width": 400, "height": 300,
                        "quad": [[200, 200], [700, 240], [680, 560], [220, 520]],
                        "elements": [{"type": "box", "x": 0, "y": 0, "width": 400, "height": 300,
                        "fill": "#FFE650"}, {"type": "text", "text": "{full_name}", "x": 200, "y": 170,
                        "align": "center", "max_width": 380, "size": 64, "color": "#202020"}]}]})";
}

obs_source_t *makeOverlay(const char *name, const std::string &theme, const std::string &queue) {
    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "queue_path", queue.c_str());
    obs_data_set_string(settings, "theme", theme.c_str());
    obs_source_t *s = gObs->createSource("cuecard_overlay", name, settings);
    obs_data_release(settings);
    return s;
}

/// The source's status line, as its properties dialog shows it (asking for the properties
/// fills it in, on this thread: OBS's UI thread in the harness).
std::string sourceStatus(obs_source_t *source) {
    obs_properties_t *props = obs_source_properties(source);
    obs_data_t *settings = obs_source_get_settings(source);
    std::string text = obs_data_get_string(settings, "status");
    obs_data_release(settings);
    obs_properties_destroy(props);
    return text;
}

/// How a source draws (its "cuecard_drawing" proc).
struct Drawing {
    std::string path;
    long long zeroCopyFrames = 0;
    long long readbackFrames = 0;
};

Drawing drawingOf(obs_source_t *source) {
    Drawing d;
    calldata_t cd;
    calldata_init(&cd);
    if (proc_handler_call(obs_source_get_proc_handler(source), "cuecard_drawing", &cd)) {
        d.path = calldata_string(&cd, "path");
        d.zeroCopyFrames = calldata_int(&cd, "zero_copy_frames");
        d.readbackFrames = calldata_int(&cd, "readback_frames");
    }
    calldata_free(&cd);
    return d;
}

/// Sources created from here on draw through `path` ("zero-copy" or "readback").
void useTexturePath(const std::string &path) {
    if (path == "readback") {
        setenv("CUECARD_TEXTURE_PATH", "readback", 1);
    } else {
        unsetenv("CUECARD_TEXTURE_PATH");
    }
}

/// Waits for the module's "cuecard_source_destroyed" signal for one source name.
class DestroyedWatch {
  public:
    explicit DestroyedWatch(std::string name) : name_(std::move(name)) {
        signal_handler_connect(obs_get_signal_handler(), "cuecard_source_destroyed", &onSignal,
                               this);
    }
    ~DestroyedWatch() {
        signal_handler_disconnect(obs_get_signal_handler(), "cuecard_source_destroyed", &onSignal,
                                  this);
    }
    DestroyedWatch(const DestroyedWatch &) = delete;
    DestroyedWatch &operator=(const DestroyedWatch &) = delete;
    bool wait(int timeoutMs) {
        std::unique_lock lock(mutex_);
        return cv_.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return done_; });
    }

  private:
    static void onSignal(void *data, calldata_t *cd) {
        auto *self = static_cast<DestroyedWatch *>(data);
        const char *name = calldata_string(cd, "name");
        std::lock_guard lock(self->mutex_);
        if (name != nullptr && self->name_ == name) {
            self->done_ = true;
            self->cv_.notify_all();
        }
    }
    std::string name_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
};

using RegionHash = std::function<std::uint64_t(const test::CapturedFrame &)>;

/// Captures until every region is non-empty and unchanged over two frames; that last frame.
std::optional<test::CapturedFrame> waitForSteady(const std::vector<RegionHash> &regions) {
    const int w = gObs->outputWidth();
    const int h = gObs->outputHeight();
    test::CapturedFrame blank;
    blank.rgba.assign(static_cast<std::size_t>(w) * h * 4, 0);
    gObs->startCapture();
    std::optional<test::CapturedFrame> steady;
    gObs->waitForFrames(
        [&](const std::vector<test::CapturedFrame> &frames) {
            if (frames.size() <= 3) {
                return false;
            }
            const auto &last = frames.back();
            const auto &prev = frames[frames.size() - 2];
            for (const auto &hash : regions) {
                if (hash(last) == hash(blank) || hash(last) != hash(prev)) {
                    return false;
                }
            }
            steady = last;
            return true;
        },
        10000);
    (void)gObs->stopCapture();
    return steady;
}

/// Output-pixel regions (canvas 1920x1080 scaled to the output) of the lower-third's and the
/// title card's name lines.
RegionHash lowerNameHash() {
    const int w = gObs->outputWidth();
    const int h = gObs->outputHeight();
    return [w, h](const test::CapturedFrame &f) {
        return regionHash(f, w, 130 * w / 1920, 830 * h / 1080, 1000 * w / 1920, 965 * h / 1080);
    };
}
RegionHash cardNameHash() {
    const int w = gObs->outputWidth();
    const int h = gObs->outputHeight();
    return [w, h](const test::CapturedFrame &f) {
        return regionHash(f, w, 380 * w / 1920, 460 * h / 1080, 1540 * w / 1920, 720 * h / 1080);
    };
}

} // namespace

TEST_CASE("libobs: the module loads and registers cuecard_overlay and its hotkeys") {
    const char *id = nullptr;
    bool found = false;
    for (std::size_t i = 0; obs_enum_input_types(i, &id); ++i) {
        found = found || std::string(id) == "cuecard_overlay";
    }
    CHECK(found);
    CHECK(std::string(obs_source_get_display_name("cuecard_overlay")) == "Cuecard Overlay");
}

namespace {

/// Two sources (lower-third and title card) on one queue; after cuecard.next both must switch on
/// the same frame, with no blank or mixed frame, and every frame before still shows the first
/// recipient whole. Run once per texture path.
void checkFrameExactSwitch(const std::string &path) {
    useTexturePath(path);
    const std::string queue = CUECARD_SOURCE_DIR "/tests/e2e/queue.csv";
    obs_source_t *lower = makeOverlay(("lower-" + path).c_str(), staticTheme("default"), queue);
    obs_source_t *card = makeOverlay(("card-" + path).c_str(), staticTheme("title-card"), queue);
    REQUIRE(lower != nullptr);
    REQUIRE(card != nullptr);
    gObs->addToScene(lower);
    gObs->addToScene(card);
    // The theme is loaded on the source's loader thread, not in create(): its size is known
    // once the loader is done (a few frames later).
    gObs->startCapture();
    CHECK(gObs->waitForFrames([&](const auto &) {
        return obs_source_get_width(lower) == 1920 && obs_source_get_height(lower) == 1080;
    }));
    (void)gObs->stopCapture();

    const int w = gObs->outputWidth();
    const int h = gObs->outputHeight();
    const RegionHash lowerHash = lowerNameHash();
    const RegionHash cardHash = cardNameHash();

    // Wait for the current recipient on screen (first renders on lavapipe take a moment).
    REQUIRE_MESSAGE(waitForSteady({lowerHash, cardHash}).has_value(),
                    "the first recipient never appeared");

    // Some frames of the first recipient, the key, then until both sources have shown the next
    // recipient for 20 frames.
    gObs->startCapture();
    REQUIRE(gObs->waitForFrames([](const auto &f) { return f.size() >= 15; }));
    const std::uint64_t pressedAt = gObs->framesSoFar().back().timestamp;
    REQUIRE(gObs->triggerHotkey("cuecard.next"));
    std::uint64_t lowerA = 0;
    std::uint64_t cardA = 0;
    const bool switched = gObs->waitForFrames([&](const std::vector<test::CapturedFrame> &f) {
        lowerA = lowerHash(f.front());
        cardA = cardHash(f.front());
        std::size_t shownB = 0;
        for (auto it = f.rbegin(); it != f.rend(); ++it, ++shownB) {
            if (lowerHash(*it) == lowerA || cardHash(*it) == cardA) {
                break;
            }
        }
        return shownB >= 20;
    });
    const std::vector<test::CapturedFrame> frames = gObs->stopCapture();
    REQUIRE_MESSAGE(switched, "the next recipient never showed in both sources");
    REQUIRE(frames.size() > 10);

    const std::uint64_t lowerB = lowerHash(frames.back());
    const std::uint64_t cardB = cardHash(frames.back());
    CHECK(lowerA != lowerB);
    CHECK(cardA != cardB);
    std::size_t switchLower = frames.size();
    std::size_t switchCard = frames.size();
    int mixed = 0;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const std::uint64_t l = lowerHash(frames[i]);
        const std::uint64_t c = cardHash(frames[i]);
        if (l != lowerA && switchLower == frames.size()) {
            switchLower = i;
        }
        if (c != cardA && switchCard == frames.size()) {
            switchCard = i;
        }
        // Every frame is wholly A or wholly B: no blank, no half-drawn, no going back.
        const bool isA = l == lowerA && c == cardA;
        const bool isB = l == lowerB && c == cardB;
        mixed += (isA || isB) ? 0 : 1;
        if (i > 0 && isA && lowerHash(frames[i - 1]) == lowerB) {
            ++mixed;
        }
    }
    savePng(frames.front(), w, h, path + "-before.png");
    savePng(frames.back(), w, h, path + "-after.png");
    if (switchLower < frames.size()) {
        savePng(frames[switchLower], w, h, path + "-switch-frame.png");
        if (switchLower > 0) {
            savePng(frames[switchLower - 1], w, h, path + "-frame-before-switch.png");
        }
    }
    CHECK(mixed == 0);
    REQUIRE(switchLower < frames.size());
    CHECK(switchLower == switchCard); // both sources switch on the same frame
    CHECK(switchLower > 0);           // and the first recipient was on screen until then
    const double frameMs =
        static_cast<double>(frames[1].timestamp - frames[0].timestamp) / 1'000'000.0;
    const double pressToSwitchMs =
        static_cast<double>(frames[switchLower].timestamp - pressedAt) / 1'000'000.0;
    MESSAGE(path << ": switch on frame " << switchLower << " of " << frames.size()
                 << " (frame interval " << frameMs << " ms); about " << pressToSwitchMs
                 << " ms from the key press (render on the worker, then every source ready, "
                    "then the flip)");

    // Both sources drew every recipient through the path asked for.
    for (obs_source_t *s : {lower, card}) {
        const Drawing d = drawingOf(s);
        CAPTURE(d.path);
        if (path == "zero-copy") {
            CHECK(d.path.rfind("zero-copy", 0) == 0);
            CHECK(d.zeroCopyFrames >= 2);
            CHECK(d.readbackFrames == 0);
        } else {
            CHECK(d.path == "readback + upload (zero-copy unavailable: "
                            "CUECARD_TEXTURE_PATH=readback)");
            CHECK(d.readbackFrames >= 2);
            CHECK(d.zeroCopyFrames == 0);
        }
    }
    gObs->destroySource(lower);
    gObs->destroySource(card);
    useTexturePath("zero-copy");
}

} // namespace

TEST_CASE("libobs: a switch is one frame for every source (zero-copy textures)") {
    checkFrameExactSwitch("zero-copy");
}

TEST_CASE("libobs: a switch is one frame for every source (readback textures)") {
    checkFrameExactSwitch("readback");
}

TEST_CASE("libobs: a zero-copy source removed while OpenGL still has its draw pending") {
    // OpenGL may still be drawing from the imported images when the source goes (removed from
    // the scene, OBS closing). Mesa 22's llvmpipe unmaps imported memory as soon as its memory
    // object is deleted, so deleting it then crashed OBS in a rasterizer thread.
    const std::string queue = CUECARD_SOURCE_DIR "/tests/e2e/queue.csv";
    for (int round = 0; round < 3; ++round) {
        obs_source_t *lower = makeOverlay(("pending-" + std::to_string(round)).c_str(),
                                          staticTheme("default"), queue);
        REQUIRE(lower != nullptr);
        gObs->addToScene(lower);
        REQUIRE_MESSAGE(waitForSteady({lowerNameHash()}).has_value(), "the overlay never appeared");
        REQUIRE(drawingOf(lower).zeroCopyFrames >= 1);
        // OBS destroys sources on a thread of its own as soon as it may enter graphics: here,
        // while llvmpipe still rasterizes these draws from the imported images.
        // The destroy has run when the module says so (it signals at the end of it).
        gObs->renderWhilePending(lower, 30, [&] {
            const std::string name = obs_source_get_name(lower);
            DestroyedWatch watch(name);
            gObs->destroySource(lower);
            REQUIRE_MESSAGE(watch.wait(10000), "the source was never destroyed");
        });
    }
    // Still alive, and a new source still draws zero-copy.
    obs_source_t *after = makeOverlay("pending-after", staticTheme("default"), queue);
    REQUIRE(after != nullptr);
    gObs->addToScene(after);
    CHECK(waitForSteady({lowerNameHash()}).has_value());
    CHECK(drawingOf(after).zeroCopyFrames >= 1);
    gObs->destroySource(after);
}

TEST_CASE("libobs: zero-copy and readback put the same pixels on screen") {
    const std::string queue = CUECARD_SOURCE_DIR "/tests/e2e/queue.csv";
    std::vector<test::CapturedFrame> steady;
    for (const std::string path : {"zero-copy", "readback"}) {
        useTexturePath(path);
        obs_source_t *lower = makeOverlay(("same-" + path).c_str(), staticTheme("default"), queue);
        REQUIRE(lower != nullptr);
        gObs->addToScene(lower);
        auto frame = waitForSteady({lowerNameHash()});
        REQUIRE_MESSAGE(frame.has_value(), path << ": the overlay never appeared");
        steady.push_back(*frame);
        CHECK(drawingOf(lower).path.rfind(path == "zero-copy" ? "zero-copy" : "readback", 0) == 0);
        gObs->destroySource(lower);
    }
    useTexturePath("zero-copy");
    const int w = gObs->outputWidth();
    const int h = gObs->outputHeight();
    Image a(w, h);
    Image b(w, h);
    std::memcpy(a.pixels.data(), steady[0].rgba.data(), a.pixels.size());
    std::memcpy(b.pixels.data(), steady[1].rgba.data(), b.pixels.size());
    int differing = 0;
    int maxDelta = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) {
        const int delta = std::abs(int(a.pixels[i]) - int(b.pixels[i]));
        maxDelta = std::max(maxDelta, delta);
        differing += delta > 0 ? 1 : 0;
    }
    MESSAGE("zero-copy vs readback: " << differing << " channel values differ, max delta "
                                      << maxDelta);
    savePng(steady[0], w, h, "same-zero-copy.png");
    savePng(steady[1], w, h, "same-readback.png");
    CHECK(lowerNameHash()(steady[0]) == lowerNameHash()(steady[1]));
    CHECK(differing == 0);
}

TEST_CASE("libobs: zero-copy images come back after use (many switches, never a readback)") {
    const std::string queue = CUECARD_SOURCE_DIR "/tests/e2e/queue.csv";
    useTexturePath("zero-copy");
    obs_source_t *lower = makeOverlay("burst", staticTheme("default"), queue);
    REQUIRE(lower != nullptr);
    gObs->addToScene(lower);
    REQUIRE(waitForSteady({lowerNameHash()}).has_value());
    // Twenty switches, each left on screen for a few frames: far more than the worker's images,
    // so this only stays zero-copy if OpenGL hands every image back.
    gObs->startCapture();
    for (int i = 0; i < 20; ++i) {
        const std::size_t before = gObs->framesSoFar().size();
        REQUIRE(gObs->triggerHotkey(i % 2 == 0 ? "cuecard.previous" : "cuecard.next"));
        REQUIRE(gObs->waitForFrames([&](const auto &f) { return f.size() >= before + 6; }));
    }
    (void)gObs->stopCapture();
    REQUIRE(waitForSteady({lowerNameHash()}).has_value());
    const Drawing d = drawingOf(lower);
    CAPTURE(d.path);
    MESSAGE("burst: " << d.zeroCopyFrames << " zero-copy frames, " << d.readbackFrames
                      << " read back");
    CHECK(d.zeroCopyFrames >= 15);
    CHECK(d.readbackFrames == 0);
    gObs->destroySource(lower);
}

TEST_CASE("libobs: an import OpenGL refuses falls back to readback, same pixels, no crash") {
    const std::string queue = CUECARD_SOURCE_DIR "/tests/e2e/queue.csv";
    useTexturePath("readback");
    obs_source_t *reference = makeOverlay("refused-reference", staticTheme("default"), queue);
    REQUIRE(reference != nullptr);
    gObs->addToScene(reference);
    auto expected = waitForSteady({lowerNameHash()});
    REQUIRE(expected.has_value());
    gObs->destroySource(reference);

    useTexturePath("zero-copy");
    setenv("CUECARD_TEST_REFUSE_GL_IMPORT", "1", 1);
    obs_source_t *lower = makeOverlay("refused", staticTheme("default"), queue);
    REQUIRE(lower != nullptr);
    gObs->addToScene(lower);
    auto frame = waitForSteady({lowerNameHash()});
    unsetenv("CUECARD_TEST_REFUSE_GL_IMPORT");
    REQUIRE_MESSAGE(frame.has_value(), "the overlay never appeared after the refused import");
    const Drawing d = drawingOf(lower);
    CAPTURE(d.path);
    CHECK(d.path == "readback + upload (zero-copy unavailable: OpenGL refused the import "
                    "(CUECARD_TEST_REFUSE_GL_IMPORT))");
    CHECK(d.zeroCopyFrames == 0);
    CHECK(d.readbackFrames >= 1);
    CHECK(lowerNameHash()(*frame) == lowerNameHash()(*expected));
    CHECK(frame->rgba == expected->rgba);
    gObs->destroySource(lower);
}

TEST_CASE("libobs: each recipient's logo switches on the same frame as their name") {
    // Two recipients with their own logos (red, blue; local files next to the queue), a theme
    // with the logo and the name. The pictures are prepared on the source's prefetcher thread.
    const fs::path dir = kOut / "pictures";
    fs::create_directories(dir / "logos");
    Image red(200, 200);
    fill(red, 220, 30, 30);
    Image blue(200, 200);
    fill(blue, 30, 30, 220);
    REQUIRE(writePng(red, dir / "logos" / "red.png", true).ok());
    REQUIRE(writePng(blue, dir / "logos" / "blue.png", true).ok());
    std::ofstream(dir / "queue.csv") << "name,email,logo\nRed Person,red@x.example,logos/red.png\n"
                                        "Blue Person,blue@x.example,logos/blue.png\n";
    std::ofstream(dir / "logo-theme.json")
        << R"({"cuecard_theme": 1, "name": "logo", "animation": {"in": "none", "out": "none"},
        "elements": [{"type": "image", "src": "{logo}", "x": 200, "y": 200, "width": 400,
        "height": 400}, {"type": "text", "text": "{full_name}", "x": 130, "y": 930, "size": 80}]})";
    obs_source_t *src =
        makeOverlay("logos", (dir / "logo-theme.json").string(), (dir / "queue.csv").string());
    REQUIRE(src != nullptr);
    gObs->addToScene(src);
    const int w = gObs->outputWidth();
    const int h = gObs->outputHeight();
    const RegionHash logo = [w, h](const test::CapturedFrame &f) {
        return regionHash(f, w, 250 * w / 1920, 250 * h / 1080, 550 * w / 1920, 550 * h / 1080);
    };
    const RegionHash name = lowerNameHash();
    // Steady means the logo is there too (a blank logo region never counts as steady).
    auto first = waitForSteady({logo, name});
    if (!first) {
        obs_properties_t *props = obs_source_properties(src);
        OBSDataAutoRelease settings = obs_source_get_settings(src);
        MESSAGE("status: " << std::string(obs_data_get_string(settings, "status")));
        obs_properties_destroy(props);
        auto frames = gObs->framesSoFar();
        gObs->startCapture();
        gObs->waitForFrames([](const auto &f) { return f.size() >= 2; });
        const auto last = gObs->stopCapture();
        savePng(last.back(), w, h, "pictures-never.png");
    }
    REQUIRE_MESSAGE(first.has_value(), "the first recipient's logo never appeared");
    const std::uint8_t *centre =
        first->rgba.data() + (static_cast<std::size_t>(400 * h / 1080) * w + 400 * w / 1920) * 4;
    // (libobs 29 hands its RGBA output over as BGRA: [2] is red, [0] blue.)
    CHECK(centre[2] > 150); // red
    CHECK(centre[0] < 100);

    gObs->startCapture();
    REQUIRE(gObs->waitForFrames([](const auto &f) { return f.size() >= 10; }));
    REQUIRE(gObs->triggerHotkey("cuecard.next"));
    std::uint64_t logoA = 0;
    std::uint64_t nameA = 0;
    const bool switched = gObs->waitForFrames([&](const std::vector<test::CapturedFrame> &f) {
        logoA = logo(f.front());
        nameA = name(f.front());
        std::size_t shownB = 0;
        for (auto it = f.rbegin(); it != f.rend(); ++it, ++shownB) {
            if (logo(*it) == logoA || name(*it) == nameA) {
                break;
            }
        }
        return shownB >= 15;
    });
    const std::vector<test::CapturedFrame> frames = gObs->stopCapture();
    REQUIRE_MESSAGE(switched, "the second recipient's logo and name never both showed");
    const std::uint64_t logoB = logo(frames.back());
    const std::uint64_t nameB = name(frames.back());
    std::size_t logoSwitch = frames.size();
    std::size_t nameSwitch = frames.size();
    int mixed = 0;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const std::uint64_t l = logo(frames[i]);
        const std::uint64_t n = name(frames[i]);
        if (l != logoA && logoSwitch == frames.size()) {
            logoSwitch = i;
        }
        if (n != nameA && nameSwitch == frames.size()) {
            nameSwitch = i;
        }
        const bool isA = l == logoA && n == nameA;
        const bool isB = l == logoB && n == nameB;
        mixed += isA || isB ? 0 : 1;
    }
    savePng(frames.back(), w, h, "pictures-after.png");
    CHECK(mixed == 0);               // never Red's logo with Blue's name, never a blank logo
    CHECK(logoSwitch == nameSwitch); // one frame
    const std::uint8_t *after = frames.back().rgba.data() +
                                (static_cast<std::size_t>(400 * h / 1080) * w + 400 * w / 1920) * 4;
    CHECK(after[0] > 150); // blue
    CHECK(after[2] < 100);
    gObs->destroySource(src);
}

TEST_CASE("libobs: a pan is drawn by OBS from layers uploaded once: the page scrolls to its end "
          "with no frame rendered or uploaded after the first") {
    // A page of 40-row bands, each its own colour (band b: red 37b mod 256, green 91b mod 256),
    // panned through a 800x400 box in 2 s; a box under it and the name over it (below the box).
    const fs::path dir = kOut / "pan";
    fs::create_directories(dir);
    Image page(800, 2400);
    for (int y = 0; y < page.height; ++y) {
        const int b = y / 40;
        for (int x = 0; x < page.width; ++x) {
            std::uint8_t *p = page.at(x, y);
            p[0] = static_cast<std::uint8_t>(b * 37 % 256);
            p[1] = static_cast<std::uint8_t>(b * 91 % 256);
            p[2] = 128;
            p[3] = 255;
        }
    }
    REQUIRE(writePng(page, dir / "page.png", true).ok());
    std::ofstream(dir / "queue.csv") << "name,email,page\nPan Person,pan@x.example,page.png\n";
    std::ofstream(dir / "pan-theme.json")
        << R"({"cuecard_theme": 1, "name": "pan", "animation": {"in": "none", "out": "none"},
        "elements": [{"type": "box", "x": 180, "y": 80, "width": 840, "height": 440,
        "fill": "#202020"}, {"type": "image", "src": "{page}", "x": 200, "y": 100, "width": 800,
        "height": 400, "pan": 2}, {"type": "text", "text": "{full_name}", "x": 220, "y": 620,
        "size": 64, "color": "#FFFFFF"}]})";
    obs_source_t *src =
        makeOverlay("pan", (dir / "pan-theme.json").string(), (dir / "queue.csv").string());
    REQUIRE(src != nullptr);
    gObs->addToScene(src);
    const int w = gObs->outputWidth();
    const int h = gObs->outputHeight();
    // The band at the box's top: the top-most band that rows 5 to 45 of the box show clearly
    // (a row on a band's edge, scaled to the output, is a mix of two: left out).
    const auto bandAtTop = [w, h](const test::CapturedFrame &f) {
        int top = -1;
        for (int canvasY = 105; canvasY <= 145; canvasY += 8) {
            const std::uint8_t *p =
                f.rgba.data() +
                (static_cast<std::size_t>(canvasY * h / 1080) * w + 600 * w / 1920) * 4;
            int best = -1;
            int bestDistance = 1 << 30;
            for (int b = 0; b < 60; ++b) { // libobs 29 hands RGBA output over as BGRA
                const int dr = p[2] - b * 37 % 256;
                const int dg = p[1] - b * 91 % 256;
                if (dr * dr + dg * dg < bestDistance) {
                    bestDistance = dr * dr + dg * dg;
                    best = b;
                }
            }
            if (bestDistance < 50 && (top < 0 || best < top)) {
                top = best;
            }
        }
        return top;
    };
    const RegionHash name = [w, h](const test::CapturedFrame &f) {
        return regionHash(f, w, 220 * w / 1920, 560 * h / 1080, 900 * w / 1920, 640 * h / 1080);
    };
    auto first = waitForSteady({name});
    REQUIRE_MESSAGE(first.has_value(), "the name never appeared");
    const Drawing before = drawingOf(src);
    // Every frame until well after the pan's end: the band at the top only ever moves down
    // the page, and ends on the band the window's last position starts in: the piece is four
    // boxes tall at most (1600 rows), so the window ends at row 1200 and the top shows row
    // 1220, band 30.
    gObs->startCapture();
    REQUIRE(gObs->waitForFrames([](const auto &f) { return f.size() >= 90; }, 30000));
    const auto frames = gObs->stopCapture();
    int last = -1;
    int moves = 0;
    int unreadable = 0;
    for (const auto &f : frames) {
        const int b = bandAtTop(f);
        if (b < 0) {
            ++unreadable;
            continue;
        }
        CHECK(b >= last);
        moves += b > last && last >= 0 ? 1 : 0;
        last = b;
    }
    std::string seen;
    for (const auto &f : frames) {
        seen += std::to_string(bandAtTop(f)) + " ";
    }
    MESSAGE("bands at the top, frame by frame: " << seen);
    savePng(frames.back(), w, h, "pan-end.png");
    CHECK(unreadable == 0);
    CHECK(moves >= 10);
    CHECK(last == 30);
    CHECK(name(frames.back()) == name(*first)); // the name stays where it is, over it all
    // What lies under the picture shows around it (drawn in strips around an opaque picture):
    // the #202020 box left of and above the page.
    for (const auto &[x, y] :
         {std::pair{190, 300}, std::pair{600, 90}, std::pair{1010, 300}, std::pair{600, 510}}) {
        const std::uint8_t *p =
            frames.back().rgba.data() +
            (static_cast<std::size_t>(y * h / 1080) * w + static_cast<std::size_t>(x * w / 1920)) *
                4;
        CAPTURE(x);
        CAPTURE(y);
        CHECK(std::abs(p[0] - 32) <= 6);
        CHECK(std::abs(p[1] - 32) <= 6);
        CHECK(std::abs(p[2] - 32) <= 6);
    }
    // No frame was rendered or uploaded for the pan: the counts are those of the first frame.
    const Drawing after = drawingOf(src);
    CHECK(after.readbackFrames + after.zeroCopyFrames ==
          before.readbackFrames + before.zeroCopyFrames);
    gObs->destroySource(src);
}

TEST_CASE("libobs: scene text on a quad switches in one frame, and new corners (set_quad) move "
          "it on the next frames, saved in the source's settings") {
    const fs::path dir = kOut / "quad";
    fs::create_directories(dir);
    writeNoteTheme(dir / "note.json");
    obs_source_t *src = makeOverlay("note", (dir / "note.json").string(),
                                    CUECARD_SOURCE_DIR "/tests/e2e/queue.csv");
    REQUIRE(src != nullptr);
    gObs->addToScene(src);
    const int w = gObs->outputWidth();
    const int h = gObs->outputHeight();
    const auto at = [w, h](int x, int y) { // canvas px → output px
        return std::make_pair(x * w / 1920, y * h / 1080);
    };
    const RegionHash note = [w, h](const test::CapturedFrame &f) {
        return regionHash(f, w, 260 * w / 1920, 280 * h / 1080, 640 * w / 1920, 500 * h / 1080);
    };
    REQUIRE_MESSAGE(waitForSteady({note}).has_value(), "the note never appeared");

    // The switch: every frame shows one recipient's note whole, and it changes on one frame.
    gObs->startCapture();
    REQUIRE(gObs->waitForFrames([](const auto &f) { return f.size() >= 10; }));
    REQUIRE(gObs->triggerHotkey("cuecard.next"));
    std::uint64_t before = 0;
    const bool switched = gObs->waitForFrames([&](const std::vector<test::CapturedFrame> &f) {
        before = note(f.front());
        std::size_t shownB = 0;
        for (auto it = f.rbegin(); it != f.rend() && note(*it) != before; ++it) {
            ++shownB;
        }
        return shownB >= 15;
    });
    std::vector<test::CapturedFrame> frames = gObs->stopCapture();
    REQUIRE_MESSAGE(switched, "the next recipient's note never showed");
    const std::uint64_t after = note(frames.back());
    int mixed = 0;
    int switches = 0;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const std::uint64_t v = note(frames[i]);
        mixed += v == before || v == after ? 0 : 1;
        switches += i > 0 && v != note(frames[i - 1]) ? 1 : 0;
    }
    CHECK(mixed == 0);
    CHECK(switches == 1);

    // New corners, further right: the note leaves its old place and shows at the new one.
    const auto pixel = [&](const test::CapturedFrame &f, int x, int y) {
        const auto [ox, oy] = at(x, y);
        return f.rgba.data() + (static_cast<std::size_t>(oy) * w + ox) * 4;
    };
    const auto yellow = [](const std::uint8_t *p) {
        return p[2] > 200 && p[1] > 180 && p[0] < 140;
    };
    CHECK(yellow(pixel(frames.back(), 300, 300)));
    CHECK_FALSE(yellow(pixel(frames.back(), 1300, 300)));
    const auto setQuad = [&](const std::string &quad, std::string &error) {
        calldata_t cd = {};
        calldata_set_string(&cd, "quad", quad.c_str());
        proc_handler_call(obs_source_get_proc_handler(src), "cuecard_set_quad", &cd);
        const bool ok = calldata_bool(&cd, "ok");
        error = calldata_string(&cd, "error") != nullptr ? calldata_string(&cd, "error") : "";
        calldata_free(&cd);
        return ok;
    };
    std::string error;
    CHECK_FALSE(setQuad("0,0 0,100 100,100 100,0", error)); // counter-clockwise
    CHECK(error.find("wrong way round") != std::string::npos);
    CHECK_FALSE(setQuad("1,2,3", error));
    CHECK(error.find("eight numbers") != std::string::npos);
    gObs->startCapture();
    REQUIRE(gObs->waitForFrames([](const auto &f) { return f.size() >= 3; }));
    REQUIRE(setQuad("1200,200 1700,240 1680,560 1220,520", error));
    const bool moved = gObs->waitForFrames([&](const std::vector<test::CapturedFrame> &f) {
        return !f.empty() && yellow(pixel(f.back(), 1400, 380)) &&
               !yellow(pixel(f.back(), 300, 300));
    });
    frames = gObs->stopCapture();
    REQUIRE_MESSAGE(moved, "the note did not move to its new corners");
    std::size_t frameMoved = 0;
    while (frameMoved < frames.size() && !yellow(pixel(frames[frameMoved], 1400, 380))) {
        ++frameMoved;
    }
    MESSAGE("set_quad: the note moved " << frameMoved << " frames after the call");
    // Never both places at once, never neither (no blank frame while it re-renders).
    for (const auto &f : frames) {
        CHECK(yellow(pixel(f, 300, 300)) != yellow(pixel(f, 1400, 380)));
    }
    OBSDataAutoRelease settings = obs_source_get_settings(src);
    CHECK(std::string(obs_data_get_string(settings, "quad")) ==
          "1200,200 1700,240 1680,560 1220,520");
    CHECK(std::string(obs_data_get_string(settings, "status")).find("corners") ==
          std::string::npos);

    // The Interact window: press on the top-right corner, drag it up and right, let go.
    obs_mouse_event event{};
    event.x = 1695;
    event.y = 245;
    obs_source_send_mouse_click(src, &event, MOUSE_LEFT, false, 1);
    gObs->startCapture();
    event.x = 1850;
    event.y = 120;
    obs_source_send_mouse_move(src, &event, false);
    const bool dragged = gObs->waitForFrames([&](const std::vector<test::CapturedFrame> &f) {
        return !f.empty() && yellow(pixel(f.back(), 1780, 190));
    });
    gObs->stopCapture();
    CHECK_MESSAGE(dragged, "the dragged corner never moved the note");
    obs_source_send_mouse_click(src, &event, MOUSE_LEFT, true, 1);
    OBSDataAutoRelease saved = obs_source_get_settings(src);
    CHECK(std::string(obs_data_get_string(saved, "quad")) == "1200,200 1850,120 1680,560 1220,520");

    // Corners belong to a theme (issue 31): another theme with a group keeps its own place, and
    // back on the note, the note's corners come back.
    std::string other;
    {
        std::ifstream in(dir / "note.json");
        std::ostringstream text;
        text << in.rdbuf();
        other = text.str();
        other.replace(other.find("#FFE650"), 7, "#50E6FF");
    }
    std::ofstream(dir / "cyan.json") << other;
    const auto cyan = [](const std::uint8_t *p) { // BGRA
        return p[2] < 140 && p[1] > 180 && p[0] > 200;
    };
    const auto setTheme = [&](const fs::path &theme) {
        OBSDataAutoRelease t = obs_data_create();
        obs_data_set_string(t, "theme", theme.string().c_str());
        obs_source_update(src, t);
    };
    setTheme(dir / "cyan.json");
    gObs->startCapture();
    const bool ownPlace = gObs->waitForFrames([&](const std::vector<test::CapturedFrame> &f) {
        return !f.empty() && cyan(pixel(f.back(), 300, 300)) && !cyan(pixel(f.back(), 1400, 380));
    });
    gObs->stopCapture();
    CHECK_MESSAGE(ownPlace, "the other theme took the note's corners");
    setTheme(dir / "note.json");
    gObs->startCapture();
    const bool noteBack = gObs->waitForFrames([&](const std::vector<test::CapturedFrame> &f) {
        return !f.empty() && yellow(pixel(f.back(), 1400, 380)) &&
               !yellow(pixel(f.back(), 300, 300));
    });
    gObs->stopCapture();
    CHECK_MESSAGE(noteBack, "the note did not get its own corners back");
    gObs->destroySource(src);
}

TEST_CASE("libobs: a dragged corner is drawn by OBS from the note's layers, rendered once: each "
          "move shows on the next frames with no render; letting go renders it exactly") {
    const fs::path dir = kOut / "drag";
    fs::create_directories(dir);
    writeNoteTheme(dir / "note.json");
    obs_source_t *src = makeOverlay("drag", (dir / "note.json").string(),
                                    CUECARD_SOURCE_DIR "/tests/e2e/queue.csv");
    REQUIRE(src != nullptr);
    gObs->addToScene(src);
    const int w = gObs->outputWidth();
    const int h = gObs->outputHeight();
    const RegionHash note = [w, h](const test::CapturedFrame &f) {
        return regionHash(f, w, 260 * w / 1920, 280 * h / 1080, 640 * w / 1920, 500 * h / 1080);
    };
    REQUIRE_MESSAGE(waitForSteady({note}).has_value(), "the note never appeared");
    const auto pixel = [&](const test::CapturedFrame &f, float x, float y) {
        const int ox = static_cast<int>(x) * w / 1920;
        const int oy = static_cast<int>(y) * h / 1080;
        return f.rgba.data() + (static_cast<std::size_t>(oy) * w + ox) * 4;
    };
    const auto yellow = [](const std::uint8_t *p) { // BGRA
        return p[2] > 200 && p[1] > 180 && p[0] < 140;
    };
    const Drawing before = drawingOf(src);

    // Press on the top-right corner (700, 240), then move it up and right six times; after
    // each move, a point just inside the new corner (outside the note as it was) turns yellow.
    obs_mouse_event event{};
    event.x = 700;
    event.y = 240;
    obs_source_send_mouse_click(src, &event, MOUSE_LEFT, false, 1);
    const float cx = (200 + 700 + 680 + 220) / 4.0f;
    const float cy = (200 + 240 + 560 + 520) / 4.0f;
    test::CapturedFrame lastDragged;
    for (int step = 1; step <= 6; ++step) {
        CAPTURE(step);
        event.x = 700 + 30 * step;
        event.y = 240 - 20 * step;
        const float px = static_cast<float>(event.x) + 0.03f * (cx - static_cast<float>(event.x));
        const float py = static_cast<float>(event.y) + 0.03f * (cy - static_cast<float>(event.y));
        gObs->startCapture();
        obs_source_send_mouse_move(src, &event, false);
        const bool shown = gObs->waitForFrames(
            [&](const std::vector<test::CapturedFrame> &f) {
                return !f.empty() && yellow(pixel(f.back(), px, py));
            },
            10000);
        auto frames = gObs->stopCapture();
        REQUIRE_MESSAGE(shown, "the note did not follow the corner");
        MESSAGE("move " << step << " shown " << frames.size() << " frames later");
        lastDragged = frames.back();
    }
    // The whole drag cost one render: the layers. (Rendering per move put six more frames on
    // screen.)
    const Drawing dragging = drawingOf(src);
    CHECK(dragging.readbackFrames + dragging.zeroCopyFrames ==
          before.readbackFrames + before.zeroCopyFrames + 1);

    // Let go: the corners are saved and the note is rendered exactly on them, in place of the
    // layers; what the layers showed is that picture but for resampled edges.
    gObs->startCapture();
    obs_source_send_mouse_click(src, &event, MOUSE_LEFT, true, 1);
    const bool rendered = gObs->waitForFrames([&](const std::vector<test::CapturedFrame> &) {
        const Drawing now = drawingOf(src);
        return now.readbackFrames + now.zeroCopyFrames >=
               dragging.readbackFrames + dragging.zeroCopyFrames + 1;
    });
    REQUIRE(gObs->waitForFrames([](const auto &f) { return f.size() >= 5; }));
    const auto frames = gObs->stopCapture();
    REQUIRE_MESSAGE(rendered, "letting go did not render the note on its corners");
    OBSDataAutoRelease saved = obs_source_get_settings(src);
    CHECK(std::string(obs_data_get_string(saved, "quad")) == "200,200 880,120 680,560 220,520");
    const test::CapturedFrame &exact = frames.back();
    long long sum = 0;
    int off = 0;
    int count = 0;
    for (int y = 100 * h / 1080; y < 600 * h / 1080; ++y) {
        for (int x = 180 * w / 1920; x < 900 * w / 1920; ++x) {
            const std::size_t at = (static_cast<std::size_t>(y) * w + x) * 4;
            int worst = 0;
            for (int c = 0; c < 3; ++c) {
                const int d = std::abs(exact.rgba[at + c] - lastDragged.rgba[at + c]);
                sum += d;
                worst = std::max(worst, d);
            }
            off += worst > 48 ? 1 : 0;
            ++count;
        }
    }
    const double mean = static_cast<double>(sum) / (3.0 * count);
    MESSAGE("layers against the exact render: " << off << " of " << count
                                                << " pixels off by more than 48, mean " << mean);
    savePng(lastDragged, w, h, "drag-layers.png");
    savePng(exact, w, h, "drag-exact.png");
    CHECK(mean < 1.5);
    CHECK(off < count / 100);
    gObs->destroySource(src);
}

TEST_CASE("libobs: a broken queue or theme leaves the source empty with the reason, no crash") {
    obs_source_t *bad = makeOverlay("bad", "no-such-theme", "/nonexistent/queue.csv");
    REQUIRE(bad != nullptr);
    CHECK(obs_source_get_width(bad) == 0);
    // The queue is read on the hub's thread: the status says so once it has been tried.
    std::string status;
    gObs->startCapture();
    gObs->waitForFrames([&](const auto &) {
        status = sourceStatus(bad);
        return status.find("Loading") == std::string::npos;
    });
    (void)gObs->stopCapture();
    CAPTURE(status);
    CHECK(status.find("no built-in theme named \"no-such-theme\"") != std::string::npos);
    CHECK(status.find("/nonexistent/queue.csv: error: no such queue file") != std::string::npos);
    CHECK(gObs->renderMs(bad, 2) >= 0.0); // renders nothing, does not crash
}

TEST_CASE("libobs: an open properties dialog is told when the status changes (no reopening), "
          "and the status says who is on screen in the rep's words") {
    const std::string queue = CUECARD_SOURCE_DIR "/tests/e2e/queue.csv";
    obs_source_t *src = makeOverlay("live-status", staticTheme("default"), queue);
    REQUIRE(src != nullptr);
    gObs->addToScene(src);
    // What OBS's properties dialog listens to: "update_properties" makes it reload its view.
    std::atomic<int> told{0};
    const auto onUpdate = [](void *data, calldata_t *) {
        ++*static_cast<std::atomic<int> *>(data);
    };
    signal_handler_connect(obs_source_get_signal_handler(src), "update_properties", onUpdate,
                           &told);
    // The hub is shared by every test here: whoever is on screen now, the switch moves on.
    std::string status;
    gObs->startCapture();
    CHECK(gObs->waitForFrames([&](const auto &) {
        status = sourceStatus(src);
        return status.find("On screen now: #") != std::string::npos;
    }));
    (void)gObs->stopCapture();
    CAPTURE(status);
    CHECK(status.find("Queue: ") != std::string::npos);
    CHECK(status.find("zero-copy") == std::string::npos); // no jargon
    const std::string first = status;
    const int before = told.load();
    // The queue has 3 people: from the last one, the switch goes back.
    const bool last = status.find("On screen now: #3 ") != std::string::npos;
    REQUIRE(gObs->triggerHotkey(last ? "cuecard.previous" : "cuecard.next"));
    gObs->startCapture();
    const bool toldAgain = gObs->waitForFrames([&](const auto &) { return told.load() > before; });
    (void)gObs->stopCapture();
    CHECK_MESSAGE(toldAgain, "no update_properties after the switch");
    status = sourceStatus(src); // what the reloaded dialog shows
    const auto onScreen = [](const std::string &text) {
        const auto at = text.find("On screen now: #");
        return at == std::string::npos ? std::string() : text.substr(at, text.find('\n', at) - at);
    };
    CAPTURE(status);
    CHECK_FALSE(onScreen(status).empty());
    CHECK(onScreen(status) != onScreen(first));
    signal_handler_disconnect(obs_source_get_signal_handler(src), "update_properties", onUpdate,
                              &told);
    gObs->destroySource(src);
}

TEST_CASE("libobs: a queue cannot make the source fetch from the rep's own machine; "
          "CUECARD_ALLOW_PRIVATE_HOSTS=1 can") {
    test::HttpServer server;
    Image red(32, 32);
    for (std::size_t i = 0; i + 3 < red.pixels.size(); i += 4) {
        red.pixels[i] = 255;
        red.pixels[i + 3] = 255;
    }
    const fs::path dir = kOut / "network";
    fs::create_directories(dir);
    REQUIRE(writePng(red, dir / "red.png", true));
    std::ifstream png(dir / "red.png", std::ios::binary);
    std::ostringstream bytes;
    bytes << png.rdbuf();
    server.route("/logo.png", test::HttpServer::respond(200, "image/png", bytes.str()));
    const std::string port = server.url("").substr(std::string("http://127.0.0.1:").size());
    std::ofstream(dir / "queue.csv")
        << "full_name,email,logo\nAda Local,ada@x.example,http://localhost:" << port
        << "/logo.png\n";
    unsetenv("CUECARD_ALLOW_PRIVATE_HOSTS");
    obs_source_t *src = makeOverlay("network", "logo", (dir / "queue.csv").string());
    REQUIRE(src != nullptr);
    gObs->addToScene(src);
    std::string status;
    gObs->startCapture();
    gObs->waitForFrames([&](const auto &) {
        status = sourceStatus(src);
        return status.find("is a loopback address") != std::string::npos;
    });
    (void)gObs->stopCapture();
    // localhost: 127.0.0.1 or ::1, whichever the system's resolver gives first.
    CHECK_MESSAGE(status.find("is a loopback address") != std::string::npos, status);
    CHECK(server.requests("/logo.png") == 0);

    // Allowed: the same row's logo is fetched once the source loads again.
    setenv("CUECARD_ALLOW_PRIVATE_HOSTS", "1", 1);
    obs_source_update(src, nullptr);
    gObs->startCapture();
    gObs->waitForFrames([&](const auto &) {
        status = sourceStatus(src);
        return server.requests("/logo.png") > 0 &&
               status.find("is a loopback address") == std::string::npos;
    });
    (void)gObs->stopCapture();
    unsetenv("CUECARD_ALLOW_PRIVATE_HOSTS");
    CHECK(server.requests("/logo.png") >= 1);
    CHECK_MESSAGE(status.find("is a loopback address") == std::string::npos, status);
    gObs->destroySource(src);
}

namespace {

/// The longest gap between two of libobs' graphics-thread ticks, while `on`.
struct TickGaps {
    std::mutex mutex;
    std::chrono::steady_clock::time_point last{};
    double maxMs = 0.0;
    bool on = false;
    static void onTick(void *data, float) {
        auto *g = static_cast<TickGaps *>(data);
        const auto now = std::chrono::steady_clock::now();
        std::lock_guard lock(g->mutex);
        if (g->on && g->last != std::chrono::steady_clock::time_point{}) {
            g->maxMs = std::max(g->maxMs,
                                std::chrono::duration<double, std::milli>(now - g->last).count());
        }
        g->last = now;
    }
};

/// FNV-1a of a whole captured frame.
std::uint64_t frameHash(const test::CapturedFrame &f) {
    std::uint64_t h = 1469598103934665603ull;
    for (const std::uint8_t b : f.rgba) {
        h = (h ^ b) * 1099511628211ull;
    }
    return h;
}

/// Captures until the program differs from `before` and holds still for three frames; that
/// frame's hash (0 when it never changed within 20 s).
std::uint64_t waitForNewPicture(std::uint64_t before) {
    std::uint64_t now = 0;
    gObs->startCapture();
    gObs->waitForFrames([&](const std::vector<test::CapturedFrame> &frames) {
        if (frames.size() < 3) {
            return false;
        }
        const std::uint64_t a = frameHash(frames[frames.size() - 1]);
        const bool still =
            a == frameHash(frames[frames.size() - 2]) && a == frameHash(frames[frames.size() - 3]);
        if (still && a != before) {
            now = a;
            return true;
        }
        return false;
    });
    (void)gObs->stopCapture();
    return now;
}

void setString(obs_source_t *source, const char *key, const std::string &value) {
    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, key, value.c_str());
    obs_source_update(source, settings); // applied on the graphics thread's next tick
    obs_data_release(settings);
}

} // namespace

/// Issue 27's thread contract. Run by ctest's libobs_slowfs with tests/obs/slow_fs.c preloaded:
/// the theme and queue folder is slow (600 ms a call) for OBS's threads, and every call from
/// one of them is recorded. The source is created, changes theme, corners and queue, switches by
/// hotkey and shows its properties; OBS's threads must never touch that folder, and the graphics
/// thread must never stall.
TEST_CASE("libobs: OBS's threads never touch the theme or queue folder, even a slow one" *
          doctest::test_suite("slowfs")) {
    using Arm = int (*)(const char *, int);
    using Disarm = int (*)(char *, std::size_t);
    auto arm = reinterpret_cast<Arm>(dlsym(RTLD_DEFAULT, "cuecard_slowfs_arm"));
    auto disarm = reinterpret_cast<Disarm>(dlsym(RTLD_DEFAULT, "cuecard_slowfs_disarm"));
    REQUIRE_MESSAGE((arm != nullptr && disarm != nullptr),
                    "the slow file system is not preloaded: run it as ctest -R libobs_slowfs");
    const fs::path root = kOut / "slowfs";
    fs::remove_all(root);
    fs::create_directories(root / "a");
    fs::create_directories(root / "b");
    fs::copy_file(staticTheme("default"), root / "lower.json");
    fs::copy_file(staticTheme("title-card"), root / "card.json");
    writeNoteTheme(root / "note.json");
    fs::copy_file(CUECARD_SOURCE_DIR "/tests/e2e/queue.csv", root / "a" / "recipients.csv");
    std::ofstream(root / "b" / "recipients.csv")
        << "full_name,title,company\nOtto Berg,Buyer,Acme\nPia Lund,CTO,Initech\n";

    TickGaps gaps;
    obs_add_tick_callback(&TickGaps::onTick, &gaps);
    REQUIRE(arm(root.c_str(), 600) == 1);
    {
        std::lock_guard lock(gaps.mutex);
        gaps.on = true;
    }
    obs_source_t *src = makeOverlay("slow", (root / "lower.json").string(),
                                    (root / "a" / "recipients.csv").string());
    REQUIRE(src != nullptr);
    gObs->addToScene(src);
    std::uint64_t shown = waitForNewPicture(0);
    CHECK_MESSAGE(shown != 0, "the lower third never showed");
    setString(src, "theme", (root / "card.json").string());
    shown = waitForNewPicture(shown);
    CHECK_MESSAGE(shown != 0, "the title card never showed");
    setString(src, "theme", (root / "note.json").string());
    shown = waitForNewPicture(shown);
    CHECK_MESSAGE(shown != 0, "the note never showed");
    setString(src, "quad", "900,200 1400,240 1380,560 920,520");
    shown = waitForNewPicture(shown);
    CHECK_MESSAGE(shown != 0, "new corners never moved the note");
    setString(src, "queue_path", (root / "b" / "recipients.csv").string());
    shown = waitForNewPicture(shown);
    CHECK_MESSAGE(shown != 0, "the second queue's first recipient never showed");
    REQUIRE(gObs->triggerHotkey("cuecard.next"));
    shown = waitForNewPicture(shown);
    CHECK_MESSAGE(shown != 0, "cuecard.next never showed the next recipient");
    // A theme that is not there: the last good one keeps drawing, and the status (read by the
    // properties dialog on the UI thread, with the theme list) says why.
    setString(src, "theme", (root / "missing.json").string());
    std::string status;
    gObs->startCapture();
    gObs->waitForFrames([&](const auto &) {
        status = sourceStatus(src);
        return status.find("missing.json does not exist") != std::string::npos;
    });
    (void)gObs->stopCapture();
    CHECK_MESSAGE(status.find("missing.json does not exist") != std::string::npos, status);

    char seen[8192] = {};
    const int calls = disarm(seen, sizeof seen);
    double maxGapMs = 0.0;
    {
        std::lock_guard lock(gaps.mutex);
        gaps.on = false;
        maxGapMs = gaps.maxMs;
    }
    obs_remove_tick_callback(&TickGaps::onTick, &gaps);
    gObs->destroySource(src);
    CHECK_MESSAGE(calls == 0, "file-system calls from OBS's threads:\n" << seen);
    MESSAGE("longest gap between two graphics-thread ticks: " << maxGapMs << " ms (50 ms a frame)");
    // One slow call on the graphics thread is 600 ms; a loaded 2-core machine has been seen to
    // hold a tick back 331 ms without one (every other run: 60–160 ms).
    CHECK(maxGapMs < 590.0);
}

int main(int argc, char **argv) {
    fs::create_directories(kOut);
    // Every Vulkan call the plugin makes is checked (several sources render at once, each on
    // its own thread); each complaint is a log line, and any error fails the run below.
    setenv("CUECARD_VULKAN_VALIDATION", "1", 1);
    test::ObsHarness obs;
    if (const std::string error = obs.start(1920, 1080, 960, 540, 20); !error.empty()) {
        std::printf("libobs could not start: %s\n", error.c_str());
        return 1;
    }
    if (!obs.loadModule(CUECARD_PLUGIN_BINARY, CUECARD_PLUGIN_DATA)) {
        std::printf("cannot load %s\n", CUECARD_PLUGIN_BINARY);
        return 1;
    }
    gObs = &obs;
    doctest::Context context;
    context.applyCommandLine(argc, argv);
    int result = context.run();
    if (obs.logLinesContaining("[cuecard] Vulkan device:") > 0 &&
        obs.logLinesContaining("every call checked by the validation layer") == 0) {
        std::printf("FAIL: Vulkan validation did not run (is vulkan-validationlayers installed? "
                    "scripts/install-deps.sh)\n");
        result = result == 0 ? 1 : result;
    }
    if (const int errors = obs.logLinesContaining("[cuecard] Vulkan validation error");
        errors > 0) {
        std::printf("FAIL: %d Vulkan validation error(s) in the log above\n", errors);
        result = result == 0 ? 1 : result;
    }
    gObs = nullptr;
    return result;
}
