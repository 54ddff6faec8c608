// SPDX-License-Identifier: GPL-2.0-or-later
// Pictures on the GPU: a logo placed by a theme reads back by OCR at its spot, masks leave what
// they cut transparent, and contain / cover / fill keep (or deliberately drop) the aspect ratio,
// measured on the rendered pixels.

#include "core/picture/recipient_pictures.hpp"
#include "core/theme/theme.hpp"
#include "gpu/gpu_support.hpp"
#include "gpu/ocr_line.hpp"
#include "http_server.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <cstring>

using namespace cuecard;

namespace {

Theme themeFrom(const std::string &elements, int width = 1920, int height = 1080) {
    auto t = parseTheme(R"({"cuecard_theme": 1, "name": "pictures", "canvas": {"width": )" +
                            std::to_string(width) + R"(, "height": )" + std::to_string(height) +
                            R"(}, "animation": {"in": "none", "out": "none"}, "elements": [)" +
                            elements + "]}",
                        "pictures-test.json");
    INFO((t.ok() ? std::string() : t.message()));
    REQUIRE(t.ok());
    return std::move(t.value());
}

/// Renders `theme` with `picture` as element 0's picture; the whole 1920×1080 canvas.
Image renderWith(test::TextStack &stack, const Theme &theme, const Image &picture) {
    RecipientPictures pictures;
    pictures.images[0] = std::make_shared<const Image>(picture);
    Recipient r;
    r.set("full_name", "Jane Doe");
    auto composed = stack.composer->compose(theme, r, 1920, 1080, &pictures);
    REQUIRE(composed.ok());
    REQUIRE(composed->pictures.size() >= 1);
    CHECK(composed->pictures[0].shown);
    auto renderer = OverlayRenderer::create(test::gpu(), 1920, 1080, 2048);
    REQUIRE(renderer.ok());
    auto image = renderer.value()->render(composed->drawList, stack.glyphs->atlas());
    REQUIRE(image.ok());
    return std::move(image.value());
}

/// Bounding box of the pixels whose alpha is over 128.
PixelRect opaqueBounds(const Image &img) {
    int x0 = img.width;
    int y0 = img.height;
    int x1 = -1;
    int y1 = -1;
    for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x) {
            if (img.at(x, y)[3] > 128) {
                x0 = std::min(x0, x);
                y0 = std::min(y0, y);
                x1 = std::max(x1, x);
                y1 = std::max(y1, y);
            }
        }
    }
    return x1 < 0 ? PixelRect{} : PixelRect{x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

Image solid(int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    Image img(w, h);
    fill(img, r, g, b);
    return img;
}

Image crop(const Image &src, PixelRect r) {
    Image out(r.width, r.height);
    for (int y = 0; y < r.height; ++y) {
        std::memcpy(out.row(y), src.at(r.x, r.y + y), static_cast<std::size_t>(r.width) * 4);
    }
    return out;
}

} // namespace

TEST_CASE("pictures: a logo holding a word, placed by a theme, reads back by OCR at its spot") {
    test::requireTesseract();
    test::TextStack stack;
    // The logo: the word GLOBEX rendered by Cuecard itself, dark on white, 600×200.
    const Theme word = themeFrom(R"({"type": "box", "x": 0, "y": 0, "width": 960,
        "height": 320, "fill": "#FFFFFF"}, {"type": "text", "text": "GLOBEX", "x": 480,
        "y": 220, "align": "center", "size": 170, "color": "#111111"})",
                                 960, 320);
    Recipient nobody;
    auto wordComposed = stack.composer->compose(word, nobody, 960, 320);
    REQUIRE(wordComposed.ok());
    auto wordRenderer = OverlayRenderer::create(test::gpu(), 960, 320, 2048);
    REQUIRE(wordRenderer.ok());
    auto logo = wordRenderer.value()->render(wordComposed->drawList, stack.glyphs->atlas());
    REQUIRE(logo.ok());

    const Theme theme = themeFrom(R"({"type": "image", "src": "{logo}", "x": 1100, "y": 600,
        "width": 600, "height": 300, "fit": "contain"})");
    const Image frame = renderWith(stack, theme, logo.value());
    // The logo sits in its box (600×200 for a 3:1 picture, centered vertically) and nowhere else.
    const PixelRect drawn = opaqueBounds(frame);
    CHECK(drawn.x == 1100);
    CHECK(drawn.width == 600);
    CHECK(drawn.y == 650);
    CHECK(drawn.height == 200);
    const std::string text =
        test::ocrLine(crop(frame, PixelRect{1100, 650, 600, 200}), "picture-logo.png");
    CAPTURE(text);
    CHECK(text.find("GLOBEX") != std::string::npos);
}

TEST_CASE("pictures: a circle mask leaves the corners transparent, the middle whole") {
    test::TextStack stack;
    const Theme theme = themeFrom(R"({"type": "image", "src": "{photo}", "x": 400, "y": 200,
        "width": 200, "height": 200, "fit": "cover", "mask": "circle"})");
    const Image frame = renderWith(stack, theme, solid(100, 100, 200, 30, 30));
    CHECK(frame.at(400 + 3, 200 + 3)[3] == 0);     // top-left corner of the box
    CHECK(frame.at(400 + 196, 200 + 196)[3] == 0); // bottom-right
    CHECK(frame.at(500, 300)[3] == 255);           // the middle
    CHECK(frame.at(500, 300)[0] == 200);
    CHECK(frame.at(401, 300)[3] > 0); // the circle reaches the box's edge
    CHECK(frame.at(500, 201)[3] > 0);
    const PixelRect drawn = opaqueBounds(frame);
    CHECK(std::abs(drawn.width - 200) <= 1);
    CHECK(std::abs(drawn.height - 200) <= 1);
    // Rounded: corners cut by the radius only.
    const Theme rounded = themeFrom(R"({"type": "image", "src": "{photo}", "x": 400, "y": 200,
        "width": 200, "height": 200, "fit": "fill", "mask": "rounded", "radius": 40})");
    const Image r = renderWith(stack, rounded, solid(100, 100, 200, 30, 30));
    CHECK(r.at(401, 201)[3] == 0);
    CHECK(r.at(401, 300)[3] == 255); // straight edge, no cut
    CHECK(r.at(450, 250)[3] == 255); // inside the corner's arc
}

TEST_CASE("pictures: contain and cover keep the aspect ratio, fill stretches") {
    test::TextStack stack;
    // A 400×100 test pattern: blue, with a red stripe 20 px wide in the middle.
    Image pattern = solid(400, 100, 20, 40, 220);
    for (int y = 0; y < 100; ++y) {
        for (int x = 190; x < 210; ++x) {
            std::uint8_t *p = pattern.at(x, y);
            p[0] = 230;
            p[1] = 20;
            p[2] = 20;
        }
    }
    const auto frameFor = [&](const char *fit) {
        return renderWith(stack,
                          themeFrom(std::string(R"({"type": "image", "src": "{p}", "x": 100,
                              "y": 100, "width": 300, "height": 300, "fit": ")") +
                                    fit + "\"}"),
                          pattern);
    };
    const Image contain = frameFor("contain");
    const PixelRect c = opaqueBounds(contain);
    CHECK(c.width == 300);
    CHECK(c.height == 75); // 4:1 kept
    CHECK(std::abs(c.y - (100 + 112)) <= 1);
    const Image cover = frameFor("cover");
    const PixelRect v = opaqueBounds(cover);
    CHECK(v.width == 300);
    CHECK(v.height == 300);
    // Cover scales by 3 (100 px → 300 px) and crops the sides: the stripe is 60 px wide, centered.
    int red = 0;
    for (int x = 100; x < 400; ++x) {
        red += cover.at(x, 250)[0] > 150 ? 1 : 0;
    }
    CHECK(std::abs(red - 60) <= 2);
    CHECK(cover.at(250, 250)[0] > 150); // the middle of the box is the stripe
    const Image fillFrame = frameFor("fill");
    const PixelRect f = opaqueBounds(fillFrame);
    CHECK(f.width == 300);
    CHECK(f.height == 300);
    red = 0;
    for (int x = 100; x < 400; ++x) {
        red += fillFrame.at(x, 250)[0] > 150 ? 1 : 0;
    }
    CHECK(std::abs(red - 15) <= 2); // squeezed 4:1 → 1:1: the stripe is 15 px
}

TEST_CASE("pictures: an image element without a picture is left out, the rest still draws") {
    test::TextStack stack;
    const Theme theme = themeFrom(R"({"type": "image", "src": "{logo}", "x": 0, "y": 0,
        "width": 300, "height": 300}, {"type": "box", "x": 1000, "y": 500, "width": 10,
        "height": 10, "fill": "#FF0000"})");
    Recipient r;
    RecipientPictures none;
    auto composed = stack.composer->compose(theme, r, 1920, 1080, &none);
    REQUIRE(composed.ok());
    REQUIRE(composed->pictures.size() == 1);
    CHECK_FALSE(composed->pictures[0].shown);
    CHECK_FALSE(composed->drawList.pictures);
    auto renderer = OverlayRenderer::create(test::gpu(), 1920, 1080, 2048);
    REQUIRE(renderer.ok());
    auto image = renderer.value()->render(composed->drawList, stack.glyphs->atlas());
    REQUIRE(image.ok());
    CHECK(image->at(150, 150)[3] == 0);
    CHECK(image->at(1005, 505)[3] == 255);
}

TEST_CASE("pictures: pan scrolls a tall picture through its box, top first, bottom at the end, "
          "without resampling or uploading it again") {
    test::requireTesseract();
    test::TextStack stack;
    // A "website" four screens tall: TOP on its first screen, END on its last.
    const Theme page = themeFrom(R"({"type": "box", "x": 0, "y": 0, "width": 800,
        "height": 1600, "fill": "#FFFFFF"}, {"type": "text", "text": "TOP", "x": 400, "y": 260,
        "align": "center", "size": 160, "color": "#111111"}, {"type": "text", "text": "END",
        "x": 400, "y": 1460, "align": "center", "size": 160, "color": "#111111"})",
                                 800, 1600);
    Recipient nobody;
    auto pageComposed = stack.composer->compose(page, nobody, 800, 1600);
    REQUIRE(pageComposed.ok());
    auto pageRenderer = OverlayRenderer::create(test::gpu(), 800, 1600, 2048);
    REQUIRE(pageRenderer.ok());
    auto tall = pageRenderer.value()->render(pageComposed->drawList, stack.glyphs->atlas());
    REQUIRE(tall.ok());

    const Theme theme = themeFrom(R"({"type": "image", "src": "{website}", "x": 200, "y": 100,
        "width": 800, "height": 400, "pan": 10})");
    RecipientPictures pictures;
    pictures.images[0] = std::make_shared<const Image>(tall.value());
    auto renderer = OverlayRenderer::create(test::gpu(), 1920, 1080, 2048);
    REQUIRE(renderer.ok());
    const PixelRect box{200, 100, 800, 400};
    std::shared_ptr<const Image> firstTexture;
    auto at = [&](double seconds) {
        auto composed = stack.composer->compose(theme, nobody, 1920, 1080, &pictures, seconds);
        REQUIRE(composed.ok());
        REQUIRE(composed->pictures.size() == 1);
        CHECK(composed->pictures[0].drawn == box); // the box, not the whole picture
        if (!firstTexture) {
            firstTexture = composed->drawList.pictures;
        }
        CHECK(composed->drawList.pictures == firstTexture); // the same texture every step
        auto image = renderer.value()->render(composed->drawList, stack.glyphs->atlas());
        REQUIRE(image.ok());
        // Nothing outside the box: the rest of the tall picture is not drawn.
        CHECK(opaqueBounds(image.value()) == box);
        return crop(image.value(), box);
    };
    const std::string top = test::ocrLine(at(0.0), "pan-start.png");
    const std::string middle = test::ocrLine(at(5.0), "pan-middle.png");
    const std::string end = test::ocrLine(at(10.0), "pan-end.png");
    const std::string after = test::ocrLine(at(60.0), "pan-after.png");
    CHECK(top.find("TOP") != std::string::npos);
    CHECK(top.find("END") == std::string::npos);
    CHECK(middle.find("TOP") == std::string::npos);
    CHECK(middle.find("END") == std::string::npos);
    CHECK(end.find("END") != std::string::npos);
    CHECK(after.find("END") != std::string::npos); // the pan holds at the bottom
}

TEST_CASE("pictures: a capture of the recipient's web page, served by a local server, reads back "
          "by OCR from the rendered overlay; with the server stopped it renders from the cache") {
    test::requireTesseract();
    REQUIRE_MESSAGE(findChromium().has_value(),
                    "headless Chromium is not installed: run scripts/install-deps.sh");
    test::TextStack stack;
    test::TempDir dir("capture-render");
    const Theme theme = themeFrom(R"({"type": "image", "src": "capture:{website}", "x": 160,
        "y": 90, "width": 1280, "height": 800, "fit": "cover"})");
    Recipient jane;
    jane.set("full_name", "Jane Doe");
    PictureLoaderOptions options;
    options.cacheFolder = dir / "cache";
    const PixelRect box{160, 90, 1280, 800};
    auto readHeading = [&](PictureLoader &loader, const std::string &name) {
        const RecipientPictures pictures = loadRecipientPictures(theme, jane, dir.path(), loader);
        INFO((pictures.notes.empty() ? std::string() : pictures.notes.front()));
        REQUIRE(pictures.images.count(0) == 1);
        auto composed = stack.composer->compose(theme, jane, 1920, 1080, &pictures);
        REQUIRE(composed.ok());
        auto renderer = OverlayRenderer::create(test::gpu(), 1920, 1080, 2048);
        REQUIRE(renderer.ok());
        auto image = renderer.value()->render(composed->drawList, stack.glyphs->atlas());
        REQUIRE(image.ok());
        // The page's heading, in the top band of the box.
        return test::ocrLine(crop(image.value(), PixelRect{box.x, box.y, box.width, 220}), name);
    };
    {
        test::HttpServer server;
        server.route("/", test::HttpServer::respond(
                              200, "text/html",
                              "<html><body style='margin:0;background:#fff'><h1 style='font:bold "
                              "110px sans-serif;margin:40px'>ACME PRICING</h1></body></html>"));
        jane.set("website", server.url("/"));
        PictureLoader loader(options);
        const std::string live = readHeading(loader, "capture-live.png");
        CHECK_MESSAGE(live.find("PRICING") != std::string::npos, live);
        CHECK(server.requests("/") >= 1); // Chromium may ask twice (a retry, a preload)
    }
    options.network = false; // and the server is gone
    PictureLoader offline(options);
    const std::string cached = readHeading(offline, "capture-cached.png");
    CHECK_MESSAGE(cached.find("PRICING") != std::string::npos, cached);
}
