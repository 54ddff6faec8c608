// SPDX-License-Identifier: GPL-2.0-or-later
// A pan drawn by its receiver: the layers under and over the panned picture and the piece it
// scrolls through, drawn with a window offset (what OBS's graphics thread does per frame), give
// the picture the renderer gives for the whole frame at the same moment.

#include "core/queue/queue.hpp"
#include "core/render/overlay_worker.hpp"
#include "core/render/pan_layers.hpp"
#include "core/theme/theme.hpp"
#include "gpu/gpu_support.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <variant>

using namespace cuecard;

namespace {

/// A page 1280×4000 whose rows are a triangle wave (8 levels a row, so a window one row off
/// differs by 8) with a column pattern across, opaque, premultiplied.
std::shared_ptr<const Image> tallPage() {
    Image page(1280, 4000);
    for (int y = 0; y < page.height; ++y) {
        const int phase = y % 62;
        const int level = (phase < 31 ? phase : 62 - phase) * 8;
        for (int x = 0; x < page.width; ++x) {
            std::uint8_t *p = page.at(x, y);
            p[0] = static_cast<std::uint8_t>(level);
            p[1] = static_cast<std::uint8_t>((x / 40) % 2 == 0 ? 200 : 60);
            p[2] = static_cast<std::uint8_t>(255 - level);
            p[3] = 255;
        }
    }
    return std::make_shared<const Image>(std::move(page));
}

struct Website {
    Theme theme;
    RecipientPictures pictures;
    Recipient jane;
};

Website website() {
    auto theme = loadTheme("website", {test::dataDir()});
    REQUIRE(theme.ok());
    Website w{std::move(theme.value()), {}, test::person("Jane Doe", "VP Marketing", "Acme Corp")};
    w.jane.set("website", "acme.example");
    for (std::size_t i = 0; i < w.theme.elements.size(); ++i) {
        if (std::holds_alternative<ImageElement>(w.theme.elements[i])) {
            w.pictures.images[i] = tallPage();
        }
    }
    REQUIRE(w.pictures.images.size() == 1);
    return w;
}

} // namespace

TEST_CASE("pan layers: under, the piece's window and over give the whole frame's pixels at every "
          "moment of the pan") {
    test::TextStack stack;
    Website w = website();
    auto created = OverlayRenderer::create(test::gpu(), 1920, 1080, 2048);
    REQUIRE(created.ok());
    OverlayRenderer &renderer = *created.value();

    auto first = stack.composer->compose(w.theme, w.jane, 1920, 1080, &w.pictures, 0.0);
    REQUIRE(first.ok());
    REQUIRE(canDrawPanAsLayers(first->drawList));
    auto layers = renderPanLayers(renderer, first->drawList, stack.glyphs->atlas());
    if (!layers) {
        FAIL(layers.message());
    }
    const PixelRect bounds = layers->bounds();
    CHECK(bounds == first->drawList.bounds(1920, 1080));
    CHECK(layers->box == PixelRect{128, 104, 1664, 920});
    CHECK(layers->piece.width == 1664);
    CHECK(layers->travel() > 2000); // several screens of page
    CHECK(layers->rows <= layers->piece.height);
    // The same for every recipient of the theme: the most the composer pans through.
    CHECK(layers->piece.height == std::min(kPanMaxScreens * 920, kPanMaxHeight));
    CHECK(layers->opaque);
    CHECK(layers->under.width > 0);
    CHECK(layers->over.width > 0);
    CHECK(layers->overBounds.y > 700); // the lower-third, over the page

    for (double seconds : {0.0, 3.0, 9.5, 12.0, 20.0, 24.0, 60.0}) {
        CAPTURE(seconds);
        auto composed = stack.composer->compose(w.theme, w.jane, 1920, 1080, &w.pictures, seconds);
        REQUIRE(composed.ok());
        auto whole = renderer.render(composed->drawList, stack.glyphs->atlas(), bounds);
        REQUIRE(whole.ok());
        const Image drawn = composePanFrame(layers.value(), seconds, bounds);
        // Tolerance: the renderer samples a window between two rows (4 levels here) and blends
        // the layer over in one step (±1).
        const test::ImageDiff d = test::compareImages(whole.value(), drawn, 5);
        CAPTURE(d.maxDelta);
        CHECK(d.differing == 0);
        if (d.differing != 0) {
            (void)writePng(test::diffImage(whole.value(), drawn, 5),
                           test::outputDir() / "pan-layers-diff.png", true);
        }
    }
}

TEST_CASE("pan layers: the worker hands one frame of layers when asked to, frames per step "
          "otherwise; a rounded or faded picture is never drawn as layers") {
    Website w = website();
    auto shared = std::make_shared<const Theme>(w.theme);
    auto pictures = std::make_shared<const RecipientPictures>(w.pictures);
    OverlayWorker worker(test::gpu(), {test::dataDir() / "fonts"});
    worker.request(shared, w.jane, 1920, 1080, 1, pictures, 0.0, false);
    REQUIRE(worker.waitFor(1, 30000));
    auto plain = worker.take(0);
    REQUIRE(plain.has_value());
    CHECK(plain->error.empty());
    CHECK_FALSE(plain->pan);
    CHECK(plain->image.width > 0);

    worker.drawPans(true);
    worker.request(shared, w.jane, 1920, 1080, 2, pictures, 0.0, false);
    REQUIRE(worker.waitFor(2, 30000));
    auto layered = worker.take(1);
    REQUIRE(layered.has_value());
    CHECK(layered->error.empty());
    REQUIRE(layered->pan);
    CHECK(layered->image.width == 0);
    CHECK(layered->sharedSlot == -1);
    CHECK(layered->bounds == layered->pan->bounds());
    const test::ImageDiff d =
        test::compareImages(plain->image, composePanFrame(*layered->pan, 0.0, layered->bounds), 5);
    CHECK(d.differing == 0);

    // A rounded mask or a faded picture: the window is not a plain texture offset.
    test::TextStack stack;
    for (const char *change : {"radius", "opacity"}) {
        CAPTURE(change);
        Theme other = w.theme;
        for (auto &e : other.elements) {
            if (auto *im = std::get_if<ImageElement>(&e)) {
                if (std::string(change) == "radius") {
                    im->mask = PictureMask::Rounded;
                    im->radius = 24.0f;
                } else {
                    im->opacity = 0.5f;
                }
            }
        }
        auto composed = stack.composer->compose(other, w.jane, 1920, 1080, &w.pictures, 0.0);
        REQUIRE(composed.ok());
        CHECK(composed->drawList.pan.quad >= 0);
        CHECK_FALSE(canDrawPanAsLayers(composed->drawList));
    }
}
