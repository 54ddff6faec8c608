// SPDX-License-Identifier: GPL-2.0-or-later
// Zero-copy on the driver at hand: what OBS's OpenGL does with the memory Vulkan exports, in an
// EGL context of the test's own (no X server: EGL's device platform, else Mesa's surfaceless
// one). The shared image is imported with core/render/gl_import (the code OBS's glue runs),
// sampled by a shader into a framebuffer, read back and compared with Vulkan's own readback of
// the same image, then drawn again by Vulkan and sampled again: the same memory, not a copy.
// On lavapipe this pairs with llvmpipe; on a machine with NVIDIA's driver, with NVIDIA's EGL.

#include "core/queue/queue.hpp"
#include "core/render/gl_import.hpp"
#include "core/render/overlay_renderer.hpp"
#include "core/theme/theme.hpp"
#include "gpu/gpu_support.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GL/gl.h>
#include <GL/glext.h>
#include <dlfcn.h>
#include <fcntl.h>

#include <cstring>
#include <string>
#include <vector>

using namespace cuecard;

namespace {

/// An OpenGL 3.3 core context with no surface, current on this thread while it lives.
class EglContext {
  public:
    /// Opens libEGL and makes a context on the display whose OpenGL can import `vulkan`'s
    /// memory; error() says why there is none (each display tried and what it said).
    explicit EglContext(const VulkanContext &vulkan) {
        lib_ = dlopen("libEGL.so.1", RTLD_NOW);
        if (lib_ == nullptr) {
            error_ = std::string("cannot load libEGL.so.1: ") + dlerror();
            return;
        }
        getProc_ = reinterpret_cast<PFNEGLGETPROCADDRESSPROC>(dlsym(lib_, "eglGetProcAddress"));
        if (getProc_ == nullptr) {
            error_ = "libEGL.so.1 has no eglGetProcAddress";
            return;
        }
        load(getPlatformDisplay_, "eglGetPlatformDisplayEXT");
        load(queryDevices_, "eglQueryDevicesEXT");
        load(queryDeviceString_, "eglQueryDeviceStringEXT");
        load(initialize_, "eglInitialize");
        load(terminate_, "eglTerminate");
        load(bindApi_, "eglBindAPI");
        load(chooseConfig_, "eglChooseConfig");
        load(createContext_, "eglCreateContext");
        load(destroyContext_, "eglDestroyContext");
        load(makeCurrent_, "eglMakeCurrent");
        if (getPlatformDisplay_ == nullptr || initialize_ == nullptr || makeCurrent_ == nullptr ||
            createContext_ == nullptr || bindApi_ == nullptr || chooseConfig_ == nullptr) {
            error_ = "this EGL lacks eglGetPlatformDisplayEXT or EGL 1.4's functions";
            return;
        }
        std::vector<std::pair<EGLenum, void *>> candidates;
        if (queryDevices_ != nullptr) {
            EGLDeviceEXT devices[16];
            EGLint count = 0;
            if (queryDevices_(16, devices, &count) == EGL_TRUE) {
                for (EGLint i = 0; i < count; ++i) {
                    candidates.emplace_back(EGL_PLATFORM_DEVICE_EXT, devices[i]);
                }
            }
        }
        candidates.emplace_back(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY);
        for (const auto &[platform, native] : candidates) {
            const std::string why = tryDisplay(platform, native, vulkan);
            if (why.empty()) {
                error_.clear();
                return;
            }
            error_ += (error_.empty() ? "" : "; ") + why;
        }
    }
    ~EglContext() {
        if (display_ != EGL_NO_DISPLAY) {
            makeCurrent_(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
            if (context_ != EGL_NO_CONTEXT) {
                destroyContext_(display_, context_);
            }
            terminate_(display_);
        }
        // libEGL stays loaded: drivers register exit handlers.
    }
    EglContext(const EglContext &) = delete;
    EglContext &operator=(const EglContext &) = delete;

    const std::string &error() const { return error_; }
    const std::string &description() const { return description_; }
    GlMemoryImport::GetProc getProc() const {
        return reinterpret_cast<GlMemoryImport::GetProc>(getProc_);
    }

  private:
    template <typename Fn> void load(Fn &fn, const char *name) {
        fn = reinterpret_cast<Fn>(getProc_(name));
    }

    std::string tryDisplay(EGLenum platform, void *native, const VulkanContext &vulkan) {
        const std::string label =
            platform == EGL_PLATFORM_DEVICE_EXT ? deviceLabel(native) : "surfaceless platform";
        EGLDisplay display = getPlatformDisplay_(platform, native, nullptr);
        EGLint major = 0;
        EGLint minor = 0;
        if (display == EGL_NO_DISPLAY || initialize_(display, &major, &minor) != EGL_TRUE) {
            return label + ": no display";
        }
        const auto fail = [&](const std::string &why) {
            makeCurrent_(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
            terminate_(display);
            return label + ": " + why;
        };
        if (bindApi_(EGL_OPENGL_API) != EGL_TRUE) {
            return fail("no desktop OpenGL");
        }
        const EGLint configAttribs[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE};
        EGLConfig config = nullptr;
        EGLint configs = 0;
        if (chooseConfig_(display, configAttribs, &config, 1, &configs) != EGL_TRUE ||
            configs == 0) {
            config = nullptr; // EGL_KHR_no_config_context
        }
        const EGLint contextAttribs[] = {EGL_CONTEXT_MAJOR_VERSION,
                                         3,
                                         EGL_CONTEXT_MINOR_VERSION,
                                         3,
                                         EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                         EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                         EGL_NONE};
        EGLContext context = createContext_(display, config, EGL_NO_CONTEXT, contextAttribs);
        if (context == EGL_NO_CONTEXT) {
            return fail("no OpenGL 3.3 core context");
        }
        if (makeCurrent_(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context) != EGL_TRUE) {
            destroyContext_(display, context);
            return fail("cannot make a context current without a surface");
        }
        GlMemoryImport gl(getProc());
        const std::string why = gl.probe(vulkan);
        if (!why.empty()) {
            destroyContext_(display, context);
            return fail(why);
        }
        display_ = display;
        context_ = context;
        description_ = label + ", EGL " + std::to_string(major) + "." + std::to_string(minor) +
                       ", " + gl.renderer();
        return {};
    }

    std::string deviceLabel(void *device) const {
        std::string label = "EGL device";
        if (queryDeviceString_ != nullptr) {
            const char *exts =
                queryDeviceString_(static_cast<EGLDeviceEXT>(device), EGL_EXTENSIONS);
            if (exts != nullptr && std::strstr(exts, "EGL_MESA_device_software") != nullptr) {
                label += " (software)";
            } else if (exts != nullptr && std::strstr(exts, "EGL_EXT_device_drm") != nullptr) {
                const char *node =
                    queryDeviceString_(static_cast<EGLDeviceEXT>(device), EGL_DRM_DEVICE_FILE_EXT);
                label += std::string(" ") + (node != nullptr ? node : "(DRM)");
            }
        }
        return label;
    }

    void *lib_ = nullptr;
    PFNEGLGETPROCADDRESSPROC getProc_ = nullptr;
    PFNEGLGETPLATFORMDISPLAYEXTPROC getPlatformDisplay_ = nullptr;
    PFNEGLQUERYDEVICESEXTPROC queryDevices_ = nullptr;
    PFNEGLQUERYDEVICESTRINGEXTPROC queryDeviceString_ = nullptr;
    decltype(&::eglInitialize) initialize_ = nullptr;
    decltype(&::eglTerminate) terminate_ = nullptr;
    decltype(&::eglBindAPI) bindApi_ = nullptr;
    decltype(&::eglChooseConfig) chooseConfig_ = nullptr;
    decltype(&::eglCreateContext) createContext_ = nullptr;
    decltype(&::eglDestroyContext) destroyContext_ = nullptr;
    decltype(&::eglMakeCurrent) makeCurrent_ = nullptr;
    EGLDisplay display_ = EGL_NO_DISPLAY;
    EGLContext context_ = EGL_NO_CONTEXT;
    std::string error_;
    std::string description_;
};

/// What OBS's default effect does with a texture, reduced to its core: a quad over the target
/// whose fragment shader samples the texture (nearest, texel centres) and writes the result.
class GlSampler {
  public:
    explicit GlSampler(GlMemoryImport::GetProc getProc) {
        const auto load = [&](auto &fn, const char *name) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(getProc(name));
            ok_ = ok_ && fn != nullptr;
        };
        load(genTextures, "glGenTextures");
        load(deleteTextures, "glDeleteTextures");
        load(bindTexture, "glBindTexture");
        load(texParameteri, "glTexParameteri");
        load(texStorage2D, "glTexStorage2D");
        load(genFramebuffers, "glGenFramebuffers");
        load(deleteFramebuffers, "glDeleteFramebuffers");
        load(bindFramebuffer, "glBindFramebuffer");
        load(framebufferTexture2D, "glFramebufferTexture2D");
        load(checkFramebufferStatus, "glCheckFramebufferStatus");
        load(createShader, "glCreateShader");
        load(shaderSource, "glShaderSource");
        load(compileShader, "glCompileShader");
        load(getShaderiv, "glGetShaderiv");
        load(getShaderInfoLog, "glGetShaderInfoLog");
        load(createProgram, "glCreateProgram");
        load(attachShader, "glAttachShader");
        load(linkProgram, "glLinkProgram");
        load(getProgramiv, "glGetProgramiv");
        load(useProgram, "glUseProgram");
        load(getUniformLocation, "glGetUniformLocation");
        load(uniform1i, "glUniform1i");
        load(genVertexArrays, "glGenVertexArrays");
        load(bindVertexArray, "glBindVertexArray");
        load(activeTexture, "glActiveTexture");
        load(viewport, "glViewport");
        load(drawArrays, "glDrawArrays");
        load(readPixels, "glReadPixels");
        load(pixelStorei, "glPixelStorei");
        load(finish, "glFinish");
        load(getError, "glGetError");
    }

    bool ok() const { return ok_; }

    /// A new texture name with no storage (what gs_texture_create leaves for the import).
    GLuint newTexture() {
        GLuint t = 0;
        genTextures(1, &t);
        return t;
    }

    /// Draws `texture` (width×height) over a framebuffer of the same size and reads it back.
    Result<Image> sample(GLuint texture, int width, int height) {
        if (program_ == 0) {
            if (auto made = makeProgram(); !made.ok()) {
                return makeError(made.message());
            }
        }
        GLuint target = 0;
        genTextures(1, &target);
        bindTexture(GL_TEXTURE_2D, target);
        texStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, width, height);
        GLuint fbo = 0;
        genFramebuffers(1, &fbo);
        bindFramebuffer(GL_FRAMEBUFFER, fbo);
        framebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, target, 0);
        if (checkFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
            return makeError("the framebuffer to sample into is incomplete");
        }
        useProgram(program_);
        activeTexture(GL_TEXTURE0);
        bindTexture(GL_TEXTURE_2D, texture);
        texParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        texParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        uniform1i(getUniformLocation(program_, "image"), 0);
        bindVertexArray(vao_);
        viewport(0, 0, width, height);
        drawArrays(GL_TRIANGLES, 0, 3);
        Image out(width, height);
        pixelStorei(GL_PACK_ALIGNMENT, 1);
        // Row 0 of the framebuffer is the quad's v = 0, texture row 0: the same row order as the
        // texture's memory, which is Vulkan's (row 0 at the top).
        readPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, out.pixels.data());
        finish();
        const GLenum e = getError();
        bindFramebuffer(GL_FRAMEBUFFER, 0);
        deleteFramebuffers(1, &fbo);
        deleteTextures(1, &target);
        if (e != GL_NO_ERROR) {
            return makeError("OpenGL error " + std::to_string(e) + " while sampling");
        }
        return out;
    }

    decltype(&::glDeleteTextures) deleteTextures = nullptr;

  private:
    Status makeProgram() {
        static const char *vertex = R"(#version 330 core
out vec2 uv;
void main() {
    vec2 p = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2);
    uv = p;
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
})";
        static const char *fragment = R"(#version 330 core
uniform sampler2D image;
in vec2 uv;
out vec4 color;
void main() { color = texture(image, uv); })";
        const GLuint vs = compile(GL_VERTEX_SHADER, vertex);
        const GLuint fs = compile(GL_FRAGMENT_SHADER, fragment);
        if (vs == 0 || fs == 0) {
            return makeError("a shader did not compile: " + log_);
        }
        program_ = createProgram();
        attachShader(program_, vs);
        attachShader(program_, fs);
        linkProgram(program_);
        GLint linked = GL_FALSE;
        getProgramiv(program_, GL_LINK_STATUS, &linked);
        if (linked != GL_TRUE) {
            program_ = 0;
            return makeError("the sampling program did not link");
        }
        genVertexArrays(1, &vao_);
        return {};
    }
    GLuint compile(GLenum type, const char *source) {
        const GLuint s = createShader(type);
        shaderSource(s, 1, &source, nullptr);
        compileShader(s);
        GLint compiled = GL_FALSE;
        getShaderiv(s, GL_COMPILE_STATUS, &compiled);
        if (compiled != GL_TRUE) {
            char text[1024] = {};
            getShaderInfoLog(s, sizeof text, nullptr, text);
            log_ = text;
            return 0;
        }
        return s;
    }

    bool ok_ = true;
    GLuint program_ = 0;
    GLuint vao_ = 0;
    std::string log_;
    decltype(&::glGenTextures) genTextures = nullptr;
    decltype(&::glBindTexture) bindTexture = nullptr;
    decltype(&::glTexParameteri) texParameteri = nullptr;
    PFNGLTEXSTORAGE2DPROC texStorage2D = nullptr;
    PFNGLGENFRAMEBUFFERSPROC genFramebuffers = nullptr;
    PFNGLDELETEFRAMEBUFFERSPROC deleteFramebuffers = nullptr;
    PFNGLBINDFRAMEBUFFERPROC bindFramebuffer = nullptr;
    PFNGLFRAMEBUFFERTEXTURE2DPROC framebufferTexture2D = nullptr;
    PFNGLCHECKFRAMEBUFFERSTATUSPROC checkFramebufferStatus = nullptr;
    PFNGLCREATESHADERPROC createShader = nullptr;
    PFNGLSHADERSOURCEPROC shaderSource = nullptr;
    PFNGLCOMPILESHADERPROC compileShader = nullptr;
    PFNGLGETSHADERIVPROC getShaderiv = nullptr;
    PFNGLGETSHADERINFOLOGPROC getShaderInfoLog = nullptr;
    PFNGLCREATEPROGRAMPROC createProgram = nullptr;
    PFNGLATTACHSHADERPROC attachShader = nullptr;
    PFNGLLINKPROGRAMPROC linkProgram = nullptr;
    PFNGLGETPROGRAMIVPROC getProgramiv = nullptr;
    PFNGLUSEPROGRAMPROC useProgram = nullptr;
    PFNGLGETUNIFORMLOCATIONPROC getUniformLocation = nullptr;
    PFNGLUNIFORM1IPROC uniform1i = nullptr;
    PFNGLGENVERTEXARRAYSPROC genVertexArrays = nullptr;
    PFNGLBINDVERTEXARRAYPROC bindVertexArray = nullptr;
    PFNGLACTIVETEXTUREPROC activeTexture = nullptr;
    decltype(&::glViewport) viewport = nullptr;
    decltype(&::glDrawArrays) drawArrays = nullptr;
    decltype(&::glReadPixels) readPixels = nullptr;
    decltype(&::glPixelStorei) pixelStorei = nullptr;
    decltype(&::glFinish) finish = nullptr;
    decltype(&::glGetError) getError = nullptr;
};

int visiblePixels(const Image &image) {
    int n = 0;
    for (std::size_t i = 3; i < image.pixels.size(); i += 4) {
        n += image.pixels[i] != 0 ? 1 : 0;
    }
    return n;
}

void compareOrWrite(const Image &vulkan, const Image &gl, const char *name) {
    const test::ImageDiff d = test::compareImages(vulkan, gl, 0);
    CHECK_MESSAGE(d.differing == 0,
                  std::string(name) << ": " << d.differing << " pixels differ (largest "
                                    << d.maxDelta << "), diff in " << test::outputDir().string());
    if (d.differing != 0) {
        (void)writePng(test::diffImage(vulkan, gl, 0),
                       test::outputDir() / (std::string(name) + "-diff.png"), true);
        (void)writePng(gl, test::outputDir() / (std::string(name) + "-gl.png"), true);
    }
}

} // namespace

TEST_CASE("zero-copy in OpenGL: the imported image samples to Vulkan's pixels, and is the same "
          "memory") {
    const VulkanContext &vulkan = *test::gpu();
    if (!vulkan.canExportMemory()) {
        if (test::inCi()) {
            FAIL("this Vulkan device cannot export memory (CI=true: a skip is a failure): "
                 << vulkan.exportError());
        }
        MESSAGE("skipped: " << vulkan.exportError());
        return;
    }
    EglContext egl(vulkan);
    if (!egl.error().empty()) {
        if (test::inCi()) {
            FAIL("no OpenGL context that can import " << vulkan.deviceName()
                                                      << "'s memory (CI=true: a skip is a "
                                                         "failure): "
                                                      << egl.error());
        }
        MESSAGE("skipped: no OpenGL that can import: " << egl.error());
        return;
    }
    MESSAGE("Vulkan: " << vulkan.deviceName() << "; OpenGL: " << egl.description());
    GlMemoryImport gl(egl.getProc());
    REQUIRE(gl.error().empty());
    GlSampler sampler(egl.getProc());
    REQUIRE(sampler.ok());

    // Two overlays with colour, antialiased text and transparency, at a size whose rows are not
    // a multiple of a tiling's width.
    constexpr int width = 962;
    constexpr int height = 541;
    test::TextStack stack;
    auto theme = loadTheme("default", {test::dataDir()});
    auto card = loadTheme("title-card", {test::dataDir()});
    REQUIRE(theme.ok());
    REQUIRE(card.ok());
    auto first = stack.composer->compose(
        theme.value(), test::person("Zoë Åström", "VP Marketing", "Acme Corp"), width, height);
    auto second = stack.composer->compose(card.value(), test::person("Sam Lee", "CTO", "Initech"),
                                          width, height);
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    auto created = OverlayRenderer::create(test::gpu(), width, height, 2048);
    REQUIRE(created.ok());
    OverlayRenderer &renderer = *created.value();
    REQUIRE(renderer.createSharedImages(1).ok());
    REQUIRE(renderer
                .renderShared(0, first->drawList, stack.glyphs->atlas(),
                              first->drawList.bounds(width, height))
                .ok());
    auto vulkanFirst = renderer.readShared(0, {});
    REQUIRE(vulkanFirst.ok());
    REQUIRE(visiblePixels(vulkanFirst.value()) > 10000);

    auto exported = renderer.exportSharedImage(0);
    REQUIRE(exported.ok());
    const GLuint texture = sampler.newTexture();
    auto memory = gl.importInto(texture, exported->fd.release(), exported->size, width, height);
    if (!memory.ok()) {
        FAIL(memory.message());
    }

    auto glFirst = sampler.sample(texture, width, height);
    if (!glFirst.ok()) {
        FAIL(glFirst.message());
    }
    compareOrWrite(vulkanFirst.value(), glFirst.value(), "gl-import-first");

    // Vulkan draws the next overlay into the same image; OpenGL sees it without a new import.
    REQUIRE(renderer
                .renderShared(0, second->drawList, stack.glyphs->atlas(),
                              second->drawList.bounds(width, height))
                .ok());
    auto vulkanSecond = renderer.readShared(0, {});
    REQUIRE(vulkanSecond.ok());
    REQUIRE(test::compareImages(vulkanFirst.value(), vulkanSecond.value(), 0).differing > 10000);
    auto glSecond = sampler.sample(texture, width, height);
    REQUIRE(glSecond.ok());
    compareOrWrite(vulkanSecond.value(), glSecond.value(), "gl-import-second");

    // Deleted in OBS's order: the texture, then (OpenGL done with it) its memory.
    void *fence = gl.insertFence();
    sampler.deleteTextures(1, &texture);
    CHECK(gl.waitFence(fence, 5'000'000'000ull));
    gl.deleteMemory(memory.value());
}

TEST_CASE("zero-copy in OpenGL: a descriptor that is not Vulkan memory is refused with a message") {
    const VulkanContext &vulkan = *test::gpu();
    if (!vulkan.canExportMemory()) {
        return; // the case above fails in CI
    }
    EglContext egl(vulkan);
    if (!egl.error().empty()) {
        return; // the case above fails in CI
    }
    GlMemoryImport gl(egl.getProc());
    GlSampler sampler(egl.getProc());
    REQUIRE(sampler.ok());
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    const GLuint texture = sampler.newTexture();
    auto memory = gl.importInto(texture, fd, 64 * 64 * 4, 64, 64);
    CHECK_FALSE(memory.ok());
    CHECK(memory.message().find("OpenGL could not") == 0);
    sampler.deleteTextures(1, &texture);
}
