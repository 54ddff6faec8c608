// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Fonts, glyph atlas, composer and a Vulkan renderer at one size: what `render` and `session`
/// both need to turn a theme and a recipient into pixels.

#include "core/render/overlay_composer.hpp"
#include "core/render/overlay_renderer.hpp"
#include "core/text/glyph_cache.hpp"
#include "core/util/result.hpp"

#include <filesystem>
#include <memory>
#include <vector>

namespace cuecard::cli {

struct RenderStack {
    std::unique_ptr<FontCollection> fonts;
    std::unique_ptr<GlyphCache> glyphs;
    std::unique_ptr<OverlayComposer> composer;
    std::shared_ptr<VulkanContext> context;
    std::unique_ptr<OverlayRenderer> renderer;

    static Result<RenderStack> create(const std::vector<std::filesystem::path> &fontDirs, int width,
                                      int height);
};

} // namespace cuecard::cli
