#pragma once
/// \file
/// Draws a DrawList into an offscreen RGBA8 image with Vulkan and reads it back (Sascha Willems'
/// renderheadless pattern: offscreen image → host-visible buffer → map, honouring the row
/// pitch). Only the atlas rectangles that changed are uploaded, and a render can be limited
/// to a region (the lower-third's band) so that only that region is drawn and read back.

#include "core/render/draw_list.hpp"
#include "core/render/vk_handle.hpp"
#include "core/render/vulkan_context.hpp"
#include "core/text/glyph_atlas.hpp"
#include "core/util/image.hpp"
#include "core/util/result.hpp"

#include <memory>

namespace cuecard {

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

    int width() const { return width_; }
    int height() const { return height_; }
    /// Bytes between rows in the readback buffer (aligned for fast copies).
    std::size_t readbackRowPitch() const { return rowPitch_; }
    const VulkanContext &context() const { return *context_; }

  private:
    OverlayRenderer() = default;
    Status createTargets();
    Status createAtlas();
    Status createPipeline();
    Status createCommands();
    Status ensureInstanceCapacity(std::size_t quads);
    Result<VkOwned<VkDeviceMemory>> allocate(VkMemoryRequirements req,
                                             VkMemoryPropertyFlags required,
                                             VkMemoryPropertyFlags preferred, const char *what);
    Status createImage(VkFormat format, int width, int height, VkImageUsageFlags usage,
                       VkOwned<VkDeviceMemory> &memory, VkOwned<VkImage> &image,
                       VkOwned<VkImageView> &view, const char *what);
    Status createBuffer(VkDeviceSize size, VkBufferUsageFlags usage, VkOwned<VkBuffer> &buffer,
                        VkOwned<VkDeviceMemory> &memory, void **mapped,
                        VkMemoryPropertyFlags preferred, const char *what);

    std::shared_ptr<VulkanContext> context_;
    int width_ = 0;
    int height_ = 0;
    int atlasSize_ = 0;
    std::size_t rowPitch_ = 0;
    bool atlasReady_ = false;

    // Declared in creation order; destroyed in reverse.
    VkOwned<VkDeviceMemory> colorMemory_;
    VkOwned<VkImage> colorImage_;
    VkOwned<VkImageView> colorView_;
    VkOwned<VkRenderPass> renderPass_;
    VkOwned<VkFramebuffer> framebuffer_;
    VkOwned<VkDeviceMemory> readbackMemory_;
    VkOwned<VkBuffer> readbackBuffer_;
    void *readbackMapped_ = nullptr;

    VkOwned<VkDeviceMemory> atlasMemory_;
    VkOwned<VkImage> atlasImage_;
    VkOwned<VkImageView> atlasView_;
    VkOwned<VkSampler> sampler_;
    VkOwned<VkDeviceMemory> stagingMemory_;
    VkOwned<VkBuffer> stagingBuffer_;
    void *stagingMapped_ = nullptr;

    VkOwned<VkDescriptorSetLayout> setLayout_;
    VkOwned<VkPipelineLayout> pipelineLayout_;
    VkOwned<VkPipeline> pipeline_;
    VkOwned<VkDescriptorPool> descriptorPool_;
    VkDescriptorSet descriptorSet_ = VK_NULL_HANDLE; // freed with its pool

    VkOwned<VkDeviceMemory> instanceMemory_;
    VkOwned<VkBuffer> instanceBuffer_;
    void *instanceMapped_ = nullptr;
    std::size_t instanceCapacity_ = 0;

    VkOwned<VkCommandPool> commandPool_;
    VkCommandBuffer commandBuffer_ = VK_NULL_HANDLE; // freed with its pool
    VkOwned<VkFence> fence_;
};

} // namespace cuecard
