// Overlay costs on this machine: shaping + layout for one recipient, composing the draw list,
// and Vulkan render + readback of a 1920x1080 (and 1280x720) overlay, whole canvas versus only
// the lower-third's band. Run: build/bench/cuecard_bench

#include "core/queue/queue.hpp"
#include "core/render/overlay_composer.hpp"
#include "core/render/overlay_renderer.hpp"
#include "core/theme/theme.hpp"

#include <benchmark/benchmark.h>

#include <memory>

using namespace cuecard;

namespace {

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
        const std::filesystem::path data = CUECARD_BENCH_DATA_DIR;
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

} // namespace

BENCHMARK_MAIN();
