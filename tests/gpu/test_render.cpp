// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/queue.hpp"
#include "core/theme/theme.hpp"
#include "gpu/gpu_support.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <cstring>

using namespace cuecard;

namespace {

using test::person;

Image renderWith(OverlayRenderer &renderer, test::TextStack &stack, const Theme &theme,
                 const Recipient &r, PixelRect region = {}) {
    auto composed = stack.composer->compose(theme, r, renderer.width(), renderer.height());
    REQUIRE(composed.ok());
    auto image = renderer.render(composed->drawList, stack.glyphs->atlas(), region);
    REQUIRE_MESSAGE(image.ok(), image.message());
    return std::move(image.value());
}

} // namespace

TEST_CASE("render: an opaque box lands on the right pixels, premultiplied") {
    test::TextStack stack;
    auto theme = parseTheme(R"({"cuecard_theme":1,"canvas":{"width":200,"height":100},
        "elements":[{"type":"box","x":20,"y":10,"width":100,"height":50,"fill":"#FF0000"},
                    {"type":"box","x":140,"y":10,"width":40,"height":40,"fill":"#0000FF80"}]})",
                            "t.json");
    REQUIRE(theme.ok());
    auto renderer = OverlayRenderer::create(test::gpu(), 200, 100, 2048);
    REQUIRE(renderer.ok());
    Image img = renderWith(*renderer.value(), stack, theme.value(), Recipient{});
    CHECK(test::pixelString(img, 70, 35) == "(255,0,0,255)");
    CHECK(test::pixelString(img, 21, 11) == "(255,0,0,255)");
    CHECK(test::pixelString(img, 18, 35) == "(0,0,0,0)");      // left of the box
    CHECK(test::pixelString(img, 70, 61) == "(0,0,0,0)");      // below it
    CHECK(test::pixelString(img, 160, 30) == "(0,0,128,128)"); // half-transparent, premultiplied
}

TEST_CASE("render: gradients run from one color to the other along the angle") {
    test::TextStack stack;
    auto theme = parseTheme(R"({"cuecard_theme":1,"canvas":{"width":200,"height":40},
        "elements":[{"type":"box","x":0,"y":0,"width":200,"height":40,
                     "gradient":{"from":"#000000","to":"#FFFFFF","angle":0}}]})",
                            "t.json");
    REQUIRE(theme.ok());
    auto renderer = OverlayRenderer::create(test::gpu(), 200, 40, 2048);
    REQUIRE(renderer.ok());
    Image img = renderWith(*renderer.value(), stack, theme.value(), Recipient{});
    CHECK(img.at(2, 20)[0] < 10);
    CHECK(img.at(100, 20)[0] == doctest::Approx(128).epsilon(0.03));
    CHECK(img.at(197, 20)[0] > 245);
    CHECK(img.at(100, 20)[3] == 255);
}

TEST_CASE("render: the band-only render equals the same rows of a full render") {
    test::TextStack stack;
    auto theme = loadTheme("default", {test::dataDir()});
    REQUIRE(theme.ok());
    auto renderer = OverlayRenderer::create(test::gpu(), 1280, 720, 2048);
    REQUIRE(renderer.ok());
    const Recipient r = person("Jane Doe", "VP Marketing", "Acme Corp");
    Image full = renderWith(*renderer.value(), stack, theme.value(), r);
    auto composed = stack.composer->compose(theme.value(), r, 1280, 720);
    REQUIRE(composed.ok());
    const PixelRect band = composed->drawList.bounds(1280, 720);
    CHECK(band.y > 720 / 2); // a lower-third lives in the lower half
    CHECK(band.height < 720 / 3);
    Image part = renderWith(*renderer.value(), stack, theme.value(), r, band);
    REQUIRE(part.width == band.width);
    REQUIRE(part.height == band.height);
    Image cropped(band.width, band.height);
    for (int y = 0; y < band.height; ++y) {
        std::memcpy(cropped.row(y), full.at(band.x, band.y + y),
                    static_cast<std::size_t>(band.width) * 4);
    }
    CHECK(test::compareImages(cropped, part, 0).differing == 0);
    // Everything outside the band is transparent in the full render.
    int outside = 0;
    for (int y = 0; y < 720; ++y) {
        for (int x = 0; x < 1280; ++x) {
            const bool in =
                x >= band.x && x < band.x + band.width && y >= band.y && y < band.y + band.height;
            if (!in && full.at(x, y)[3] != 0) {
                ++outside;
            }
        }
    }
    CHECK(outside == 0);
}

TEST_CASE("render: glyphs added later are uploaded (dirty rectangles), not stale") {
    auto theme = loadTheme("default", {test::dataDir()});
    REQUIRE(theme.ok());
    const Recipient a = person("Jane Doe", "VP", "Acme");
    const Recipient b = person("Ελένη 李小龙 Quixotic", "Jefa", "Zyxw");

    // Same renderer: first A (atlas uploaded whole), then B (only new glyphs uploaded).
    test::TextStack stack1;
    auto r1 = OverlayRenderer::create(test::gpu(), 960, 540, 2048);
    REQUIRE(r1.ok());
    (void)renderWith(*r1.value(), stack1, theme.value(), a);
    Image bAfterA = renderWith(*r1.value(), stack1, theme.value(), b);

    // Fresh renderer and atlas: B alone.
    test::TextStack stack2;
    auto r2 = OverlayRenderer::create(test::gpu(), 960, 540, 2048);
    REQUIRE(r2.ok());
    Image bAlone = renderWith(*r2.value(), stack2, theme.value(), b);

    // Atlas positions differ, so allow sampling noise but no missing or stale glyphs.
    const test::ImageDiff d = test::compareImages(bAlone, bAfterA, 8);
    CHECK(d.fraction < 0.0005);
}

TEST_CASE("render: switching recipients changes the pixels, and only in the lower third") {
    test::TextStack stack;
    auto theme = loadTheme("default", {test::dataDir()});
    REQUIRE(theme.ok());
    auto renderer = OverlayRenderer::create(test::gpu(), 960, 540, 2048);
    REQUIRE(renderer.ok());
    Image a = renderWith(*renderer.value(), stack, theme.value(),
                         person("Jane Doe", "VP Marketing", "Acme Corp"));
    Image b =
        renderWith(*renderer.value(), stack, theme.value(), person("Sam Lee", "CTO", "Initech"));
    const test::ImageDiff d = test::compareImages(a, b, 0);
    CHECK(d.differing > 500);
    int changedAbove = 0;
    for (int y = 0; y < 540 / 2; ++y) {
        for (int x = 0; x < 960; ++x) {
            changedAbove += std::memcmp(a.at(x, y), b.at(x, y), 4) != 0;
        }
    }
    CHECK(changedAbove == 0);
}

TEST_CASE("render: bad sizes are errors, not crashes") {
    auto zero = OverlayRenderer::create(test::gpu(), 0, 100, 2048);
    REQUIRE_FALSE(zero.ok());
    CHECK(zero.message() == "canvas size 0x100 is out of range (1..8192)");
    auto renderer = OverlayRenderer::create(test::gpu(), 64, 64, 2048);
    REQUIRE(renderer.ok());
    GlyphAtlas small(256, 256);
    auto mismatch = renderer.value()->render(DrawList{}, small);
    REQUIRE_FALSE(mismatch.ok());
    CHECK(mismatch.message() == "glyph atlas size does not match the renderer");
}
