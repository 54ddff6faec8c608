// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// The OpenGL half of the zero-copy texture path: OBS's OpenGL imports the memory of the images
// Cuecard's Vulkan renders into (GL_EXT_memory_object_fd), wrapped in an ordinary gs_texture_t,
// so a new recipient costs OBS's graphics thread neither a readback nor an upload. Call only on
// OBS's graphics thread (a render/tick callback or between obs_enter/leave_graphics).

#include "core/render/vulkan_context.hpp"
#include "core/util/result.hpp"

#include <graphics/graphics.h>

#include <cstdint>
#include <string>

namespace cuecard::obs {

struct ImportedTexture {
    gs_texture_t *texture = nullptr;
    unsigned memoryObject = 0; ///< the GL memory object behind `texture`
};

/// Whether OBS's OpenGL can import `vulkan`'s memory: OBS renders with OpenGL through EGL, the
/// GL has GL_EXT_memory_object_fd, and GL and Vulkan report the same device and driver UUIDs.
/// Empty when it can; otherwise why not, in words for the log.
std::string probeGlImport(const VulkanContext &vulkan);

/// Imports a `width`×`height` RGBA8 image (dedicated allocation of `size` bytes, optimal
/// tiling) from `fd`, which it takes over (closed on failure too).
Result<ImportedTexture> importTexture(int fd, std::uint64_t size, int width, int height);
/// Only once OpenGL has finished every draw from it (a fence set after the last one has
/// passed): some drivers (Mesa 22's llvmpipe) unmap the memory at once, under draws in flight.
void destroyImported(ImportedTexture &imported);

/// A fence after everything OpenGL has been asked to do so far (nullptr on failure).
void *insertGlFence();
/// True once `fence` has passed (and then deletes it); never blocks.
bool glFencePassed(void *fence);
/// Like glFencePassed, but waits up to `timeoutNs` for it (not for the render path).
bool waitGlFence(void *fence, std::uint64_t timeoutNs);
void deleteGlFence(void *fence);

} // namespace cuecard::obs
