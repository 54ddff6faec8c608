// SPDX-License-Identifier: GPL-2.0-or-later
// Overlay costs on this machine: shaping + layout for one recipient, composing the draw list,
// and Vulkan render + readback of a 1920x1080 (and 1280x720) overlay, whole canvas versus only
// the lower-third's band; pictures: decoding one, a recipient's switch with their logo next to
// text only (compose + resample + upload + render), and one frame of a website pan.
// Run: build/bench/cuecard_bench

#include "core/picture/picture_decode.hpp"
#include "core/picture/recipient_pictures.hpp"
#include "core/queue/queue.hpp"
#include "core/render/overlay_composer.hpp"
#include "core/render/overlay_renderer.hpp"
#include "core/render/pan_layers.hpp"
#include "core/render/warp_layers.hpp"
#include "core/theme/theme.hpp"
#include "core/util/png_io.hpp"
#include "core/util/read_file.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <optional>

using namespace cuecard;

namespace {

/// The staged data folder (themes, fonts, samples): the build's, or CUECARD_BENCH_DATA_DIR's
/// when set (the GPU bundle, scripts/gpu-bundle.sh, runs far from the build folder).
std::filesystem::path benchData() {
    const char *v = std::getenv("CUECARD_BENCH_DATA_DIR");
    return v != nullptr && *v != '\0' ? std::filesystem::path(v)
                                      : std::filesystem::path(CUECARD_BENCH_DATA_DIR);
}

struct Fixture {
    std::unique_ptr<FontCollection> fonts;
    std::unique_ptr<GlyphCache> glyphs;
    std::unique_ptr<OverlayComposer> composer;
    std::shared_ptr<VulkanContext> gpu;
    Theme theme;
    std::vector<Recipient> recipients;

    static Fixture &get() {
        static Fixture f;
        return f;
    }

  private:
    Fixture() {
        const std::filesystem::path data = benchData();
        fonts = std::move(FontCollection::create({data / "fonts"}).value());
        glyphs = std::make_unique<GlyphCache>(*fonts);
        composer = std::make_unique<OverlayComposer>(*fonts, *glyphs);
        theme = std::move(loadTheme("default", {data}).value());
        recipients =
            std::move(loadQueueFile(data / "samples" / "recipients.csv").value().recipients);
        if (auto ctx = VulkanContext::create()) {
            gpu = ctx.value();
        }
    }
};

void BM_ShapeAndLayoutOneRecipient(benchmark::State &state) {
    auto &f = Fixture::get();
    std::size_t i = 0;
    for (auto _ : state) {
        const Recipient &r = f.recipients[i++ % f.recipients.size()];
        for (const auto &e : f.theme.elements) {
            if (const auto *t = std::get_if<TextElement>(&e)) {
                auto laid = f.composer->layout(f.theme, *t, t->expand(r), 1.0f);
                benchmark::DoNotOptimize(laid);
            }
        }
    }
    state.SetLabel("default theme, 2 text lines, cycling the 9 sample recipients");
}
BENCHMARK(BM_ShapeAndLayoutOneRecipient)->Unit(benchmark::kMicrosecond);

void BM_RasterizeGlyphSdfCold(benchmark::State &state) {
    // FreeType's SDF renderer on a glyph not yet in the atlas: the cost a new name pays once.
    auto &f = Fixture::get();
    GlyphCache cache(*f.fonts);
    const FontId inter = f.fonts->resolve({"Inter", 700, false}).value();
    std::uint32_t glyph = 1;
    for (auto _ : state) {
        if (glyph > 2000) {
            state.PauseTiming();
            cache.clear();
            glyph = 1;
            state.ResumeTiming();
        }
        auto g = cache.get(inter, glyph++);
        benchmark::DoNotOptimize(g);
    }
    state.SetLabel("Inter Bold, base 48 px, spread 8");
}
BENCHMARK(BM_RasterizeGlyphSdfCold)->Unit(benchmark::kMicrosecond);

void BM_ComposeDrawList(benchmark::State &state) {
    auto &f = Fixture::get();
    for (const auto &r : f.recipients) { // warm the atlas: a switch never rasterizes
        (void)f.composer->compose(f.theme, r, 1920, 1080);
    }
    std::size_t i = 0;
    for (auto _ : state) {
        auto composed =
            f.composer->compose(f.theme, f.recipients[i++ % f.recipients.size()], 1920, 1080);
        benchmark::DoNotOptimize(composed);
    }
    state.SetLabel("layout + glyph lookups (atlas warm) + quads");
}
BENCHMARK(BM_ComposeDrawList)->Unit(benchmark::kMicrosecond);

void renderBench(benchmark::State &state, bool bandOnly) {
    auto &f = Fixture::get();
    if (!f.gpu) {
        state.SkipWithError("no Vulkan device");
        return;
    }
    const int width = static_cast<int>(state.range(0));
    const int height = width * 9 / 16;
    auto renderer = OverlayRenderer::create(f.gpu, width, height, f.glyphs->atlas().width());
    if (!renderer) {
        state.SkipWithError(renderer.message().c_str());
        return;
    }
    auto composed = f.composer->compose(f.theme, f.recipients.front(), width, height);
    const PixelRect band = composed->drawList.bounds(width, height);
    const PixelRect region = bandOnly ? band : PixelRect{};
    (void)renderer.value()->render(composed->drawList, f.glyphs->atlas(), region); // warm-up
    for (auto _ : state) {
        auto image = renderer.value()->render(composed->drawList, f.glyphs->atlas(), region);
        benchmark::DoNotOptimize(image);
    }
    const int rows = bandOnly ? band.height : height;
    const int cols = bandOnly ? band.width : width;
    state.counters["pixels"] = static_cast<double>(rows) * cols;
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * rows * cols * 4);
    state.SetLabel(bandOnly ? "lower-third band only" : "whole canvas");
}

void BM_RenderReadbackFull(benchmark::State &state) {
    renderBench(state, false);
}
void BM_RenderReadbackBand(benchmark::State &state) {
    renderBench(state, true);
}
BENCHMARK(BM_RenderReadbackFull)->Arg(1920)->Arg(1280)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderReadbackBand)->Arg(1920)->Arg(1280)->Unit(benchmark::kMillisecond);

/// The zero-copy path's worker side: the band drawn straight into a shared (exportable) image,
/// alternating between two images as the worker does; nothing read back.
void BM_RenderIntoSharedImage(benchmark::State &state) {
    auto &f = Fixture::get();
    if (!f.gpu || !f.gpu->canExportMemory()) {
        state.SkipWithError(f.gpu ? f.gpu->exportError().c_str() : "no Vulkan device");
        return;
    }
    const int width = static_cast<int>(state.range(0));
    const int height = width * 9 / 16;
    auto renderer = OverlayRenderer::create(f.gpu, width, height, f.glyphs->atlas().width());
    if (!renderer || !renderer.value()->createSharedImages(2)) {
        state.SkipWithError("cannot create shared images");
        return;
    }
    auto composed = f.composer->compose(f.theme, f.recipients.front(), width, height);
    const PixelRect band = composed->drawList.bounds(width, height);
    for (int slot : {0, 1}) { // warm-up: the first use clears each image whole
        (void)renderer.value()->renderShared(slot, composed->drawList, f.glyphs->atlas(), band);
    }
    int slot = 0;
    for (auto _ : state) {
        Status s =
            renderer.value()->renderShared(slot, composed->drawList, f.glyphs->atlas(), band);
        benchmark::DoNotOptimize(s);
        slot ^= 1;
    }
    state.counters["pixels"] = static_cast<double>(band.width) * band.height;
    state.SetLabel("lower-third band, no readback");
}
BENCHMARK(BM_RenderIntoSharedImage)->Arg(1920)->Arg(1280)->Unit(benchmark::kMillisecond);

/// A picture as a file would hold it: `w`×`h`, a gradient (not a flat color, which PNG would
/// squeeze to nothing), PNG-encoded.
std::string pngBytes(int w, int h, int seed) {
    Image img(w, h);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            std::uint8_t *p = img.at(x, y);
            p[0] = static_cast<std::uint8_t>((x * 7 + seed * 40) & 0xFF);
            p[1] = static_cast<std::uint8_t>((y * 3) & 0xFF);
            p[2] = static_cast<std::uint8_t>(((x ^ y) + seed) & 0xFF);
            p[3] = 255;
        }
    }
    const auto path = std::filesystem::temp_directory_path() /
                      ("cuecard-bench-" + std::to_string(w) + "x" + std::to_string(h) + "-" +
                       std::to_string(seed) + ".png");
    (void)writePng(img, path, true);
    auto bytes = readFile(path);
    std::filesystem::remove(path);
    return bytes ? *bytes : std::string();
}

void BM_DecodePicture(benchmark::State &state) {
    const int which = static_cast<int>(state.range(0));
    std::string bytes;
    if (which == 0) {
        bytes = pngBytes(512, 256, 1);
        state.SetLabel("logo PNG 512x256");
    } else if (which == 1) {
        bytes = pngBytes(1280, 4000, 1);
        state.SetLabel("website page PNG 1280x4000");
    } else {
        auto svg = readFile(benchData() / "themes" / "images" / "logo-placeholder.svg");
        bytes = svg ? *svg : std::string();
        state.SetLabel("logo SVG (librsvg, 512 px wide)");
    }
    for (auto _ : state) {
        auto image = decodePicture(bytes, "bench");
        benchmark::DoNotOptimize(image);
    }
}
BENCHMARK(BM_DecodePicture)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

/// What the worker does for a switch, at 1920x1080, band read back: `logo` theme with each
/// recipient's own logo (fit, resample, pack, upload, draw) next to `default` (text only). Two
/// recipients alternate, so nothing is reused from the previous frame.
void switchBench(benchmark::State &state, bool pictures) {
    auto &f = Fixture::get();
    if (!f.gpu) {
        state.SkipWithError("no Vulkan device");
        return;
    }
    const std::filesystem::path data = benchData();
    const Theme theme = pictures ? loadTheme("logo", {data}).value() : f.theme;
    std::vector<std::shared_ptr<const RecipientPictures>> logos;
    for (int seed : {1, 2}) {
        auto p = std::make_shared<RecipientPictures>();
        for (std::size_t i = 0; i < theme.elements.size(); ++i) {
            if (std::holds_alternative<ImageElement>(theme.elements[i])) {
                p->images[i] = std::make_shared<const Image>(
                    decodePicture(pngBytes(512, 256, seed), "logo").value());
            }
        }
        logos.push_back(std::move(p));
    }
    auto renderer = OverlayRenderer::create(f.gpu, 1920, 1080, f.glyphs->atlas().width());
    if (!renderer) {
        state.SkipWithError(renderer.message().c_str());
        return;
    }
    std::size_t i = 0;
    for (auto _ : state) {
        const Recipient &r = f.recipients[i % 2];
        auto composed =
            f.composer->compose(theme, r, 1920, 1080, pictures ? logos[i % 2].get() : nullptr);
        auto image = renderer.value()->render(composed->drawList, f.glyphs->atlas(),
                                              composed->drawList.bounds(1920, 1080));
        benchmark::DoNotOptimize(image);
        ++i;
    }
}
void BM_SwitchTextOnly(benchmark::State &state) {
    switchBench(state, false);
    state.SetLabel("default theme: compose + render + readback of the band");
}
void BM_SwitchWithLogo(benchmark::State &state) {
    switchBench(state, true);
    state.SetLabel("logo theme, own 512x256 logo each: + fit, resample, pack, upload");
}
BENCHMARK(BM_SwitchTextOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SwitchWithLogo)->Unit(benchmark::kMillisecond);

/// The website theme with a 1280x4000 page and a 1920x1080 renderer (nullopt: skipped).
struct WebsiteBench {
    Theme theme;
    RecipientPictures site;
    std::unique_ptr<OverlayRenderer> renderer;
};
std::optional<WebsiteBench> websiteBench(benchmark::State &state) {
    auto &f = Fixture::get();
    if (!f.gpu) {
        state.SkipWithError("no Vulkan device");
        return std::nullopt;
    }
    WebsiteBench w{loadTheme("website", {benchData()}).value(), {}, nullptr};
    for (std::size_t i = 0; i < w.theme.elements.size(); ++i) {
        if (std::holds_alternative<ImageElement>(w.theme.elements[i])) {
            w.site.images[i] = std::make_shared<const Image>(
                decodePicture(pngBytes(1280, 4000, 3), "site").value());
        }
    }
    auto renderer = OverlayRenderer::create(f.gpu, 1920, 1080, f.glyphs->atlas().width());
    if (!renderer) {
        state.SkipWithError(renderer.message().c_str());
        return std::nullopt;
    }
    w.renderer = std::move(renderer.value());
    return w;
}

/// One frame of the website theme's pan at 1920x1080: compose at a later time + render +
/// readback; the packed picture texture is the same every frame (no resample, no upload).
void BM_WebsitePanFrame(benchmark::State &state) {
    auto &f = Fixture::get();
    auto bench = websiteBench(state);
    if (!bench) {
        return;
    }
    const Theme &theme = bench->theme;
    const RecipientPictures &site = bench->site;
    OverlayRenderer &renderer = *bench->renderer;
    // Warm: the page resampled and packed, the glyphs in the atlas (a switch's work, not a pan
    // frame's).
    (void)f.composer->compose(theme, f.recipients.front(), 1920, 1080, &site, 0.0);
    double t = 0.0;
    for (auto _ : state) {
        auto composed = f.composer->compose(theme, f.recipients.front(), 1920, 1080, &site, t);
        auto image = renderer.render(composed->drawList, f.glyphs->atlas(),
                                     composed->drawList.bounds(1920, 1080));
        benchmark::DoNotOptimize(image);
        t += 1.0 / 30.0;
    }
    state.SetLabel("website theme, 1664x920 window into a 1280x4000 page, band read back");
}
BENCHMARK(BM_WebsitePanFrame)->Unit(benchmark::kMillisecond);

/// The same pan drawn by its receiver (OBS): once per recipient, after composing their frame,
/// the worker renders what lies under and over the page (each read back over its own bounds)
/// and cuts the piece out; every frame of the pan after that costs the worker nothing (OBS's
/// render thread draws three textures with a new offset: cuecard_obs_bench's "pan frame").
void BM_WebsitePanLayers(benchmark::State &state) {
    auto &f = Fixture::get();
    auto bench = websiteBench(state);
    if (!bench) {
        return;
    }
    const Theme &theme = bench->theme;
    const RecipientPictures &site = bench->site;
    OverlayRenderer &renderer = *bench->renderer;
    auto composed = f.composer->compose(theme, f.recipients.front(), 1920, 1080, &site, 0.0);
    for (auto _ : state) {
        auto layers = renderPanLayers(renderer, composed->drawList, f.glyphs->atlas());
        benchmark::DoNotOptimize(layers);
    }
    state.SetLabel("website theme, once per recipient: under + over rendered and read back, the "
                   "1664x3072 piece cut out; per pan frame: nothing");
}
BENCHMARK(BM_WebsitePanLayers)->Unit(benchmark::kMillisecond);

/// The sticky-note theme, a 1920x1080 renderer and a recipient with talking points; nullopt
/// (the state told why) without a Vulkan device.
struct StickyBench {
    Theme theme;
    Quad quad;
    std::unique_ptr<OverlayRenderer> renderer;
    Recipient jane;
};
std::optional<StickyBench> stickyBench(benchmark::State &state) {
    auto &f = Fixture::get();
    if (!f.gpu) {
        state.SkipWithError("no Vulkan device");
        return std::nullopt;
    }
    StickyBench b;
    b.theme = loadTheme("sticky-note", {benchData()}).value();
    b.quad = *b.theme.layers.front().quad;
    auto renderer = OverlayRenderer::create(f.gpu, 1920, 1080, f.glyphs->atlas().width());
    if (!renderer) {
        state.SkipWithError(renderer.message().c_str());
        return std::nullopt;
    }
    b.renderer = std::move(renderer.value());
    b.jane = f.recipients.front();
    b.jane.set("talking_points",
               "Congrats on the Q3 launch; a pilot with your data team could start in May");
    return b;
}

/// Scene text at 1920x1080: the sticky-note theme (a group in perspective, a paragraph) composed
/// and rendered, band read back. Arg 0: the group flat (its quad taken away), 1: in
/// perspective (the homography in the vertex shader), 2: in perspective with a corner moving
/// every frame (what dragging it in OBS's Interact window costs the worker).
void BM_StickyNote(benchmark::State &state) {
    auto &f = Fixture::get();
    auto bench = stickyBench(state);
    if (!bench) {
        return;
    }
    Theme &theme = bench->theme;
    const Quad quad = bench->quad;
    const Recipient &jane = bench->jane;
    OverlayRenderer &renderer = *bench->renderer;
    const int mode = static_cast<int>(state.range(0));
    if (mode == 0) {
        theme.layers.front().quad.reset();
    }
    int step = 0;
    for (auto _ : state) {
        if (mode == 2) {
            Quad moved = quad;
            moved[1].x += static_cast<float>(step % 40);
            moved[1].y -= static_cast<float>(step % 40);
            (void)theme.placeFirstGroup(moved);
            ++step;
        }
        auto composed = f.composer->compose(theme, jane, 1920, 1080);
        auto image = renderer.render(composed->drawList, f.glyphs->atlas(),
                                     composed->drawList.bounds(1920, 1080));
        benchmark::DoNotOptimize(image);
    }
    state.SetLabel(mode == 0   ? "flat (no quad)"
                   : mode == 1 ? "in perspective"
                               : "in perspective, a corner moving every frame");
}
BENCHMARK(BM_StickyNote)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

/// The same drag drawn by its receiver (OBS): when the rep grabs a corner the worker renders the
/// note flat once, and what lies under and over it (arg 0, once per drag); every frame of the
/// drag after that is only placing the note on the corners so far (arg 1: the homography and its
/// inverse, on OBS's graphics thread) and one draw with those uniforms (cuecard_obs_bench's "drag
/// frame"). The worker does nothing per frame.
void BM_StickyNoteDrag(benchmark::State &state) {
    auto &f = Fixture::get();
    auto bench = stickyBench(state);
    if (!bench) {
        return;
    }
    const Theme &theme = bench->theme;
    const Quad quad = bench->quad;
    const Recipient &jane = bench->jane;
    OverlayRenderer &renderer = *bench->renderer;
    auto composed = f.composer->compose(theme, jane, 1920, 1080);
    auto layers = renderWarpLayers(renderer, composed->drawList, f.glyphs->atlas());
    if (!layers) {
        state.SkipWithError(layers.message().c_str());
        return;
    }
    int step = 0;
    for (auto _ : state) {
        if (state.range(0) == 0) {
            auto again = f.composer->compose(theme, jane, 1920, 1080);
            auto once = renderWarpLayers(renderer, again->drawList, f.glyphs->atlas());
            benchmark::DoNotOptimize(once);
        } else {
            Quad moved = quad;
            moved[1].x += static_cast<float>(step % 40);
            moved[1].y -= static_cast<float>(step % 40);
            ++step;
            auto placed = layers->place(moved);
            benchmark::DoNotOptimize(placed);
        }
    }
    state.SetLabel(state.range(0) == 0 ? "once per drag: composed, the note flat rendered and read "
                                         "back (600x600), nothing under or over it"
                                       : "per frame of the drag: the note placed on the corners "
                                         "so far (CPU); the worker renders nothing");
}
BENCHMARK(BM_StickyNoteDrag)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
