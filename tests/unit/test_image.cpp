// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/util/image.hpp"

#include <doctest/doctest.h>

using namespace cuecard;

TEST_CASE("image: cropToContent keeps the drawn part and a margin, clipped to the image") {
    Image canvas(200, 100);
    for (int y = 70; y < 90; ++y) {
        for (int x = 20; x < 150; ++x) {
            canvas.at(x, y)[0] = static_cast<std::uint8_t>(x);
            canvas.at(x, y)[3] = 255;
        }
    }
    const Image band = cropToContent(canvas, 4);
    CHECK(band.width == 130 + 8);
    CHECK(band.height == 20 + 8);
    CHECK(band.at(4, 4)[3] == 255); // the band's first pixel, after the margin
    CHECK(band.at(4, 4)[0] == 20);
    CHECK(band.at(3, 4)[3] == 0);
    // The margin stops at the image's edge.
    const Image edge = cropToContent(canvas, 50);
    CHECK(edge.width == 200);
    CHECK(edge.height == 100 - 20);
    // Nothing drawn: the whole image.
    const Image empty = cropToContent(Image(64, 36), 4);
    CHECK(empty.width == 64);
    CHECK(empty.height == 36);
}
