// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The OpenGL half of the zero-copy path, with nothing of OBS in it: an OpenGL context imports
/// the memory of the images Cuecard's Vulkan renders into (GL_EXT_memory_object_fd) as the
/// storage of one of its textures. OBS's glue (obs/gl_interop) runs it in OBS's context; the GPU
/// test runs the same code in an EGL context of its own (no X server), so what the test checks
/// on a driver is what OBS does there. Every call needs the context it was loaded for current.

#include "core/render/vulkan_context.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace cuecard {

class GlMemoryImport {
  public:
    /// eglGetProcAddress or the like.
    using GetProc = void *(*)(const char *);
    /// Loads the functions through `getProc`, with the context current; error() says what is
    /// missing.
    explicit GlMemoryImport(GetProc getProc);
    /// Nothing loaded, and why (e.g. "OBS is not rendering through EGL").
    static GlMemoryImport unavailable(std::string why);

    /// Empty when the functions are there.
    const std::string &error() const { return error_; }
    /// GL_RENDERER ("unknown" when it cannot be read).
    std::string renderer() const;
    /// Empty when this context can import `vulkan`'s memory: it has GL_EXT_memory_object_fd and
    /// reports the device and driver UUIDs Vulkan reports. Otherwise why not, for the log.
    std::string probe(const VulkanContext &vulkan) const;

    /// Imports `fd` (taken over, closed on failure too): a dedicated allocation of `size` bytes
    /// holding a `width`×`height` RGBA8 image in optimal tiling, made the storage of `texture`
    /// (a GL texture name with no storage yet). Restores GL_TEXTURE_BINDING_2D. Returns the
    /// memory object; delete it with deleteMemory once the texture is deleted.
    Result<unsigned> importInto(unsigned texture, int fd, std::uint64_t size, int width,
                                int height) const;
    void deleteMemory(unsigned memoryObject) const;

    /// A fence after everything OpenGL has been asked to do so far (nullptr on failure).
    void *insertFence() const;
    /// True once `fence` has passed (and then deletes it), waiting up to `timeoutNs`.
    bool waitFence(void *fence, std::uint64_t timeoutNs) const;
    void deleteFence(void *fence) const;

  private:
    GlMemoryImport() = default;
    struct Functions; // typed with the GL headers, in the .cpp
    bool hasExtension(const char *name) const;
    void clearErrors() const;
    std::shared_ptr<const Functions> f_;
    std::string error_;
};

} // namespace cuecard
