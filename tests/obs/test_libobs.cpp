// libobs integration: the real module in a headless libobs (Xvfb + llvmpipe), two Cuecard
// sources (a lower-third and a title card) on one queue, the program's raw frames captured with
// their timestamps. After cuecard.next, both sources must switch to the next recipient on the
// same frame, with no blank or mixed frame, and every frame before the switch must still show
// the first recipient whole.

#define DOCTEST_CONFIG_IMPLEMENT
#include "core/theme/theme.hpp"
#include "core/util/image.hpp"
#include "core/util/png_io.hpp"
#include "obs/obs_harness.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
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

obs_source_t *makeOverlay(const char *name, const std::string &theme, const std::string &queue) {
    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "queue_path", queue.c_str());
    obs_data_set_string(settings, "theme", theme.c_str());
    obs_source_t *s = gObs->createSource("cuecard_overlay", name, settings);
    obs_data_release(settings);
    return s;
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

TEST_CASE("libobs: a switch is one frame for every source, never a blank or mixed frame") {
    const std::string queue = CUECARD_SOURCE_DIR "/tests/e2e/queue.csv";
    obs_source_t *lower = makeOverlay("lower", staticTheme("default"), queue);
    obs_source_t *card = makeOverlay("card", staticTheme("title-card"), queue);
    REQUIRE(lower != nullptr);
    REQUIRE(card != nullptr);
    CHECK(obs_source_get_width(lower) == 1920);
    CHECK(obs_source_get_height(lower) == 1080);
    gObs->addToScene(lower);
    gObs->addToScene(card);

    const int w = gObs->outputWidth();
    const int h = gObs->outputHeight();
    // Regions in output pixels (canvas 1920x1080 scaled to w x h): the lower-third's name line
    // and the title card's name line.
    const auto sx = [&](int v) { return v * w / 1920; };
    const auto sy = [&](int v) { return v * h / 1080; };
    const auto lowerHash = [&](const test::CapturedFrame &f) {
        return regionHash(f, w, sx(130), sy(830), sx(1000), sy(965));
    };
    const auto cardHash = [&](const test::CapturedFrame &f) {
        return regionHash(f, w, sx(380), sy(460), sx(1540), sy(720));
    };

    // Wait for the first recipient on screen (first renders on lavapipe take a moment).
    gObs->startCapture();
    const auto empty = [&] {
        test::CapturedFrame blank;
        blank.rgba.assign(static_cast<std::size_t>(w) * h * 4, 0);
        return blank;
    }();
    bool shown = false;
    for (int i = 0; i < 100 && !shown; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        auto frames = gObs->framesSoFar();
        if (frames.size() > 3) {
            const auto &last = frames.back();
            const auto &prev = frames[frames.size() - 2];
            shown = lowerHash(last) != lowerHash(empty) && cardHash(last) != cardHash(empty) &&
                    lowerHash(last) == lowerHash(prev) && cardHash(last) == cardHash(prev);
        }
    }
    REQUIRE_MESSAGE(shown, "the first recipient never appeared");
    (void)gObs->stopCapture();

    gObs->startCapture();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto pressed = std::chrono::steady_clock::now();
    REQUIRE(gObs->triggerHotkey("cuecard.next"));
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    const std::vector<test::CapturedFrame> frames = gObs->stopCapture();
    REQUIRE(frames.size() > 10);

    const std::uint64_t lowerA = lowerHash(frames.front());
    const std::uint64_t cardA = cardHash(frames.front());
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
    savePng(frames.front(), w, h, "before.png");
    savePng(frames.back(), w, h, "after.png");
    if (switchLower < frames.size()) {
        savePng(frames[switchLower], w, h, "switch-frame.png");
        if (switchLower > 0) {
            savePng(frames[switchLower - 1], w, h, "frame-before-switch.png");
        }
    }
    CHECK(mixed == 0);
    REQUIRE(switchLower < frames.size());
    CHECK(switchLower == switchCard); // both sources switch on the same frame
    CHECK(switchLower > 0);           // and the first recipient was on screen until then
    const double frameMs =
        static_cast<double>(frames[1].timestamp - frames[0].timestamp) / 1'000'000.0;
    const double pressToSwitchMs =
        static_cast<double>(frames[switchLower].timestamp - frames[0].timestamp) / 1'000'000.0 -
        500.0;
    MESSAGE(
        "switch on frame "
        << switchLower << " of " << frames.size() << " (frame interval " << frameMs
        << " ms); about " << pressToSwitchMs
        << " ms from the key press (render on the worker, then every source ready, then the flip)");
    (void)pressed;
}

TEST_CASE("libobs: a broken queue or theme leaves the source empty with the reason, no crash") {
    obs_source_t *bad = makeOverlay("bad", "no-such-theme", "/nonexistent/queue.csv");
    REQUIRE(bad != nullptr);
    CHECK(obs_source_get_width(bad) == 0);
    obs_properties_t *props = obs_source_properties(bad);
    obs_data_t *settings = obs_source_get_settings(bad);
    const std::string status = obs_data_get_string(settings, "status");
    obs_data_release(settings);
    obs_properties_destroy(props);
    CAPTURE(status);
    CHECK(status.find("no built-in theme named \"no-such-theme\"") != std::string::npos);
    CHECK(status.find("/nonexistent/queue.csv: error: no such queue file") != std::string::npos);
    CHECK(gObs->renderMs(bad, 2) >= 0.0); // renders nothing, does not crash
}

int main(int argc, char **argv) {
    fs::create_directories(kOut);
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
    const int result = context.run();
    gObs = nullptr;
    return result;
}
