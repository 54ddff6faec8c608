// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/render_stack.hpp"

namespace cuecard::cli {

Result<RenderStack> RenderStack::create(const std::vector<std::filesystem::path> &fontDirs,
                                        int width, int height) {
    RenderStack s;
    auto fonts = FontCollection::create(fontDirs);
    if (!fonts) {
        return fonts.error();
    }
    s.fonts = std::move(fonts.value());
    s.glyphs = std::make_unique<GlyphCache>(*s.fonts);
    s.composer = std::make_unique<OverlayComposer>(*s.fonts, *s.glyphs);
    auto context = VulkanContext::create();
    if (!context) {
        return context.error();
    }
    s.context = context.value();
    auto renderer = OverlayRenderer::create(s.context, width, height, s.glyphs->atlas().width());
    if (!renderer) {
        return renderer.error();
    }
    s.renderer = std::move(renderer.value());
    return s;
}

} // namespace cuecard::cli
