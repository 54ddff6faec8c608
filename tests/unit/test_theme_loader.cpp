// SPDX-License-Identifier: GPL-2.0-or-later
// The loader an overlay source hands its settings to (OBS runs update() on its graphics thread):
// loads on its own thread, never makes the caller wait, and loads only the newest settings.
#include "core/theme/theme_loader.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

using namespace cuecard;

namespace {
SourceSettings settingsFor(std::string theme, std::string corners = "") {
    SourceSettings s;
    s.queuePath = "/nowhere/recipients.csv";
    s.theme = std::move(theme);
    s.corners = std::move(corners);
    return s;
}
} // namespace

TEST_CASE("theme loader: loads on its own thread; tick takes each result once") {
    std::thread::id loadedOn;
    ThemeLoader loader({test::dataDir()},
                       [&](const LoadedTheme &) { loadedOn = std::this_thread::get_id(); });
    CHECK_FALSE(loader.take().has_value());
    CHECK(loader.latest() == nullptr);
    const auto generation = loader.request(settingsFor(""));
    loader.drain();
    CHECK(loadedOn != std::thread::id());
    CHECK(loadedOn != std::this_thread::get_id());
    auto l = loader.take();
    REQUIRE(l.has_value());
    CHECK(l->generation == generation);
    CHECK(l->themeName == "default");
    REQUIRE(l->theme != nullptr);
    CHECK(l->error.empty());
    CHECK(l->settings.queuePath == "/nowhere/recipients.csv");
    CHECK_FALSE(loader.take().has_value()); // taken once
    REQUIRE(loader.latest() != nullptr);    // still there for status lines and sizes
    CHECK(loader.latest()->theme == l->theme);
    const auto names = loader.builtinNames();
    CHECK(std::find(names.begin(), names.end(), "default") != names.end());
    CHECK(std::find(names.begin(), names.end(), "sticky-note") != names.end());
}

TEST_CASE("theme loader: an unknown theme and bad corners are errors a rep can read") {
    ThemeLoader loader({test::dataDir()});
    loader.request(settingsFor("no-such-theme"));
    loader.drain();
    auto l = loader.take();
    REQUIRE(l.has_value());
    CHECK(l->theme == nullptr);
    CHECK(l->error.find("no-such-theme") != std::string::npos);

    // Corners that do not parse: the theme still draws, unplaced, and the error says why.
    loader.request(settingsFor("default", "1,2 3"));
    loader.drain();
    l = loader.take();
    REQUIRE(l.has_value());
    REQUIRE(l->theme != nullptr);
    CHECK(l->error.find("corners \"1,2 3\"") != std::string::npos);

    // Corners on a theme with no group to place.
    loader.request(settingsFor("default", "100,100 500,100 500,400 100,400"));
    loader.drain();
    l = loader.take();
    REQUIRE(l.has_value());
    REQUIRE(l->theme != nullptr);
    CHECK_FALSE(l->error.empty());
}

TEST_CASE("theme loader: request never waits on a load, and only the newest settings load") {
    std::mutex m;
    std::condition_variable cv;
    bool release = false;
    std::atomic<int> loads{0};
    std::vector<std::string> loadedThemes;
    ThemeLoader loader({test::dataDir()}, [&](const LoadedTheme &l) {
        std::unique_lock lock(m);
        ++loads;
        loadedThemes.push_back(l.themeName);
        cv.notify_all();
        cv.wait(lock, [&] { return release; }); // a disk that hangs
    });
    loader.request(settingsFor("default"));
    {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return loads.load() == 1; });
    }
    // The first load hangs; every request still returns at once.
    const auto start = std::chrono::steady_clock::now();
    for (const char *name : {"title-card", "minimal-light", "broadcast", "sticky-note"}) {
        loader.request(settingsFor(name));
    }
    const auto waited = std::chrono::steady_clock::now() - start;
    CHECK(waited < std::chrono::milliseconds(500));
    {
        std::lock_guard lock(m);
        release = true;
    }
    cv.notify_all();
    loader.drain();
    std::lock_guard lock(m);
    CHECK(loads.load() == 2); // the first, then only the newest
    CHECK(loadedThemes == std::vector<std::string>{"default", "sticky-note"});
    auto l = loader.take();
    REQUIRE(l.has_value());
    CHECK(l->themeName == "sticky-note");
    CHECK(l->generation == 5);
}

TEST_CASE("theme loader: a theme file written later is read by the next request") {
    test::TempDir dir("theme-loader");
    const auto file = dir.path() / "mine.json";
    ThemeLoader loader({test::dataDir()});
    loader.request(settingsFor(file.string()));
    loader.drain();
    auto l = loader.take();
    REQUIRE(l.has_value());
    CHECK(l->theme == nullptr);
    std::ifstream in(test::dataDir() / "themes" / "minimal-light.json");
    std::ofstream(file) << in.rdbuf();
    loader.request(settingsFor(file.string()));
    loader.drain();
    l = loader.take();
    REQUIRE(l.has_value());
    CHECK(l->theme != nullptr);
    CHECK(l->error.empty());
}

TEST_CASE("theme loader: after stop, requests are dropped and nothing waits") {
    std::atomic<int> loads{0};
    ThemeLoader loader({test::dataDir()}, [&](const LoadedTheme &) { ++loads; });
    loader.stop();
    loader.request(settingsFor("default"));
    loader.drain(); // returns: stopped
    loader.stop();  // twice is fine
    CHECK(loads.load() == 0);
}

TEST_CASE("theme loader: corners belong to the theme they were set for") {
    const std::string note = "100,100 500,100 500,400 100,400";
    // Set for the sticky note, used by it.
    CHECK(cornersFor("sticky-note", note, "sticky-note", "") == note);
    // The source switched to greeting: not the note's corners; greeting's own from before, else
    // the theme's placement.
    CHECK(cornersFor("greeting", note, "sticky-note", "").empty());
    CHECK(cornersFor("greeting", note, "sticky-note", "1,1 9,1 9,9 1,9") == "1,1 9,1 9,9 1,9");
    // Back to the note: its corners again.
    CHECK(cornersFor("sticky-note", note, "sticky-note", "whatever was saved") == note);
    // Corners from before they named a theme belong to the theme the source uses.
    CHECK(cornersFor("greeting", note, "", "") == note);
    // The default theme under its empty name.
    CHECK(cornersFor("", note, "default", "") == note);
}
