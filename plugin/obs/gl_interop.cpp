// SPDX-License-Identifier: GPL-2.0-or-later
// GL_EXT_memory_object(_fd) through eglGetProcAddress from the libEGL that libobs-opengl already
// loaded: nothing here links against libGL, and nothing runs unless OBS renders with OpenGL.

#include "obs/gl_interop.hpp"

#include <EGL/egl.h>
#include <GL/gl.h>
#include <GL/glext.h>
#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <string_view>

namespace cuecard::obs {
namespace {

// GL 1.x entry points have no PFN typedefs in glext.h; decltype of their prototypes (never
// called directly, so nothing links against libGL) gives the same types.
struct GlFunctions {
    decltype(&::glGetError) getError = nullptr;
    decltype(&::glGetIntegerv) getIntegerv = nullptr;
    decltype(&::glGetString) getString = nullptr;
    PFNGLGETSTRINGIPROC getStringi = nullptr;
    decltype(&::glBindTexture) bindTexture = nullptr;
    decltype(&::glTexParameteri) texParameteri = nullptr;
    decltype(&::glGetTexParameteriv) getTexParameteriv = nullptr;
    PFNGLGETUNSIGNEDBYTEVEXTPROC getUnsignedBytev = nullptr;
    PFNGLGETUNSIGNEDBYTEI_VEXTPROC getUnsignedBytei = nullptr;
    PFNGLCREATEMEMORYOBJECTSEXTPROC createMemoryObjects = nullptr;
    PFNGLDELETEMEMORYOBJECTSEXTPROC deleteMemoryObjects = nullptr;
    PFNGLMEMORYOBJECTPARAMETERIVEXTPROC memoryObjectParameteriv = nullptr;
    PFNGLIMPORTMEMORYFDEXTPROC importMemoryFd = nullptr;
    PFNGLTEXSTORAGEMEM2DEXTPROC texStorageMem2D = nullptr;
    PFNGLFENCESYNCPROC fenceSync = nullptr;
    PFNGLCLIENTWAITSYNCPROC clientWaitSync = nullptr;
    PFNGLDELETESYNCPROC deleteSync = nullptr;
    std::string error; ///< why the functions are not there
};

/// Loaded once, on the graphics thread, with OBS's context current.
const GlFunctions &gl() {
    static std::once_flag once;
    static GlFunctions f;
    std::call_once(once, [] {
        void *egl = dlopen("libEGL.so.1", RTLD_NOW | RTLD_NOLOAD);
        if (egl == nullptr) {
            f.error = "OBS is not rendering through EGL";
            return;
        }
        auto getProc = reinterpret_cast<PFNEGLGETPROCADDRESSPROC>(dlsym(egl, "eglGetProcAddress"));
        auto currentContext =
            reinterpret_cast<PFNEGLGETCURRENTCONTEXTPROC>(dlsym(egl, "eglGetCurrentContext"));
        dlclose(egl); // still loaded by libobs-opengl
        if (getProc == nullptr || currentContext == nullptr || currentContext() == EGL_NO_CONTEXT) {
            f.error = "OBS's OpenGL context is not current on this thread";
            return;
        }
        bool complete = true;
        const auto load = [&](auto &fn, const char *name) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(getProc(name));
            complete = complete && fn != nullptr;
        };
        load(f.getError, "glGetError");
        load(f.getIntegerv, "glGetIntegerv");
        load(f.getString, "glGetString");
        load(f.getStringi, "glGetStringi");
        load(f.bindTexture, "glBindTexture");
        load(f.texParameteri, "glTexParameteri");
        load(f.getTexParameteriv, "glGetTexParameteriv");
        load(f.getUnsignedBytev, "glGetUnsignedBytevEXT");
        load(f.getUnsignedBytei, "glGetUnsignedBytei_vEXT");
        load(f.createMemoryObjects, "glCreateMemoryObjectsEXT");
        load(f.deleteMemoryObjects, "glDeleteMemoryObjectsEXT");
        load(f.memoryObjectParameteriv, "glMemoryObjectParameterivEXT");
        load(f.importMemoryFd, "glImportMemoryFdEXT");
        load(f.texStorageMem2D, "glTexStorageMem2DEXT");
        load(f.fenceSync, "glFenceSync");
        load(f.clientWaitSync, "glClientWaitSync");
        load(f.deleteSync, "glDeleteSync");
        if (!complete) {
            f.error = "OBS's OpenGL lacks the GL_EXT_memory_object_fd functions";
        }
    });
    return f;
}

bool hasExtension(const GlFunctions &f, std::string_view name) {
    GLint count = 0;
    f.getIntegerv(GL_NUM_EXTENSIONS, &count);
    for (GLint i = 0; i < count; ++i) {
        const auto *ext = reinterpret_cast<const char *>(f.getStringi(GL_EXTENSIONS, GLuint(i)));
        if (ext != nullptr && name == ext) {
            return true;
        }
    }
    return false;
}

void clearErrors(const GlFunctions &f) {
    for (int i = 0; i < 16 && f.getError() != GL_NO_ERROR; ++i) {
    }
}

std::string glErrorText(GLenum e) {
    switch (e) {
    case GL_INVALID_ENUM:
        return "GL_INVALID_ENUM";
    case GL_INVALID_VALUE:
        return "GL_INVALID_VALUE";
    case GL_INVALID_OPERATION:
        return "GL_INVALID_OPERATION";
    case GL_OUT_OF_MEMORY:
        return "GL_OUT_OF_MEMORY";
    default:
        return "GL error " + std::to_string(e);
    }
}

} // namespace

std::string probeGlImport(const VulkanContext &vulkan) {
    if (gs_get_device_type() != GS_DEVICE_OPENGL) {
        return "OBS is not rendering with OpenGL";
    }
    if (!vulkan.canExportMemory()) {
        return "Vulkan cannot export: " + vulkan.exportError();
    }
    const GlFunctions &f = gl();
    if (!f.error.empty()) {
        return f.error;
    }
    const auto *renderer = reinterpret_cast<const char *>(f.getString(GL_RENDERER));
    const std::string glName = renderer != nullptr ? renderer : "unknown";
    if (!hasExtension(f, "GL_EXT_memory_object_fd")) {
        return "OpenGL (" + glName + ") lacks GL_EXT_memory_object_fd";
    }
    clearErrors(f);
    GLubyte driver[GL_UUID_SIZE_EXT] = {};
    f.getUnsignedBytev(GL_DRIVER_UUID_EXT, driver);
    GLint devices = 0;
    f.getIntegerv(GL_NUM_DEVICE_UUIDS_EXT, &devices);
    bool sameDevice = false;
    for (GLint i = 0; i < devices && !sameDevice; ++i) {
        GLubyte device[GL_UUID_SIZE_EXT] = {};
        f.getUnsignedBytei(GL_DEVICE_UUID_EXT, GLuint(i), device);
        sameDevice = std::equal(std::begin(device), std::end(device), vulkan.deviceUuid().begin());
    }
    const bool sameDriver =
        std::equal(std::begin(driver), std::end(driver), vulkan.driverUuid().begin());
    if (const GLenum e = f.getError(); e != GL_NO_ERROR) {
        return "OpenGL could not report its device (" + glErrorText(e) + ")";
    }
    if (!sameDevice || !sameDriver) {
        return "OpenGL (" + glName + ") and Vulkan (" + vulkan.deviceName() + ") are " +
               (sameDevice ? "different drivers" : "different devices");
    }
    return {};
}

Result<ImportedTexture> importTexture(int fd, std::uint64_t size, int width, int height) {
    const GlFunctions &f = gl();
    if (!f.error.empty()) {
        ::close(fd);
        return makeError(f.error);
    }
    if (std::getenv("CUECARD_TEST_REFUSE_GL_IMPORT") != nullptr) {
        // For tests: the fallback when a driver refuses an import that its probe allowed.
        ::close(fd);
        return makeError("OpenGL refused the import (CUECARD_TEST_REFUSE_GL_IMPORT)");
    }
    clearErrors(f);
    ImportedTexture out;
    out.texture = gs_texture_create(static_cast<std::uint32_t>(width),
                                    static_cast<std::uint32_t>(height), GS_RGBA, 1, nullptr, 0);
    if (out.texture == nullptr) {
        ::close(fd);
        return makeError("OBS could not create a texture to import the overlay into");
    }
    f.createMemoryObjects(1, &out.memoryObject);
    const GLint dedicated = GL_TRUE;
    f.memoryObjectParameteriv(out.memoryObject, GL_DEDICATED_MEMORY_OBJECT_EXT, &dedicated);
    f.importMemoryFd(out.memoryObject, size, GL_HANDLE_TYPE_OPAQUE_FD_EXT, fd);
    if (const GLenum e = f.getError(); e != GL_NO_ERROR) {
        ::close(fd); // not taken over on failure
        destroyImported(out);
        return makeError("OpenGL could not import the overlay's memory (" + glErrorText(e) + ")");
    }
    // Give OBS's texture the imported memory as its storage. Restore the binding afterwards:
    // libobs caches which texture each unit holds.
    const GLuint name = *static_cast<const GLuint *>(gs_texture_get_obj(out.texture));
    GLint previous = 0;
    f.getIntegerv(GL_TEXTURE_BINDING_2D, &previous);
    f.bindTexture(GL_TEXTURE_2D, name);
    f.texParameteri(GL_TEXTURE_2D, GL_TEXTURE_TILING_EXT, GL_OPTIMAL_TILING_EXT);
    f.texStorageMem2D(GL_TEXTURE_2D, 1, GL_RGBA8, width, height, out.memoryObject, 0);
    GLint immutable = GL_FALSE;
    f.getTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_IMMUTABLE_FORMAT, &immutable);
    const GLenum e = f.getError();
    f.bindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous));
    if (e != GL_NO_ERROR || immutable != GL_TRUE) {
        destroyImported(out);
        return makeError("OpenGL could not use the imported memory as a texture (" +
                         (e != GL_NO_ERROR ? glErrorText(e) : std::string("not immutable")) + ")");
    }
    return out;
}

void destroyImported(ImportedTexture &imported) {
    if (imported.texture != nullptr) {
        gs_texture_destroy(imported.texture);
        imported.texture = nullptr;
    }
    if (imported.memoryObject != 0) {
        const GlFunctions &f = gl();
        if (f.deleteMemoryObjects != nullptr) {
            f.deleteMemoryObjects(1, &imported.memoryObject);
        }
        imported.memoryObject = 0;
    }
}

void *insertGlFence() {
    const GlFunctions &f = gl();
    return f.fenceSync != nullptr ? f.fenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0) : nullptr;
}

bool glFencePassed(void *fence) {
    return waitGlFence(fence, 0);
}

bool waitGlFence(void *fence, std::uint64_t timeoutNs) {
    if (fence == nullptr) {
        return true;
    }
    const GlFunctions &f = gl();
    const GLenum r =
        f.clientWaitSync(static_cast<GLsync>(fence), GL_SYNC_FLUSH_COMMANDS_BIT, timeoutNs);
    if (r == GL_TIMEOUT_EXPIRED) {
        return false;
    }
    f.deleteSync(static_cast<GLsync>(fence)); // passed, or the wait failed: nothing to wait for
    return true;
}

void deleteGlFence(void *fence) {
    if (fence != nullptr) {
        gl().deleteSync(static_cast<GLsync>(fence));
    }
}

} // namespace cuecard::obs
