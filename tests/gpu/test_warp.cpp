// SPDX-License-Identifier: GPL-2.0-or-later
// Scene text in perspective: a group rendered onto a known quadrilateral is warped back by the
// test with a homography of its own (solved from the four corners by Gaussian elimination, not
// the renderer's closed form) and read by OCR; nothing is drawn outside the quad; a checkerboard
// on a note, warped and warped back, matches the flat render (no gaps, no seams).

#include "core/theme/theme.hpp"
#include "gpu/gpu_support.hpp"
#include "gpu/ocr_line.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>

using namespace cuecard;

namespace {

const std::array<std::array<double, 2>, 4> kQuad = {
    {{{600.0, 300.0}}, {{1400.0, 380.0}}, {{1360.0, 760.0}}, {{640.0, 700.0}}}};

std::string quadJson() {
    std::string out = "[";
    for (std::size_t i = 0; i < 4; ++i) {
        out += (i ? ", [" : "[") + std::to_string(kQuad[i][0]) + ", " +
               std::to_string(kQuad[i][1]) + "]";
    }
    return out + "]";
}

Theme themeWith(const std::string &groupExtra, const std::string &content) {
    auto t = parseTheme(R"({"cuecard_theme": 1, "canvas": {"width": 1920, "height": 1080},
        "animation": {"in": "none", "out": "none"}, "elements": [{"type": "group", "x": 0,
        "y": 0, "width": 800, "height": 400)" +
                            groupExtra + R"(, "elements": [{"type": "box", "x": 0, "y": 0,
        "width": 800, "height": 400, "fill": "#FFFFFF"}, )" +
                            content + "]}]}",
                        "warp-test.json");
    INFO((t.ok() ? std::string() : t.message()));
    REQUIRE(t.ok());
    return std::move(t.value());
}

Image render(test::TextStack &stack, const Theme &theme) {
    Recipient r;
    r.set("full_name", "JANE DOE");
    auto composed = stack.composer->compose(theme, r, 1920, 1080);
    REQUIRE(composed.ok());
    auto renderer = OverlayRenderer::create(test::gpu(), 1920, 1080, 2048);
    REQUIRE(renderer.ok());
    auto image = renderer.value()->render(composed->drawList, stack.glyphs->atlas());
    REQUIRE(image.ok());
    return std::move(image.value());
}

/// The homography taking the layer rectangle (0,0)-(800,400) onto kQuad, solved as the 8×8
/// linear system of the four correspondences (h33 = 1), by Gaussian elimination.
std::array<double, 9> solveHomography() {
    const double src[4][2] = {{0, 0}, {800, 0}, {800, 400}, {0, 400}};
    double m[8][9] = {};
    for (int i = 0; i < 4; ++i) {
        const double x = src[i][0], y = src[i][1];
        const double u = kQuad[static_cast<std::size_t>(i)][0];
        const double v = kQuad[static_cast<std::size_t>(i)][1];
        const double r1[9] = {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
        const double r2[9] = {0, 0, 0, x, y, 1, -v * x, -v * y, v};
        std::memcpy(m[2 * i], r1, sizeof r1);
        std::memcpy(m[2 * i + 1], r2, sizeof r2);
    }
    for (int c = 0; c < 8; ++c) {
        int pivot = c;
        for (int r = c + 1; r < 8; ++r) {
            if (std::abs(m[r][c]) > std::abs(m[pivot][c])) {
                pivot = r;
            }
        }
        for (int k = 0; k < 9; ++k) {
            std::swap(m[c][k], m[pivot][k]);
        }
        for (int r = 0; r < 8; ++r) {
            if (r == c) {
                continue;
            }
            const double f = m[r][c] / m[c][c];
            for (int k = 0; k < 9; ++k) {
                m[r][k] -= f * m[c][k];
            }
        }
    }
    std::array<double, 9> h{};
    for (int i = 0; i < 8; ++i) {
        h[static_cast<std::size_t>(i)] = m[i][8] / m[i][i];
    }
    h[8] = 1.0;
    return h;
}

/// The warped render sampled back onto the flat layer (bilinear), over white.
Image warpBack(const Image &warped) {
    const auto h = solveHomography();
    Image flat(800, 400);
    for (int y = 0; y < 400; ++y) {
        for (int x = 0; x < 800; ++x) {
            const double px = x + 0.5, py = y + 0.5;
            const double w = h[6] * px + h[7] * py + h[8];
            const double sx = (h[0] * px + h[1] * py + h[2]) / w - 0.5;
            const double sy = (h[3] * px + h[4] * py + h[5]) / w - 0.5;
            const int x0 = static_cast<int>(std::floor(sx));
            const int y0 = static_cast<int>(std::floor(sy));
            const double fx = sx - x0, fy = sy - y0;
            std::uint8_t *out = flat.at(x, y);
            for (int ch = 0; ch < 4; ++ch) {
                double v = 0.0;
                for (int dy = 0; dy < 2; ++dy) {
                    for (int dx = 0; dx < 2; ++dx) {
                        const int cx = std::clamp(x0 + dx, 0, warped.width - 1);
                        const int cy = std::clamp(y0 + dy, 0, warped.height - 1);
                        v += warped.at(cx, cy)[ch] * (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy);
                    }
                }
                out[ch] = static_cast<std::uint8_t>(std::lround(v));
            }
        }
    }
    return flat;
}

/// Distance from (x, y) to the quad's outline, negative inside (the quad is convex, clockwise).
double signedDistanceToQuad(double x, double y) {
    double d = -1e9;
    for (std::size_t i = 0; i < 4; ++i) {
        const auto &a = kQuad[i];
        const auto &b = kQuad[(i + 1) % 4];
        const double ex = b[0] - a[0], ey = b[1] - a[1];
        const double len = std::hypot(ex, ey);
        // Outward normal of a clockwise (y down) polygon edge: (ey, -ex).
        d = std::max(d, ((x - a[0]) * ey - (y - a[1]) * ex) / len);
    }
    return d;
}

} // namespace

TEST_CASE("warp: a name put on a trapezoid reads back by OCR once warped back independently; "
          "nothing outside the quad, nothing missing inside") {
    test::requireTesseract();
    test::TextStack stack;
    const Theme theme = themeWith(", \"quad\": " + quadJson(),
                                  R"({"type": "text", "text": "{full_name}", "x": 400, "y": 250,
        "align": "center", "size": 130, "color": "#111111"}, {"type": "box", "x": 700,
        "y": -60, "width": 300, "height": 120, "fill": "#D03030"})"); // runs off the note
    const Image warped = render(stack, theme);
    (void)writePng(warped, test::outputDir() / "warp-name.png", true);
    int outsideDrawn = 0;
    int insideMissing = 0;
    for (int y = 0; y < warped.height; ++y) {
        for (int x = 0; x < warped.width; ++x) {
            const double d = signedDistanceToQuad(x + 0.5, y + 0.5);
            const int a = warped.at(x, y)[3];
            outsideDrawn += d > 1.0 && a != 0 ? 1 : 0;
            insideMissing += d < -1.0 && a != 255 ? 1 : 0; // the white note covers its layer
        }
    }
    CHECK(outsideDrawn == 0);
    CHECK(insideMissing == 0);
    const std::string text = test::ocrLine(warpBack(warped), "warp-name-flat.png");
    CHECK_MESSAGE(text.find("JANE DOE") != std::string::npos, text);
}

TEST_CASE("warp: a checkerboard on a note, warped and warped back, matches the flat render "
          "(no gaps, no seams)") {
    test::TextStack stack;
    std::string cells;
    for (int row = 0; row < 4; ++row) {
        for (int col = 0; col < 8; ++col) {
            if ((row + col) % 2 == 0) {
                cells += (cells.empty() ? "" : ", ") + std::string(R"({"type": "box", "x": )") +
                         std::to_string(col * 100) + R"(, "y": )" + std::to_string(row * 100) +
                         R"(, "width": 100, "height": 100, "fill": "#202020"})";
            }
        }
    }
    const Image flat = render(stack, themeWith("", cells));
    const Image back = warpBack(render(stack, themeWith(", \"quad\": " + quadJson(), cells)));
    (void)writePng(back, test::outputDir() / "warp-checker-back.png", true);
    // Away from the cell edges (where resampling twice blurs), every pixel matches.
    int wrong = 0;
    for (int y = 0; y < 400; ++y) {
        for (int x = 0; x < 800; ++x) {
            if (x % 100 < 4 || x % 100 > 95 || y % 100 < 4 || y % 100 > 95) {
                continue;
            }
            for (int ch = 0; ch < 4; ++ch) {
                wrong += std::abs(flat.at(x, y)[ch] - back.at(x, y)[ch]) > 8 ? 1 : 0;
            }
        }
    }
    CHECK(wrong == 0);
    // And at the cell edges it is still opaque everywhere (no gap lets the scene through).
    int holes = 0;
    for (int y = 2; y < 398; ++y) {
        for (int x = 2; x < 798; ++x) {
            holes += back.at(x, y)[3] < 250 ? 1 : 0;
        }
    }
    CHECK(holes == 0);
}

TEST_CASE("warp: rotate tilts a group about its center; a group without quad or rotate is flat") {
    test::TextStack stack;
    Recipient r;
    const Theme flatTheme = themeWith("", R"({"type": "box", "x": 0, "y": 0, "width": 10,
        "height": 10, "fill": "#FF0000"})");
    auto flat = stack.composer->compose(flatTheme, r, 1920, 1080);
    REQUIRE(flat.ok());
    CHECK(flat->drawList.warps.empty());
    const PixelRect flatBounds = flat->drawList.bounds(1920, 1080);
    CHECK(flatBounds.x == 0);
    CHECK(flatBounds.y == 0);
    CHECK(flatBounds.width == 801); // boxes carry a pixel of antialiasing
    CHECK(flatBounds.height == 401);
    const Theme tilted = themeWith(", \"rotate\": 90", R"({"type": "box", "x": 0, "y": 0,
        "width": 10, "height": 10, "fill": "#FF0000"})");
    auto turned = stack.composer->compose(tilted, r, 1920, 1080);
    REQUIRE(turned.ok());
    REQUIRE(turned->drawList.warps.size() == 1);
    // 800×400 about (400, 200), a quarter turn: 400 wide, 800 tall, same center (its top is
    // off the canvas).
    CHECK(turned->drawList.bounds(1920, 1080) == PixelRect{200, 0, 400, 600});
    // Half a turn: the red square at the layer's top-left lands at its bottom-right.
    const Image img = render(stack, themeWith(", \"rotate\": 180", R"({"type": "box", "x": 0,
        "y": 0, "width": 10, "height": 10, "fill": "#FF0000"})"));
    CHECK(img.at(795, 395)[0] > 200);
    CHECK(img.at(795, 395)[1] < 60);
    CHECK(img.at(5, 5)[0] > 200);
    CHECK(img.at(5, 5)[1] > 200); // white paper, not red
}

TEST_CASE("warp: a single text element with a quad lands inside it") {
    test::TextStack stack;
    auto t = parseTheme(R"({"cuecard_theme": 1, "canvas": {"width": 1920, "height": 1080},
        "animation": {"in": "none", "out": "none"}, "elements": [{"type": "text",
        "text": "{full_name}", "x": 400, "y": 200, "align": "center", "max_width": 800,
        "size": 120, "color": "#FFFFFF", "quad": )" +
                            quadJson() + "}]}",
                        "warp-text.json");
    REQUIRE(t.ok());
    const Image img = render(stack, t.value());
    int outside = 0;
    int inside = 0;
    for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x) {
            const double d = signedDistanceToQuad(x + 0.5, y + 0.5);
            const int a = img.at(x, y)[3];
            outside += d > 1.0 && a != 0 ? 1 : 0;
            inside += d < 0.0 && a > 128 ? 1 : 0;
        }
    }
    CHECK(outside == 0);
    CHECK(inside > 5000); // the name, in perspective
}
