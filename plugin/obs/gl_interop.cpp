// SPDX-License-Identifier: GPL-2.0-or-later
// core/render/gl_import in OBS's OpenGL context, through eglGetProcAddress from the libEGL that
// libobs-opengl already loaded: nothing here links against libGL, and nothing runs unless OBS
// renders with OpenGL.

#include "obs/gl_interop.hpp"

#include "core/render/gl_import.hpp"

#include <EGL/egl.h>
#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <optional>

namespace cuecard::obs {
namespace {

/// Loaded once, on the graphics thread, with OBS's context current.
const GlMemoryImport &gl() {
    static std::once_flag once;
    static std::optional<GlMemoryImport> f;
    std::call_once(once, [] {
        void *egl = dlopen("libEGL.so.1", RTLD_NOW | RTLD_NOLOAD);
        if (egl == nullptr) {
            f = GlMemoryImport::unavailable("OBS is not rendering through EGL");
            return;
        }
        auto getProc = reinterpret_cast<PFNEGLGETPROCADDRESSPROC>(dlsym(egl, "eglGetProcAddress"));
        auto currentContext =
            reinterpret_cast<PFNEGLGETCURRENTCONTEXTPROC>(dlsym(egl, "eglGetCurrentContext"));
        dlclose(egl); // still loaded by libobs-opengl
        if (getProc == nullptr || currentContext == nullptr || currentContext() == EGL_NO_CONTEXT) {
            f = GlMemoryImport::unavailable("OBS's OpenGL context is not current on this thread");
            return;
        }
        f.emplace(reinterpret_cast<GlMemoryImport::GetProc>(getProc));
    });
    return *f;
}

} // namespace

std::string probeGlImport(const VulkanContext &vulkan) {
    if (gs_get_device_type() != GS_DEVICE_OPENGL) {
        return "OBS is not rendering with OpenGL";
    }
    return gl().probe(vulkan);
}

Result<ImportedTexture> importTexture(int fd, std::uint64_t size, int width, int height) {
    const GlMemoryImport &f = gl();
    if (!f.error().empty()) {
        ::close(fd);
        return makeError(f.error());
    }
    if (std::getenv("CUECARD_TEST_REFUSE_GL_IMPORT") != nullptr) {
        // For tests: the fallback when a driver refuses an import that its probe allowed.
        ::close(fd);
        return makeError("OpenGL refused the import (CUECARD_TEST_REFUSE_GL_IMPORT)");
    }
    ImportedTexture out;
    out.texture = gs_texture_create(static_cast<std::uint32_t>(width),
                                    static_cast<std::uint32_t>(height), GS_RGBA, 1, nullptr, 0);
    if (out.texture == nullptr) {
        ::close(fd);
        return makeError("OBS could not create a texture to import the overlay into");
    }
    const unsigned name = *static_cast<const unsigned *>(gs_texture_get_obj(out.texture));
    auto memory = f.importInto(name, fd, size, width, height);
    if (!memory) {
        destroyImported(out);
        return makeError(memory.message());
    }
    out.memoryObject = memory.value();
    return out;
}

void destroyImported(ImportedTexture &imported) {
    if (imported.texture != nullptr) {
        gs_texture_destroy(imported.texture);
        imported.texture = nullptr;
    }
    gl().deleteMemory(imported.memoryObject);
    imported.memoryObject = 0;
}

void *insertGlFence() {
    return gl().insertFence();
}

bool glFencePassed(void *fence) {
    return waitGlFence(fence, 0);
}

bool waitGlFence(void *fence, std::uint64_t timeoutNs) {
    return gl().waitFence(fence, timeoutNs);
}

void deleteGlFence(void *fence) {
    gl().deleteFence(fence);
}

} // namespace cuecard::obs
