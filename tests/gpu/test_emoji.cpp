// SPDX-License-Identifier: GPL-2.0-or-later
// Color emoji: shaped by HarfBuzz into one glyph per sequence (skin tones, ZWJ sequences, flags,
// keycaps) from Noto Color Emoji, drawn in color at the text's size next to it: the pixels of
// each emoji's box are measured (colorful, the right colors where a flag has its stripes),
// never the monochrome text color or a .notdef box.

#include "core/text/shaper.hpp"
#include "core/theme/theme.hpp"
#include "gpu/gpu_support.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

using namespace cuecard;

namespace {

FontId requireEmojiFont(test::TextStack &stack) {
    const FontId emoji = stack.fonts->emojiFont();
    REQUIRE_MESSAGE(emoji != kNoFont, "Noto Color Emoji is not installed: run "
                                      "scripts/install-deps.sh (fonts-noto-color-emoji)");
    return emoji;
}

struct Rendered {
    Image image;
    std::vector<PixelRect> emoji; ///< each emoji's box (its picture quad), in drawing order
    PixelRect text;               ///< the SDF glyphs' box
};

Rendered render(test::TextStack &stack, const std::string &line) {
    auto theme = parseTheme(R"({"cuecard_theme": 1, "canvas": {"width": 1280, "height": 360},
        "elements": [{"type": "text", "text": "{greeting}", "x": 40, "y": 200, "size": 96,
        "color": "#202020"}]})",
                            "emoji-test.json");
    REQUIRE(theme.ok());
    Recipient r;
    r.set("greeting", line);
    auto composed = stack.composer->compose(theme.value(), r, 1280, 360);
    REQUIRE(composed.ok());
    Rendered out;
    int tx0 = 1 << 30, ty0 = 1 << 30, tx1 = -1, ty1 = -1;
    for (const QuadInstance &q : composed->drawList.quads) {
        if (q.kind[0] == static_cast<float>(QuadKind::Picture)) {
            out.emoji.push_back(PixelRect{static_cast<int>(q.rect[0]), static_cast<int>(q.rect[1]),
                                          static_cast<int>(q.rect[2] - q.rect[0]),
                                          static_cast<int>(q.rect[3] - q.rect[1])});
        } else {
            tx0 = std::min(tx0, static_cast<int>(q.rect[0]));
            ty0 = std::min(ty0, static_cast<int>(q.rect[1]));
            tx1 = std::max(tx1, static_cast<int>(q.rect[2]));
            ty1 = std::max(ty1, static_cast<int>(q.rect[3]));
        }
    }
    out.text = tx1 < 0 ? PixelRect{} : PixelRect{tx0, ty0, tx1 - tx0, ty1 - ty0};
    auto renderer = OverlayRenderer::create(test::gpu(), 1280, 360, 2048);
    REQUIRE(renderer.ok());
    auto image = renderer.value()->render(composed->drawList, stack.glyphs->atlas());
    REQUIRE(image.ok());
    out.image = std::move(image.value());
    return out;
}

/// Mean color (un-premultiplied) of the opaque pixels of rows [y0, y1) of `box`, and the share
/// of opaque pixels that are colorful (channels far apart).
struct Stats {
    double r = 0, g = 0, b = 0;
    double colorful = 0;
    int opaque = 0;
};
Stats stats(const Image &img, PixelRect box, double from = 0.0, double to = 1.0) {
    Stats s;
    int colorful = 0;
    const int y0 = box.y + static_cast<int>(box.height * from);
    const int y1 = box.y + static_cast<int>(box.height * to);
    for (int y = y0; y < y1; ++y) {
        for (int x = box.x; x < box.x + box.width; ++x) {
            const std::uint8_t *p = img.at(x, y);
            if (p[3] < 200) {
                continue;
            }
            const double a = p[3] / 255.0;
            const double r = p[0] / a, g = p[1] / a, b = p[2] / a;
            s.r += r;
            s.g += g;
            s.b += b;
            ++s.opaque;
            colorful += std::max({r, g, b}) - std::min({r, g, b}) > 60 ? 1 : 0;
        }
    }
    if (s.opaque > 0) {
        s.r /= s.opaque;
        s.g /= s.opaque;
        s.b /= s.opaque;
        s.colorful = static_cast<double>(colorful) / s.opaque;
    }
    return s;
}

} // namespace

TEST_CASE("emoji: skin tones, ZWJ sequences, flags and keycaps shape into one color glyph each") {
    test::TextStack stack;
    const FontId emoji = requireEmojiFont(stack);
    const std::vector<FontId> chain = {stack.fonts->resolve({"Inter", 400, false}).value()};
    for (const std::u32string &seq : {std::u32string(U"\U0001F44B\U0001F3FD"),       // 👋🏽
                                      std::u32string(U"\U0001F469\u200D\U0001F4BB"), // 👩‍💻
                                      std::u32string(U"\U0001F1E9\U0001F1EA"),       // 🇩🇪
                                      std::u32string(U"1\uFE0F\u20E3")}) {           // 1️⃣
        const ShapedLine line = stack.composer->shaper().shape(seq, chain, 400);
        INFO("sequence starting U+" << std::hex << static_cast<std::uint32_t>(seq[0]));
        for (const auto &g : line.glyphs) {
            INFO("glyph " << g.glyph << " font " << stack.fonts->font(g.font).family);
        }
        REQUIRE(line.glyphs.size() == 1);
        CHECK(line.glyphs[0].font == emoji);
        CHECK(line.missing.empty());
        auto cached = stack.glyphs->get(line.glyphs[0].font, line.glyphs[0].glyph);
        REQUIRE(cached.ok());
        CHECK(cached->color != nullptr); // a color picture, not an SDF
    }
}

TEST_CASE(
    "emoji: \"Hi Jane 👋🏽\" draws the text and a colored hand of the text's size after it") {
    test::TextStack stack;
    requireEmojiFont(stack);
    const Rendered r = render(stack, "Hi Jane \U0001F44B\U0001F3FD");
    (void)writePng(r.image, test::outputDir() / "emoji-hi-jane.png", true);
    REQUIRE(r.emoji.size() == 1);
    const PixelRect hand = r.emoji[0];
    CHECK(hand.x > r.text.x + r.text.width);                                 // after the words
    CHECK(hand.height == doctest::Approx(96 * 128.0 / 109.0).epsilon(0.05)); // the text's size
    const Stats s = stats(r.image, hand);
    CHECK(s.opaque > hand.width * hand.height / 4);
    CHECK(s.colorful > 0.5); // not the text's gray
    CHECK(s.r > s.g);        // a medium skin tone: warm
    CHECK(s.g > s.b);
    // The words themselves stay the text color.
    const Stats words = stats(r.image, r.text);
    CHECK(words.colorful < 0.05);
}

TEST_CASE("emoji: \"🇩🇪 Müller\" draws the German flag: black, red, gold from the top") {
    test::TextStack stack;
    requireEmojiFont(stack);
    const Rendered r = render(stack, "\U0001F1E9\U0001F1EA M\u00FCller");
    (void)writePng(r.image, test::outputDir() / "emoji-flag.png", true);
    REQUIRE(r.emoji.size() == 1);
    const PixelRect flag = r.emoji[0];
    CHECK(flag.x + flag.width <= r.text.x + 2); // before the name
    // The flag waves and sits inside its box with a margin: compare its three stripes by rows
    // of its own opaque extent.
    int top = flag.y + flag.height;
    int bottom = flag.y;
    for (int y = flag.y; y < flag.y + flag.height; ++y) {
        for (int x = flag.x; x < flag.x + flag.width; ++x) {
            if (r.image.at(x, y)[3] > 200) {
                top = std::min(top, y);
                bottom = std::max(bottom, y);
            }
        }
    }
    REQUIRE(bottom > top + 30);
    const PixelRect body{flag.x + flag.width / 5, top, flag.width * 3 / 5, bottom - top};
    const Stats black = stats(r.image, body, 0.12, 0.25);
    const Stats red = stats(r.image, body, 0.45, 0.55);
    const Stats gold = stats(r.image, body, 0.75, 0.88);
    CHECK(black.r < 90);
    CHECK(black.g < 90);
    CHECK(red.r > 150);
    CHECK(red.g < 90);
    CHECK(gold.r > 180);
    CHECK(gold.g > 140);
    CHECK(gold.b < 90);
}
