// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A grid of every rendered overlay, downscaled over a neutral background and labelled with
/// the row number and name, so a rep checks a whole queue at a glance.

#include "core/render/overlay_composer.hpp"
#include "core/render/vulkan_context.hpp"
#include "core/util/image.hpp"
#include "core/util/result.hpp"

#include <memory>
#include <string>
#include <vector>

namespace cuecard::cli {

struct SheetEntry {
    std::string number; ///< "001"
    std::string name;
    Image image;
};

/// Thumbnails at most this many; the rest are left out of the sheet (not of the render).
constexpr std::size_t kMaxSheetEntries = 400;

Result<Image> makeContactSheet(const std::vector<SheetEntry> &entries, OverlayComposer &composer,
                               GlyphCache &glyphs, std::shared_ptr<VulkanContext> context);

} // namespace cuecard::cli
