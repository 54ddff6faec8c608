// SPDX-License-Identifier: GPL-2.0-or-later
// Cuecard's OBS source next to OBS's own text_ft2_source showing the same two lines, in the same
// headless libobs (Xvfb + llvmpipe), at 1280x720 and 1920x1080:
//  - render-thread time per frame while static (obs_source_video_render + glFinish)
//  - render-thread time per frame while Cuecard's in-animation runs (text_ft2 has none; its
//    static figure is the reference)
//  - the cost of a recipient switch on the graphics thread, as the source itself measures it
//    (its cuecard_drawing proc): readback path = gs_texture_set_image of the overlay's band;
//    zero-copy path = a GL fence and a pointer swap (the first frame also imports the images).
//    Cuecard renders the new overlay on its worker thread (not on OBS's threads): cuecard_bench.
// Each runs with three themes: text only (`default`), text + the recipient's logo (`logo`), and
// the recipient's website behind the rep, panning (`website`, a 1280x4000 page per recipient),
// and scene text in perspective (`sticky-note`: a group on a quad, a paragraph):
// the switch cost with pictures next to text only, and for `website` the pan's frames per second
// and render-thread cost per pan frame.
// Each canvas size runs once per texture path (zero-copy, readback) and theme, each in a process
// of its own.
// With CUECARD_BENCH_QUEUES="file team" each runs twice: the queue from a file, and the same
// recipients as a team campaign on a PostgreSQL started for it (claimed ahead by the source's
// feed); "hotkey" is how long the next/previous hotkey takes on the thread that presses it.
// "file+db" is the control: the file queue while the same database server runs on this machine
// with the campaign just imported (what the server's own work costs the other rows here).
// Run: tests/obs/run_with_xvfb.sh build/bench/cuecard_obs_bench

#include "core/render/overlay_composer.hpp"
#include "core/team/team_store.hpp"
#include "core/theme/theme.hpp"
#include "core/util/png_io.hpp"
#include "obs/obs_harness.hpp"
#include "team/pg_server.hpp"

#include <graphics/graphics.h>
#include <obs-module.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

/// A built-in theme scaled to another canvas width (every pixel quantity times the factor).
std::string scaledTheme(const std::string &name, double factor, const fs::path &out) {
    // "website-still": the website theme with its pan taken away (the same picture standing).
    const bool still = name == "website-still";
    std::ifstream in(fs::path(CUECARD_BENCH_DATA_DIR) / "themes" /
                     ((still ? std::string("website") : name) + ".json"));
    std::ostringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();
    if (still) {
        text = std::regex_replace(text, std::regex(R"re("pan"\s*:\s*[0-9.]+)re"), R"("pan": 0)");
    }
    const std::regex number(
        R"re(("(x|y|width|height|radius|size|min_size|max_width|blur)"\s*:\s*)(-?[0-9.]+))re");
    std::string result;
    std::sregex_iterator it(text.begin(), text.end(), number);
    std::size_t last = 0;
    for (; it != std::sregex_iterator(); ++it) {
        result += text.substr(last, static_cast<std::size_t>(it->position()) - last);
        const double v = std::stod((*it)[3].str()) * factor;
        char num[32];
        std::snprintf(num, sizeof num, "%.2f", v);
        result += (*it)[1].str() + num;
        last = static_cast<std::size_t>(it->position() + it->length());
    }
    result += text.substr(last);
    // A group's corners too ("quad": [[x, y], ...]).
    const std::regex quad(R"re("quad"\s*:\s*\[[^"]*?\]\s*\])re");
    std::smatch m;
    if (std::regex_search(result, m, quad)) {
        const std::string corners = m.str();
        std::string scaled;
        const std::regex value(R"re(-?[0-9.]+)re");
        std::size_t at = 0;
        for (std::sregex_iterator v(corners.begin(), corners.end(), value);
             v != std::sregex_iterator(); ++v) {
            scaled += corners.substr(at, static_cast<std::size_t>(v->position()) - at);
            char num[32];
            std::snprintf(num, sizeof num, "%.2f", std::stod(v->str()) * factor);
            scaled += num;
            at = static_cast<std::size_t>(v->position() + v->length());
        }
        scaled += corners.substr(at);
        result.replace(static_cast<std::size_t>(m.position()), corners.size(), scaled);
    }
    std::ofstream(out) << result;
    return out.string();
}

struct Row {
    int width;
    double cueStatic, ftStatic, cueAnim, cueSwitch, firstFrame, panFps, hotkeyMs;
    double cuePan; ///< render-thread ms per frame during a pan (website), else 0
    /// sticky-note: render-thread ms per frame while a corner is dragged, and the frames
    /// rendered by the worker and put on screen per second of the drag; else 0
    double dragFrame, dragRenders;
    double dragStill; ///< the same loop as dragFrame with no corner moving
    std::string band;
    std::string queue;
    std::string path;
    std::string theme;
};

/// The e2e queue with pictures of its own: a logo (512x256, a color each) and a website page
/// (1280x4000, a gradient each) per recipient, as files next to the queue.
std::string queueWithPictures(const fs::path &out) {
    const fs::path dir = out / "queue";
    fs::create_directories(dir);
    std::ifstream in(CUECARD_BENCH_SOURCE_DIR "/tests/e2e/queue.csv");
    std::ofstream csv(dir / "queue.csv");
    std::string line;
    int row = 0;
    while (std::getline(in, line)) {
        if (row == 0) {
            csv << line << ",logo,website_image\n";
        } else {
            const std::string logo = "logo-" + std::to_string(row) + ".png";
            const std::string site = "site-" + std::to_string(row) + ".png";
            cuecard::Image l(512, 256);
            cuecard::fill(l, static_cast<std::uint8_t>(40 * row), 90, 200);
            (void)cuecard::writePng(l, dir / logo, true);
            cuecard::Image w(1280, 4000);
            for (int y = 0; y < w.height; ++y) {
                for (int x = 0; x < w.width; ++x) {
                    std::uint8_t *px = w.at(x, y);
                    px[0] = static_cast<std::uint8_t>(y * 255 / w.height);
                    px[1] = static_cast<std::uint8_t>(x * 255 / w.width);
                    px[2] = static_cast<std::uint8_t>(30 * row);
                    px[3] = 255;
                }
            }
            (void)cuecard::writePng(w, dir / site, true);
            csv << line << "," << logo << "," << site << "\n";
        }
        ++row;
    }
    return (dir / "queue.csv").string();
}

/// The source's own account: mean graphics-thread ms per new frame, and how it drew.
double switchMsOf(obs_source_t *source, long long &zeroCopy, long long &readback, double &firstMs) {
    calldata_t cd;
    calldata_init(&cd);
    proc_handler_call(obs_source_get_proc_handler(source), "cuecard_drawing", &cd);
    const double v = calldata_float(&cd, "switch_ms");
    firstMs = calldata_float(&cd, "first_frame_ms");
    zeroCopy = calldata_int(&cd, "zero_copy_frames");
    readback = calldata_int(&cd, "readback_frames");
    calldata_free(&cd);
    return v;
}

/// One canvas size and texture path per process: text-freetype2 cannot be loaded twice in one
/// process, and the path is chosen when the source is created.
/// The queue as a team campaign "bench" on `pg`, for rep "bench_rep": its URI.
std::string campaignOf(const cuecard::test::PgServer &pg, const std::string &queueFile) {
    auto lead = cuecard::PgConnection::connect(pg.conninfo());
    if (!lead) {
        std::printf("PostgreSQL: %s\n", lead.message().c_str());
        return {};
    }
    cuecard::PgConnection &db = *lead.value();
    auto applied = cuecard::applyMigrations(db, {fs::path(CUECARD_BENCH_DATA_DIR)});
    auto rep = cuecard::addRep(db, "bench_rep");
    auto imported = cuecard::importCampaign(db, "bench", cuecard::readQueue(queueFile), "");
    if (!applied || !rep || !imported) {
        std::printf("campaign: %s %s %s\n", applied.message().c_str(), rep.message().c_str(),
                    imported.message().c_str());
        return {};
    }
    return pg.queueUri("bench_rep", "bench");
}

int measure(int width, const std::string &path, const std::string &themeName,
            const std::string &queueKind) {
    if (path == "readback") {
        setenv("CUECARD_TEXTURE_PATH", "readback", 1);
    }
    const fs::path out = fs::temp_directory_path() / "cuecard-obs-bench";
    fs::create_directories(out);
    std::string queue = themeName == "default"
                            ? std::string(CUECARD_BENCH_SOURCE_DIR "/tests/e2e/queue.csv")
                            : queueWithPictures(out);
    std::unique_ptr<cuecard::test::PgServer> pg;
    if (queueKind == "team" || queueKind == "file+db") {
        pg = std::make_unique<cuecard::test::PgServer>();
        const std::string campaign = campaignOf(*pg, queue);
        if (campaign.empty()) {
            return 1;
        }
        if (queueKind == "team") {
            queue = campaign;
        }
    }
    const std::string themeFile =
        scaledTheme(themeName, width / 1920.0,
                    out / ("theme-" + themeName + "-" + std::to_string(width) + ".json"));
    {
        const int height = width * 9 / 16;
        cuecard::test::ObsHarness obs;
        if (const std::string e = obs.start(width, height, width, height, 30); !e.empty()) {
            std::printf("libobs could not start: %s\n", e.c_str());
            return 1;
        }
        if (!obs.loadModule(CUECARD_BENCH_PLUGIN_BINARY, CUECARD_BENCH_PLUGIN_DATA) ||
            !obs.loadModule("/usr/lib/x86_64-linux-gnu/obs-plugins/text-freetype2.so",
                            "/usr/share/obs/obs-plugins/text-freetype2")) {
            std::printf("cannot load the modules\n");
            return 1;
        }
        const double factor = width / 1920.0;
        obs_data_t *cs = obs_data_create();
        obs_data_set_string(cs, "queue_path", queue.c_str());
        obs_data_set_string(cs, "theme", themeFile.c_str());
        obs_source_t *cue = obs.createSource("cuecard_overlay", "cue", cs);
        obs_data_release(cs);

        obs_data_t *ts = obs_data_create();
        obs_data_t *font = obs_data_create();
        obs_data_set_string(font, "face", "Inter");
        obs_data_set_string(font, "style", "Bold");
        obs_data_set_int(font, "size", static_cast<int>(std::lround(64 * factor)));
        obs_data_set_int(font, "flags", 1);
        obs_data_set_obj(ts, "font", font);
        obs_data_release(font);
        obs_data_set_string(ts, "text", "Jane Doe\nVP Marketing  ·  Acme Corp");
        obs_data_set_bool(ts, "drop_shadow", true);
        obs_source_t *ft = obs.createSource("text_ft2_source_v2", "ft", ts);
        obs.addToScene(cue);
        obs.addToScene(ft);
        std::this_thread::sleep_for(std::chrono::seconds(2)); // first overlay rendered

        Row r{};
        r.width = width;
        r.theme = themeName;
        r.queue = queueKind;
        obs.renderMs(cue, 20); // warm-up
        obs.renderMs(ft, 20);
        r.cueStatic = obs.renderMs(cue, 300);
        r.ftStatic = obs.renderMs(ft, 300);

        // Animating: hide and show again, then measure during the 0.35 s slide-in.
        obs.triggerHotkey("cuecard.toggle");
        std::this_thread::sleep_for(std::chrono::milliseconds(600));
        obs.triggerHotkey("cuecard.toggle");
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
        const auto animStart = Clock::now();
        double animTotal = 0;
        int animFrames = 0;
        while (ms(animStart, Clock::now()) < 300.0) {
            animTotal += obs.renderMs(cue, 1);
            ++animFrames;
        }
        r.cueAnim = animTotal / animFrames;

        // Switches: next/previous alternately, each left on screen for a while; the source
        // times its own graphics-thread work for every new frame.
        double hotkeyTotal = 0;
        for (int i = 0; i < 24; ++i) {
            const auto pressed = Clock::now();
            obs.triggerHotkey(i % 2 == 0 ? "cuecard.next" : "cuecard.previous");
            hotkeyTotal += ms(pressed, Clock::now());
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
        r.hotkeyMs = hotkeyTotal / 24;
        long long zeroCopy = 0;
        long long readback = 0;
        r.cueSwitch = switchMsOf(cue, zeroCopy, readback, r.firstFrame);
        if (themeName == "website") {
            // A pan: frames of the same recipient as fast as the worker renders them, each shown
            // without a switch. Counted over 3 s of it.
            double unused = 0;
            long long z0 = 0;
            long long r0 = 0;
            (void)switchMsOf(cue, z0, r0, unused);
            obs.triggerHotkey("cuecard.next");
            // Until the new recipient is on screen (their layers, or the pan's first frame).
            const auto pressed = Clock::now();
            for (long long z = z0, rb = r0;
                 z + rb == z0 + r0 && ms(pressed, Clock::now()) < 5000;) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                (void)switchMsOf(cue, z, rb, unused);
            }
            // Then its 0.3 s fade-in: renderMs draws without ticks, so a fade still at its
            // start would draw nothing at all.
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            (void)switchMsOf(cue, z0, r0, unused);
            const auto panStart = Clock::now();
            r.cuePan = obs.renderMs(cue, 60); // the render thread's frames during the pan
            std::this_thread::sleep_until(panStart + std::chrono::seconds(3));
            long long z1 = 0;
            long long r1 = 0;
            r.cueSwitch = switchMsOf(cue, z1, r1, unused); // now mostly pan frames
            r.panFps = static_cast<double>((z1 + r1) - (z0 + r0)) / 3.0;
            zeroCopy = z1;
            readback = r1;
        }
        if (themeName == "sticky-note") {
            // A corner dragged in the Interact window, moved before every frame for 2 s; first
            // the same loop standing still (renderMs one frame at a time, as the drag is timed).
            const auto timed = [&](const std::function<void(int)> &before) {
                const auto start = Clock::now();
                double total = 0;
                int frames = 0;
                while (ms(start, Clock::now()) < 2000.0) {
                    before(frames);
                    total += obs.renderMs(cue, 1);
                    ++frames;
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                }
                return total / frames;
            };
            r.dragStill = timed([](int) {});
            double unused = 0;
            long long z0 = 0;
            long long r0 = 0;
            (void)switchMsOf(cue, z0, r0, unused);
            obs_mouse_event event{};
            const int cornerX = static_cast<int>(std::lround(1760 * factor)); // top-right
            const int cornerY = static_cast<int>(std::lround(205 * factor));
            event.x = cornerX;
            event.y = cornerY;
            obs_source_send_mouse_click(cue, &event, MOUSE_LEFT, false, 1);
            event.x += 1;
            obs_source_send_mouse_move(cue, &event, false);
            // Until the drag's first frame is on screen (the layers, or a render per move).
            const auto pressed = Clock::now();
            for (long long z = z0, rb = r0;
                 z + rb == z0 + r0 && ms(pressed, Clock::now()) < 5000;) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                (void)switchMsOf(cue, z, rb, unused);
            }
            (void)switchMsOf(cue, z0, r0, unused);
            const auto dragStart = Clock::now();
            r.dragFrame = timed([&](int frame) {
                event.x = cornerX + frame % 40;
                event.y = cornerY - frame % 40;
                obs_source_send_mouse_move(cue, &event, false);
            });
            long long z1 = 0;
            long long r1 = 0;
            (void)switchMsOf(cue, z1, r1, unused);
            obs_source_send_mouse_click(cue, &event, MOUSE_LEFT, true, 1);
            r.dragRenders =
                static_cast<double>((z1 + r1) - (z0 + r0)) / (ms(dragStart, Clock::now()) / 1000.0);
        }
        r.path = path + "(" + std::to_string(zeroCopy) + "zc/" + std::to_string(readback) + "rb)";
        {
            auto fonts =
                cuecard::FontCollection::create({fs::path(CUECARD_BENCH_DATA_DIR) / "fonts"});
            cuecard::GlyphCache glyphs(*fonts.value());
            cuecard::OverlayComposer composer(*fonts.value(), glyphs);
            auto theme = cuecard::loadTheme(themeFile, {});
            cuecard::Recipient jane;
            jane.set("full_name", "Jane Doe");
            jane.set("title", "VP Marketing");
            jane.set("company", "Acme Corp");
            auto composed = composer.compose(theme.value(), jane, width, height);
            const cuecard::PixelRect band = composed->drawList.bounds(width, height);
            r.band = std::to_string(band.width) + "x" + std::to_string(band.height);
        }
        // text_ft2's own switch (obs_source_update) is deferred by libobs into the source's next
        // tick inside OBS's render loop, through functions libobs does not export, so it cannot
        // be timed from here; OBS's average frame time did not resolve either switch above the
        // noise on this machine (see the closing note).

        std::printf("ROW %d %.4f %.4f %.4f %.4f %.4f %.2f %.4f %.4f %.4f %.4f %.2f %s %s %s %s\n",
                    r.width, r.cueStatic, r.ftStatic, r.cueAnim, r.cueSwitch, r.firstFrame,
                    r.panFps, r.hotkeyMs, r.cuePan, r.dragStill, r.dragFrame, r.dragRenders,
                    r.band.c_str(), r.path.c_str(), r.theme.c_str(), r.queue.c_str());
    }
    return 0;
}

} // namespace

int main(int argc, char **argv) {
    if (argc > 4) {
        return measure(std::atoi(argv[1]), argv[2], argv[3], argv[4]);
    }
    std::vector<Row> rows;
    // CUECARD_BENCH_THEMES="default sticky-note" measures only those.
    std::vector<std::string> themes = {"default", "logo", "website", "sticky-note"};
    if (const char *only = std::getenv("CUECARD_BENCH_THEMES"); only != nullptr && *only) {
        std::istringstream in(only);
        themes.assign(std::istream_iterator<std::string>(in), {});
    }
    std::vector<std::string> queues = {"file"};
    if (const char *only = std::getenv("CUECARD_BENCH_QUEUES"); only != nullptr && *only) {
        std::istringstream in(only);
        queues.assign(std::istream_iterator<std::string>(in), {});
    }
    for (const std::string &theme : themes)
        for (const char *path : {"zero-copy", "readback"})
            for (int width : {1280, 1920})
                for (const std::string &queueKind : queues) {
                    const std::string cmd = "'" + fs::read_symlink("/proc/self/exe").string() +
                                            "' " + std::to_string(width) + " " + path + " " +
                                            theme + " " + queueKind + " 2>/dev/null";
                    FILE *p = popen(cmd.c_str(), "r");
                    char line[512];
                    while (p != nullptr && std::fgets(line, sizeof line, p) != nullptr) {
                        Row r{};
                        char band[32] = {0};
                        char how[64] = {0};
                        char name[32] = {0};
                        char kind[16] = {0};
                        if (std::sscanf(line,
                                        "ROW %d %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %31s "
                                        "%63s %31s %15s",
                                        &r.width, &r.cueStatic, &r.ftStatic, &r.cueAnim,
                                        &r.cueSwitch, &r.firstFrame, &r.panFps, &r.hotkeyMs,
                                        &r.cuePan, &r.dragStill, &r.dragFrame, &r.dragRenders, band,
                                        how, name, kind) == 16) {
                            r.band = band;
                            r.path = how;
                            r.theme = name;
                            r.queue = kind;
                            rows.push_back(r);
                        }
                    }
                    if (p != nullptr) {
                        pclose(p);
                    }
                }
    std::printf("\nRender-thread cost per frame (ms, mean; llvmpipe OpenGL on this CPU)\n");
    std::printf("%-13s %-7s %-7s %-22s %9s %9s %6s | %9s %6s | %11s %11s | %7s %9s | %8s %10s "
                "%8s | %8s\n",
                "theme", "queue", "canvas", "path (frames)", "cuecard", "text_ft2", "ratio",
                "cue anim", "ratio", "cue switch", "1st frame", "pan fps", "pan frame", "still",
                "drag frame", "drag fps", "hotkey");
    for (const Row &r : rows) {
        std::printf(
            "%-13s %-7s %-7s %-22s %9.3f %9.3f %6.2f | %9.3f %6.2f | %11.4f %11.4f | %7.1f %9.3f "
            "| %8.3f %10.3f %8.1f | %8.4f\n",
            r.theme.c_str(), r.queue.c_str(), (std::to_string(r.width) + "p").c_str(),
            r.path.c_str(), r.cueStatic, r.ftStatic, r.cueStatic / r.ftStatic, r.cueAnim,
            r.cueAnim / r.ftStatic, r.cueSwitch, r.firstFrame, r.panFps, r.cuePan, r.dragStill,
            r.dragFrame, r.dragRenders, r.hotkeyMs);
    }
    for (const Row &r : rows) {
        std::printf("%s %dp: cuecard draws and uploads only the overlay's band, %s px\n",
                    r.theme.c_str(), r.width, r.band.c_str());
    }
    std::printf(
        "(ratios: cuecard / text_ft2 static. cue switch: the render thread's mean work per new "
        "frame as the source measures it: readback = the band's gs_texture_set_image, "
        "zero-copy = fence + swap; 1st frame: creating (readback) or importing (zero-copy) the "
        "textures, once per source; for website: per new frame during the pan, pan fps = "
        "pan frames rendered and shown per second (0 where OBS draws the pan from layers "
        "uploaded once; CUECARD_PAN_PATH=frames renders one per step instead), pan frame = the "
        "render thread's mean cost per frame while it pans, next to cuecard's static cost of "
        "website-still, the same theme without a pan; for sticky-note: drag frame = the render "
        "thread's mean cost per frame while a corner is dragged (moved before every frame), next "
        "to still, the same loop with no corner moving, and drag fps = frames the worker rendered "
        "and OBS put on screen per "
        "second of the drag (0 where OBS draws the drag from layers rendered once; "
        "CUECARD_DRAG_PATH=frames renders one per move instead); composing and "
        "rendering the new overlay happen on Cuecard's worker thread, see cuecard_bench)\n");
    return 0;
}
