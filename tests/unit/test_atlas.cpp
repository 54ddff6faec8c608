// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/text/glyph_atlas.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace cuecard;

namespace {
bool overlaps(const AtlasRect &a, const AtlasRect &b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
} // namespace

TEST_CASE("atlas: packed rectangles stay inside and never overlap") {
    GlyphAtlas atlas(256, 256, 1);
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> size(4, 40);
    std::vector<AtlasRect> placed;
    for (int i = 0; i < 500; ++i) {
        auto r = atlas.allocate(size(rng), size(rng));
        if (!r) {
            break;
        }
        CHECK(r->x >= 0);
        CHECK(r->y >= 0);
        CHECK(r->x + r->w <= 256);
        CHECK(r->y + r->h <= 256);
        for (const auto &p : placed) {
            REQUIRE_FALSE(overlaps(*r, p));
        }
        placed.push_back(*r);
    }
    CHECK(placed.size() > 40);                        // it packs a useful number
    CHECK(atlas.usage() > 0.5f);                      // and packs them reasonably tightly
    CHECK_FALSE(atlas.allocate(300, 10).has_value()); // wider than the atlas
}

TEST_CASE("atlas: a full atlas says so instead of overwriting") {
    GlyphAtlas atlas(64, 64, 0);
    int count = 0;
    while (atlas.allocate(16, 16)) {
        ++count;
    }
    CHECK(count == 16);
    atlas.clear();
    CHECK(atlas.allocate(16, 16).has_value());
}

TEST_CASE("atlas: writes land in the pixels and are reported dirty once") {
    GlyphAtlas atlas(32, 32, 1);
    (void)atlas.takeDirty(); // the initial whole-atlas rectangle
    CHECK_FALSE(atlas.dirty());
    auto r = atlas.allocate(3, 2);
    REQUIRE(r.has_value());
    const std::uint8_t pixels[] = {1, 2, 3, 0xEE, 4, 5, 6, 0xEE}; // pitch 4
    atlas.write(*r, pixels, 4);
    CHECK(atlas.pixels()[static_cast<std::size_t>(r->y) * 32 + r->x + 2] == 3);
    CHECK(atlas.pixels()[static_cast<std::size_t>(r->y + 1) * 32 + r->x] == 4);
    auto dirty = atlas.takeDirty();
    REQUIRE(dirty.size() == 1);
    CHECK(dirty[0].w == 3);
    CHECK(dirty[0].h == 2);
    CHECK(atlas.takeDirty().empty());
}
