// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Draws a DrawList into an offscreen RGBA8 image with Vulkan and reads it back (Sascha Willems'
/// renderheadless pattern: offscreen image → host-visible buffer → map, honouring the row
/// pitch). Only the atlas rectangles that changed are uploaded, and a render can be limited
/// to a region (the lower-third's band) so that only that region is drawn and read back.
///
/// Where the device can export memory (VulkanContext::canExportMemory), the renderer can also
/// draw straight into a few canvas-sized "shared images" whose memory OBS's OpenGL imports
/// (GL_EXT_memory_object_fd): no readback, no upload. Each shared image is used by one side at a
/// time; the caller hands images back and forth (OverlayWorker does the bookkeeping).

#include "core/render/draw_list.hpp"
#include "core/render/vk_handle.hpp"
#include "core/render/vulkan_context.hpp"
#include "core/text/glyph_atlas.hpp"
#include "core/util/image.hpp"
#include "core/util/result.hpp"
#include "core/util/unique_fd.hpp"

#include <memory>

namespace cuecard {

/// What OpenGL needs to import one shared image: a descriptor of its memory (owned; the import
/// takes it over), the allocation size, and the image's size. Always a dedicated allocation,
/// optimal tiling, RGBA8 (GL_RGBA8).
struct SharedImageExport {
    UniqueFd fd;
    std::uint64_t size = 0;
    int width = 0;
    int height = 0;
};

/// A buffer and the memory behind it, owned together; members are declared in creation order,
/// so they are destroyed buffer first, then its memory. `mapped` stays valid while it lives.
struct GpuBuffer {
    VkOwned<VkDeviceMemory> memory;
    VkOwned<VkBuffer> buffer;
    void *mapped = nullptr;
};

/// An image, its memory and its view, owned together (destroyed view, image, then memory).
struct GpuImage {
    VkOwned<VkDeviceMemory> memory;
    VkOwned<VkImage> image;
    VkOwned<VkImageView> view;
    std::uint64_t size = 0; ///< allocation size (what an importer needs)
};

class OverlayRenderer {
  public:
    /// Builds the pipeline and resources for a `width`×`height` canvas and an
    /// `atlasSize`² glyph atlas.
    static Result<std::unique_ptr<OverlayRenderer>> create(std::shared_ptr<VulkanContext> context,
                                                           int width, int height, int atlasSize);
    ~OverlayRenderer();
    OverlayRenderer(const OverlayRenderer &) = delete;
    OverlayRenderer &operator=(const OverlayRenderer &) = delete;

    /// Renders `list` and returns the pixels of `region` (the whole canvas when empty),
    /// premultiplied RGBA8, rows tightly packed. Uploads `atlas`'s dirty rectangles first.
    Result<Image> render(const DrawList &list, GlyphAtlas &atlas, PixelRect region = {});

    /// Creates `count` shared images (fails when the device cannot export memory).
    Status createSharedImages(int count);
    int sharedImageCount() const { return static_cast<int>(shared_.size()); }
    /// A new descriptor of shared image `slot`'s memory.
    Result<SharedImageExport> exportSharedImage(int slot);
    /// Draws `list` into shared image `slot`. Afterwards the image holds the overlay inside
    /// `region` and is transparent everywhere else (what an earlier, larger overlay left there
    /// is cleared too), and the GPU has finished writing it.
    Status renderShared(int slot, const DrawList &list, GlyphAtlas &atlas, PixelRect region);
    /// Reads `region` of shared image `slot` back (for tests and diagnostics).
    Result<Image> readShared(int slot, PixelRect region);

    int width() const { return width_; }
    int height() const { return height_; }
    const VulkanContext &context() const { return *context_; }

  private:
    OverlayRenderer() = default;
    Status createTargets();
    Status createAtlas();
    Status createPipeline();
    /// The picture texture at exactly `width`×`height` (recreated, and the descriptor updated,
    /// when the size changes).
    Status ensurePictures(int width, int height);
    /// Points `binding` of the descriptor set at `view` (sampled with the linear sampler).
    void bindTexture(std::uint32_t binding, VkImageView view);
    /// Copies the list's pictures to the upload buffer when they are not the ones on the GPU.
    Status stagePictures(const DrawList &list);
    void recordPicturesUpload();
    Status createCommands();
    Status ensureInstanceCapacity(std::size_t quads);
    PixelRect clampRegion(PixelRect region) const;
    /// Copies the quads and the atlas's dirty rectangles to their buffers.
    Status stage(const DrawList &list, GlyphAtlas &atlas, std::vector<VkBufferImageCopy> &copies);
    Status beginCommands();
    void recordAtlasUpload(const std::vector<VkBufferImageCopy> &copies);
    /// The vertex shader's push constants (shaders/overlay.vert), 80 bytes.
    struct DrawPush {
        float canvas[2];
        float warped;
        float unused;
        float rows[12]; ///< the homography's rows, each padded to a vec4
        float clip[4];
    };
    static_assert(sizeof(DrawPush) == 80, "DrawPush must match the shader's push constants");
    void recordDraw(VkRenderPass pass, VkFramebuffer framebuffer, PixelRect area,
                    const DrawList &list);
    void recordReadback(VkImage image, VkImageLayout layout, PixelRect region);
    Status submitAndWait(const char *what);
    void copyReadback(PixelRect region, Image &out) const;
    Result<VkOwned<VkDeviceMemory>> allocate(VkMemoryRequirements req,
                                             VkMemoryPropertyFlags required,
                                             VkMemoryPropertyFlags preferred, const char *what,
                                             const void *next = nullptr);
    /// An `exportable` image's memory can be exported (dedicated, opaque fd). Replaces `out`.
    Status createImage(VkFormat format, int width, int height, VkImageUsageFlags usage,
                       GpuImage &out, const char *what, bool exportable = false);
    /// One colour attachment cleared over the render area; every pass made here is compatible
    /// with the one pipeline.
    Result<VkOwned<VkRenderPass>> makeRenderPass(VkImageLayout initial, VkImageLayout final,
                                                 const char *what);
    /// A host-visible, mapped buffer. Replaces `out`.
    Status createBuffer(VkDeviceSize size, VkBufferUsageFlags usage, GpuBuffer &out,
                        VkMemoryPropertyFlags preferred, const char *what);

    std::shared_ptr<VulkanContext> context_;
    int width_ = 0;
    int height_ = 0;
    int atlasSize_ = 0;
    std::size_t rowPitch_ = 0;
    bool atlasReady_ = false;

    // Declared in creation order; destroyed in reverse.
    GpuImage color_;
    VkOwned<VkRenderPass> renderPass_;
    VkOwned<VkFramebuffer> framebuffer_;
    GpuBuffer readback_;

    GpuImage atlas_;
    GpuImage pictures_; ///< the frame's pictures (DrawList::pictures), sampled by binding 1
    int picturesW_ = 0;
    int picturesH_ = 0;
    bool picturesReady_ = false;   ///< in SHADER_READ_ONLY layout
    bool picturesPending_ = false; ///< staged, to be copied by the next command buffer
    std::shared_ptr<const Image> shownPictures_; ///< what the texture holds
    GpuBuffer picturesStaging_;
    std::size_t picturesStagingBytes_ = 0;
    VkOwned<VkSampler> sampler_;
    GpuBuffer staging_;

    VkOwned<VkDescriptorSetLayout> setLayout_;
    VkOwned<VkPipelineLayout> pipelineLayout_;
    VkOwned<VkPipeline> pipeline_;
    VkOwned<VkDescriptorPool> descriptorPool_;
    VkDescriptorSet descriptorSet_ = VK_NULL_HANDLE; // freed with its pool

    GpuBuffer instances_;
    std::size_t instanceCapacity_ = 0;

    VkOwned<VkRenderPass> sharedPass_; // initial and final layout GENERAL, keeps what it
                                       // does not clear
    struct SharedImage {
        GpuImage gpu; // before the framebuffer that uses its view: destroyed after it
        VkOwned<VkFramebuffer> framebuffer;
        bool initialized = false; // cleared whole and in GENERAL layout
        PixelRect drawn;          // what the last render may have left non-transparent
    };
    std::vector<SharedImage> shared_;

    VkOwned<VkCommandPool> commandPool_;
    VkCommandBuffer commandBuffer_ = VK_NULL_HANDLE; // freed with its pool
    VkOwned<VkFence> fence_;
};

} // namespace cuecard
