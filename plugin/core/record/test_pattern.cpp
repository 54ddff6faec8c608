// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/record/test_pattern.hpp"

#include <algorithm>
#include <cmath>

namespace cuecard {

int patternBlock(int width) {
    return std::max(8, width / 40);
}

void drawTestFrame(Image &frame, std::int64_t index) {
    const int w = frame.width;
    const int h = frame.height;
    for (int y = 0; y < h; ++y) {
        std::uint8_t *row = frame.row(y);
        for (int x = 0; x < w; ++x) {
            const int shift = static_cast<int>((index * 4) % w);
            std::uint8_t *p = row + static_cast<std::size_t>(x) * 4;
            p[0] = static_cast<std::uint8_t>(40 + ((x + shift) % w) * 120 / w);
            p[1] = static_cast<std::uint8_t>(60 + y * 100 / h);
            p[2] = static_cast<std::uint8_t>(110);
            p[3] = 255;
        }
    }
    const int b = patternBlock(w);
    for (int bit = 0; bit < kPatternBits; ++bit) {
        const bool one = ((index >> bit) & 1) != 0;
        const int x0 = b / 2 + bit * b;
        for (int y = b / 2; y < b / 2 + b && y < h; ++y) {
            for (int x = x0; x < x0 + b && x < w; ++x) {
                std::uint8_t *p = frame.at(x, y);
                p[0] = p[1] = p[2] = one ? 250 : 5;
            }
        }
    }
}

std::int64_t readFrameIndex(const std::uint8_t *luma, int linesize, int width, int height) {
    const int b = patternBlock(width);
    if (b / 2 + b > height || b / 2 + kPatternBits * b > width) {
        return -1;
    }
    std::int64_t index = 0;
    for (int bit = 0; bit < kPatternBits; ++bit) {
        // Average the middle half of the block: robust to ringing at the edges.
        int sum = 0;
        int n = 0;
        const int x0 = b / 2 + bit * b;
        for (int y = b / 2 + b / 4; y < b / 2 + 3 * b / 4; ++y) {
            for (int x = x0 + b / 4; x < x0 + 3 * b / 4; ++x) {
                sum += luma[static_cast<std::ptrdiff_t>(y) * linesize + x];
                ++n;
            }
        }
        const int mean = sum / std::max(1, n);
        if (mean > 96 && mean < 160) {
            return -1; // neither black nor white: not our pattern
        }
        if (mean >= 160) {
            index |= std::int64_t{1} << bit;
        }
    }
    return index;
}

void fillTestTone(std::vector<std::vector<float>> &planes, std::int64_t first, int frames,
                  int sampleRate) {
    const double freqs[2] = {440.0, 660.0};
    for (std::size_t ch = 0; ch < planes.size(); ++ch) {
        planes[ch].resize(static_cast<std::size_t>(frames));
        const double f = freqs[ch % 2];
        for (int i = 0; i < frames; ++i) {
            const double t = static_cast<double>(first + i) / sampleRate;
            planes[ch][static_cast<std::size_t>(i)] =
                static_cast<float>(0.25 * std::sin(2.0 * 3.141592653589793 * f * t));
        }
    }
}

} // namespace cuecard
