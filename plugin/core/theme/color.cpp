// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/theme/color.hpp"

namespace cuecard {
namespace {

int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

} // namespace

std::optional<Color> Color::parse(std::string_view hex) {
    if (hex.empty() || hex.front() != '#' || (hex.size() != 7 && hex.size() != 9)) {
        return std::nullopt;
    }
    float channels[4] = {0.0f, 0.0f, 0.0f, 1.0f};
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        const int hi = hexDigit(hex[i + 1]);
        const int lo = i + 2 < hex.size() ? hexDigit(hex[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        channels[i / 2] = static_cast<float>(hi * 16 + lo) / 255.0f;
    }
    return Color{channels[0], channels[1], channels[2], channels[3]};
}

} // namespace cuecard
