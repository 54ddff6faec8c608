// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// The Vulkan context shared by the GPU tests (created once in main).

#include "core/queue/recipient.hpp"
#include "core/render/overlay_renderer.hpp"
#include "core/render/vulkan_context.hpp"
#include "core/util/image.hpp"
#include "core/util/png_io.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace cuecard::test {

std::shared_ptr<VulkanContext> gpu();

struct ImageDiff {
    int differing = 0;   ///< pixels where some channel differs by more than the tolerance
    int maxDelta = 0;    ///< largest channel difference anywhere
    double fraction = 0; ///< differing / all pixels
};

/// Compares two images of the same size channel by channel.
ImageDiff compareImages(const Image &a, const Image &b, int tolerance);

/// A visible diff: differing pixels red, the rest a faded copy of `expected`.
Image diffImage(const Image &expected, const Image &actual, int tolerance);

/// A recipient with the three fields the built-in themes show.
inline Recipient person(const std::string &name, const std::string &title,
                        const std::string &company) {
    Recipient r;
    r.set("full_name", name);
    r.set("title", title);
    r.set("company", company);
    return r;
}

/// Straight-alpha RGBA of one pixel, for readable assertions.
std::string pixelString(const Image &image, int x, int y);

} // namespace cuecard::test
