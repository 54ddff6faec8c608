// SPDX-License-Identifier: GPL-2.0-or-later
// GL_EXT_memory_object(_fd) through a getProcAddress: nothing here links against libGL.

#include "core/render/gl_import.hpp"

#include <GL/gl.h>
#include <GL/glext.h>
#include <unistd.h>

#include <algorithm>
#include <iterator>
#include <string_view>
#include <type_traits>

namespace cuecard {

// GL 1.x entry points have no PFN typedefs in glext.h; decltype of their prototypes (never
// called directly, so nothing links against libGL) gives the same types.
struct GlMemoryImport::Functions {
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
};

namespace {

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

GlMemoryImport::GlMemoryImport(GetProc getProc) {
    auto f = std::make_shared<Functions>();
    bool complete = getProc != nullptr;
    const auto load = [&](auto &fn, const char *name) {
        if (getProc != nullptr) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(getProc(name));
        }
        complete = complete && fn != nullptr;
    };
    load(f->getError, "glGetError");
    load(f->getIntegerv, "glGetIntegerv");
    load(f->getString, "glGetString");
    load(f->getStringi, "glGetStringi");
    load(f->bindTexture, "glBindTexture");
    load(f->texParameteri, "glTexParameteri");
    load(f->getTexParameteriv, "glGetTexParameteriv");
    load(f->getUnsignedBytev, "glGetUnsignedBytevEXT");
    load(f->getUnsignedBytei, "glGetUnsignedBytei_vEXT");
    load(f->createMemoryObjects, "glCreateMemoryObjectsEXT");
    load(f->deleteMemoryObjects, "glDeleteMemoryObjectsEXT");
    load(f->memoryObjectParameteriv, "glMemoryObjectParameterivEXT");
    load(f->importMemoryFd, "glImportMemoryFdEXT");
    load(f->texStorageMem2D, "glTexStorageMem2DEXT");
    load(f->fenceSync, "glFenceSync");
    load(f->clientWaitSync, "glClientWaitSync");
    load(f->deleteSync, "glDeleteSync");
    if (!complete) {
        error_ = "this OpenGL lacks the GL_EXT_memory_object_fd functions";
        return;
    }
    f_ = std::move(f);
}

GlMemoryImport GlMemoryImport::unavailable(std::string why) {
    GlMemoryImport g;
    g.error_ = std::move(why);
    return g;
}

std::string GlMemoryImport::renderer() const {
    const auto *name = f_ ? reinterpret_cast<const char *>(f_->getString(GL_RENDERER)) : nullptr;
    return name != nullptr ? name : "unknown";
}

bool GlMemoryImport::hasExtension(const char *name) const {
    GLint count = 0;
    f_->getIntegerv(GL_NUM_EXTENSIONS, &count);
    for (GLint i = 0; i < count; ++i) {
        const auto *ext = reinterpret_cast<const char *>(f_->getStringi(GL_EXTENSIONS, GLuint(i)));
        if (ext != nullptr && std::string_view(name) == ext) {
            return true;
        }
    }
    return false;
}

void GlMemoryImport::clearErrors() const {
    for (int i = 0; i < 16 && f_->getError() != GL_NO_ERROR; ++i) {
    }
}

std::string GlMemoryImport::probe(const VulkanContext &vulkan) const {
    if (!f_) {
        return error_;
    }
    if (!vulkan.canExportMemory()) {
        return "Vulkan cannot export: " + vulkan.exportError();
    }
    const std::string glName = renderer();
    if (!hasExtension("GL_EXT_memory_object_fd")) {
        return "OpenGL (" + glName + ") lacks GL_EXT_memory_object_fd";
    }
    clearErrors();
    GLubyte driver[GL_UUID_SIZE_EXT] = {};
    f_->getUnsignedBytev(GL_DRIVER_UUID_EXT, driver);
    GLint devices = 0;
    f_->getIntegerv(GL_NUM_DEVICE_UUIDS_EXT, &devices);
    bool sameDevice = false;
    for (GLint i = 0; i < devices && !sameDevice; ++i) {
        GLubyte device[GL_UUID_SIZE_EXT] = {};
        f_->getUnsignedBytei(GL_DEVICE_UUID_EXT, GLuint(i), device);
        sameDevice = std::equal(std::begin(device), std::end(device), vulkan.deviceUuid().begin());
    }
    const bool sameDriver =
        std::equal(std::begin(driver), std::end(driver), vulkan.driverUuid().begin());
    if (const GLenum e = f_->getError(); e != GL_NO_ERROR) {
        return "OpenGL could not report its device (" + glErrorText(e) + ")";
    }
    if (!sameDevice || !sameDriver) {
        return "OpenGL (" + glName + ") and Vulkan (" + vulkan.deviceName() + ") are " +
               (sameDevice ? "different drivers" : "different devices");
    }
    return {};
}

Result<unsigned> GlMemoryImport::importInto(unsigned texture, int fd, std::uint64_t size, int width,
                                            int height) const {
    if (!f_) {
        ::close(fd);
        return makeError(error_);
    }
    clearErrors();
    GLuint memory = 0;
    f_->createMemoryObjects(1, &memory);
    const GLint dedicated = GL_TRUE;
    f_->memoryObjectParameteriv(memory, GL_DEDICATED_MEMORY_OBJECT_EXT, &dedicated);
    f_->importMemoryFd(memory, size, GL_HANDLE_TYPE_OPAQUE_FD_EXT, fd);
    if (const GLenum e = f_->getError(); e != GL_NO_ERROR) {
        ::close(fd); // not taken over on failure
        deleteMemory(memory);
        return makeError("OpenGL could not import the overlay's memory (" + glErrorText(e) + ")");
    }
    // The texture gets the imported memory as its storage. The binding is restored afterwards:
    // a caller like libobs caches which texture each unit holds.
    GLint previous = 0;
    f_->getIntegerv(GL_TEXTURE_BINDING_2D, &previous);
    f_->bindTexture(GL_TEXTURE_2D, texture);
    f_->texParameteri(GL_TEXTURE_2D, GL_TEXTURE_TILING_EXT, GL_OPTIMAL_TILING_EXT);
    f_->texStorageMem2D(GL_TEXTURE_2D, 1, GL_RGBA8, width, height, memory, 0);
    GLint immutable = GL_FALSE;
    f_->getTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_IMMUTABLE_FORMAT, &immutable);
    const GLenum e = f_->getError();
    f_->bindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous));
    if (e != GL_NO_ERROR || immutable != GL_TRUE) {
        deleteMemory(memory);
        return makeError("OpenGL could not use the imported memory as a texture (" +
                         (e != GL_NO_ERROR ? glErrorText(e) : std::string("not immutable")) + ")");
    }
    return static_cast<unsigned>(memory);
}

void GlMemoryImport::deleteMemory(unsigned memoryObject) const {
    if (f_ && memoryObject != 0) {
        const GLuint m = memoryObject;
        f_->deleteMemoryObjects(1, &m);
    }
}

void *GlMemoryImport::insertFence() const {
    return f_ ? f_->fenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0) : nullptr;
}

bool GlMemoryImport::waitFence(void *fence, std::uint64_t timeoutNs) const {
    if (fence == nullptr || !f_) {
        return true;
    }
    const GLenum r =
        f_->clientWaitSync(static_cast<GLsync>(fence), GL_SYNC_FLUSH_COMMANDS_BIT, timeoutNs);
    if (r == GL_TIMEOUT_EXPIRED) {
        return false;
    }
    f_->deleteSync(static_cast<GLsync>(fence)); // passed, or the wait failed: nothing to wait for
    return true;
}

void GlMemoryImport::deleteFence(void *fence) const {
    if (fence != nullptr && f_) {
        f_->deleteSync(static_cast<GLsync>(fence));
    }
}

} // namespace cuecard
