// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Colors as themes write them ("#RRGGBB" or "#RRGGBBAA", straight alpha) and as the renderer
/// wants them (premultiplied).

#include <optional>
#include <string_view>

namespace cuecard {

struct Color {
    float r = 0.0f;
    float g = 0.0f;
    float b = 0.0f;
    float a = 1.0f; ///< straight (not premultiplied) alpha

    Color premultiplied() const { return Color{r * a, g * a, b * a, a}; }
    static std::optional<Color> parse(std::string_view hex);
};

} // namespace cuecard
