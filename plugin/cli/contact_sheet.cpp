// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/contact_sheet.hpp"

#include "core/render/overlay_renderer.hpp"

#include <algorithm>
#include <cmath>

namespace cuecard::cli {

Result<Image> makeContactSheet(const std::vector<SheetEntry> &entries, OverlayComposer &composer,
                               GlyphCache &glyphs, std::shared_ptr<VulkanContext> context) {
    if (entries.empty()) {
        return makeError("nothing to put on the contact sheet");
    }
    const std::size_t count = std::min(entries.size(), kMaxSheetEntries);
    const int cols =
        std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(count)))));
    const int rows = static_cast<int>((count + static_cast<std::size_t>(cols) - 1) /
                                      static_cast<std::size_t>(cols));
    const Image &first = entries.front().image;
    const int thumbW = std::clamp(1920 / cols, 160, 480);
    const int thumbH = std::max(1, thumbW * first.height / std::max(1, first.width));
    constexpr int kMargin = 24;
    constexpr int kLabel = 34;
    const int cellW = thumbW + kMargin;
    const int cellH = thumbH + kLabel + kMargin;
    const int width = cols * cellW + kMargin;
    const int height = rows * cellH + kMargin;

    Image sheet(width, height);
    fill(sheet, 0x5B, 0x61, 0x6B); // neutral mid grey: light and dark overlays both read
    Theme labels;
    labels.width = width;
    labels.height = height;
    labels.fallbackFamilies = {"Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew",
                               "Noto Sans CJK SC"};
    DrawList list;
    for (std::size_t i = 0; i < count; ++i) {
        const int col = static_cast<int>(i) % cols;
        const int row = static_cast<int>(i) / cols;
        const int x = kMargin + col * cellW;
        const int y = kMargin + row * cellH;
        // A darker well with a checker shows where the overlay is transparent.
        Image well(thumbW, thumbH);
        for (int py = 0; py < thumbH; ++py) {
            for (int px = 0; px < thumbW; ++px) {
                const bool dark = ((px / 12) + (py / 12)) % 2 == 0;
                std::uint8_t *p = well.at(px, py);
                p[0] = p[1] = p[2] = dark ? 0x3A : 0x44;
                p[3] = 255;
            }
        }
        compositeOver(well, downscale(entries[i].image, thumbW, thumbH), 0, 0);
        blit(sheet, well, x, y);

        // Number and name are laid out apart, so a right-to-left name never moves the number.
        TextElement number;
        number.x = static_cast<float>(x);
        number.y = static_cast<float>(y + thumbH + 24);
        number.size = 18.0f;
        number.font.family = "Inter";
        number.font.weight = 700;
        number.color = Color{0.96f, 0.97f, 0.98f, 1.0f};
        TextElement name = number;
        name.x += 48.0f;
        name.font.weight = 500;
        name.minSize = 12.0f;
        name.maxWidth = static_cast<float>(thumbW - 48);
        if (Status s = composer.appendText(list, labels, number, entries[i].number, 1.0f, 0.0f,
                                           0.0f, nullptr);
            !s) {
            return s.error();
        }
        if (Status s =
                composer.appendText(list, labels, name, entries[i].name, 1.0f, 0.0f, 0.0f, nullptr);
            !s) {
            return s.error();
        }
    }
    auto renderer =
        OverlayRenderer::create(std::move(context), width, height, glyphs.atlas().width());
    if (!renderer) {
        return renderer.error();
    }
    auto text = renderer.value()->render(list, glyphs.atlas());
    if (!text) {
        return text.error();
    }
    compositeOver(sheet, text.value(), 0, 0);
    return sheet;
}

} // namespace cuecard::cli
