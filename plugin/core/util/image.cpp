// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/util/image.hpp"

#include <algorithm>
#include <cstring>

namespace cuecard {

void fill(Image &image, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    for (std::size_t i = 0; i + 3 < image.pixels.size(); i += 4) {
        image.pixels[i] = r;
        image.pixels[i + 1] = g;
        image.pixels[i + 2] = b;
        image.pixels[i + 3] = 255;
    }
}

void compositeOver(Image &dst, const Image &src, int x, int y) {
    for (int sy = 0; sy < src.height; ++sy) {
        const int dy = y + sy;
        if (dy < 0 || dy >= dst.height) {
            continue;
        }
        for (int sx = 0; sx < src.width; ++sx) {
            const int dx = x + sx;
            if (dx < 0 || dx >= dst.width) {
                continue;
            }
            const std::uint8_t *s = src.at(sx, sy);
            std::uint8_t *d = dst.at(dx, dy);
            const int inv = 255 - s[3];
            for (int c = 0; c < 4; ++c) {
                d[c] = static_cast<std::uint8_t>(std::min(255, s[c] + (d[c] * inv + 127) / 255));
            }
        }
    }
}

Image downscale(const Image &src, int width, int height) {
    Image out(width, height);
    const double fx = static_cast<double>(src.width) / width;
    const double fy = static_cast<double>(src.height) / height;
    for (int y = 0; y < height; ++y) {
        const int y0 = static_cast<int>(y * fy);
        const int y1 = std::max(y0 + 1, std::min(src.height, static_cast<int>((y + 1) * fy)));
        for (int x = 0; x < width; ++x) {
            const int x0 = static_cast<int>(x * fx);
            const int x1 = std::max(x0 + 1, std::min(src.width, static_cast<int>((x + 1) * fx)));
            unsigned sum[4] = {0, 0, 0, 0};
            for (int sy = y0; sy < y1; ++sy) {
                for (int sx = x0; sx < x1; ++sx) {
                    const std::uint8_t *p = src.at(sx, sy);
                    for (int c = 0; c < 4; ++c) {
                        sum[c] += p[c];
                    }
                }
            }
            const unsigned n = static_cast<unsigned>((y1 - y0) * (x1 - x0));
            std::uint8_t *d = out.at(x, y);
            for (int c = 0; c < 4; ++c) {
                d[c] = static_cast<std::uint8_t>((sum[c] + n / 2) / n);
            }
        }
    }
    return out;
}

void blit(Image &dst, const Image &src, int x, int y) {
    for (int sy = 0; sy < src.height; ++sy) {
        const int dy = y + sy;
        if (dy < 0 || dy >= dst.height) {
            continue;
        }
        const int x0 = std::max(0, x);
        const int x1 = std::min(dst.width, x + src.width);
        if (x1 <= x0) {
            continue;
        }
        std::memcpy(dst.at(x0, dy), src.at(x0 - x, sy), static_cast<std::size_t>(x1 - x0) * 4);
    }
}

Image cropToContent(const Image &src, int margin) {
    int x0 = src.width, y0 = src.height, x1 = -1, y1 = -1;
    for (int y = 0; y < src.height; ++y) {
        const std::uint8_t *p = src.row(y);
        for (int x = 0; x < src.width; ++x) {
            if (p[static_cast<std::size_t>(x) * 4 + 3] != 0) {
                x0 = std::min(x0, x);
                x1 = std::max(x1, x);
                y0 = std::min(y0, y);
                y1 = std::max(y1, y);
            }
        }
    }
    if (x1 < 0) {
        return src;
    }
    x0 = std::max(0, x0 - margin);
    y0 = std::max(0, y0 - margin);
    x1 = std::min(src.width - 1, x1 + margin);
    y1 = std::min(src.height - 1, y1 + margin);
    Image out(x1 - x0 + 1, y1 - y0 + 1);
    for (int y = 0; y < out.height; ++y) {
        std::copy_n(src.at(x0, y0 + y), static_cast<std::size_t>(out.width) * 4, out.row(y));
    }
    return out;
}

} // namespace cuecard
