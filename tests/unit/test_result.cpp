// SPDX-License-Identifier: GPL-2.0-or-later
// Result, Status and Vulkan errors: what a caller can tell from a failure.

#include "core/render/vulkan_context.hpp"

#include <doctest/doctest.h>

using namespace cuecard;

TEST_CASE("vkError: the message says what failed and what to do; the VkResult travels with it") {
    const Error lost = vkError("rendering the overlay", VK_ERROR_DEVICE_LOST);
    CHECK(lost.vkResult == VK_ERROR_DEVICE_LOST);
    CHECK(lost.message ==
          "rendering the overlay failed (VK_ERROR_DEVICE_LOST); the GPU driver reset, restart OBS");
    const Status s = vkError("allocating the atlas", VK_ERROR_OUT_OF_DEVICE_MEMORY);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().vkResult == VK_ERROR_OUT_OF_DEVICE_MEMORY);
    CHECK(makeError("recipients.csv line 14: unterminated quote").vkResult == 0);
}
