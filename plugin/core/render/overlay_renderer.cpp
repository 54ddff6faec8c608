// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/render/overlay_renderer.hpp"
// Over 400 lines: every Vulkan object of the renderer (pipeline, atlas, vertex and picture
// buffers, shared images, readback) is made and destroyed here, side by side, so each object's
// whole life and every VkResult it can return are read in one place.

#include "shaders/overlay.frag.h"
#include "shaders/overlay.vert.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace cuecard {
namespace {

// One pipeline draws into the readback target and the shared images: same format.
constexpr VkFormat kColorFormat = kSharedImageFormat;
constexpr VkFormat kAtlasFormat = VK_FORMAT_R8_UNORM;
constexpr std::uint64_t kFenceTimeoutNs = 10'000'000'000ull;

/// A whole-image colour barrier: layout change, access scopes, and (for the shared images) a
/// queue-family hand-over.
VkImageMemoryBarrier imageBarrier(VkImage image, VkImageLayout oldLayout, VkImageLayout newLayout,
                                  VkAccessFlags srcAccess, VkAccessFlags dstAccess,
                                  std::uint32_t srcFamily = VK_QUEUE_FAMILY_IGNORED,
                                  std::uint32_t dstFamily = VK_QUEUE_FAMILY_IGNORED) {
    VkImageMemoryBarrier b{};
    b.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER;
    b.srcAccessMask = srcAccess;
    b.dstAccessMask = dstAccess;
    b.oldLayout = oldLayout;
    b.newLayout = newLayout;
    b.srcQueueFamilyIndex = srcFamily;
    b.dstQueueFamilyIndex = dstFamily;
    b.image = image;
    b.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    return b;
}

} // namespace

Result<std::unique_ptr<OverlayRenderer>>
OverlayRenderer::create(std::shared_ptr<VulkanContext> context, int width, int height,
                        int atlasSize) {
    if (width <= 0 || height <= 0 || width > 8192 || height > 8192) {
        return makeError("canvas size " + std::to_string(width) + "x" + std::to_string(height) +
                         " is out of range (1..8192)");
    }
    std::unique_ptr<OverlayRenderer> r(new OverlayRenderer());
    r->context_ = std::move(context);
    r->width_ = width;
    r->height_ = height;
    r->atlasSize_ = atlasSize;
    // 256-byte row alignment is what discrete GPUs copy fastest; lavapipe does not care.
    r->rowPitch_ = (static_cast<std::size_t>(width) * 4 + 255) & ~std::size_t{255};
    for (auto step : {&OverlayRenderer::createTargets, &OverlayRenderer::createAtlas,
                      &OverlayRenderer::createPipeline, &OverlayRenderer::createCommands}) {
        if (Status s = (r.get()->*step)(); !s) {
            return s.error();
        }
    }
    return r;
}

OverlayRenderer::~OverlayRenderer() {
    if (context_) {
        context_->waitQueueIdle();
    }
}

Result<VkOwned<VkDeviceMemory>> OverlayRenderer::allocate(VkMemoryRequirements req,
                                                          VkMemoryPropertyFlags required,
                                                          VkMemoryPropertyFlags preferred,
                                                          const char *what, const void *next) {
    const int type = context_->findMemoryType(req.memoryTypeBits, required, preferred);
    if (type < 0) {
        return makeError(std::string("no suitable Vulkan memory for the ") + what);
    }
    VkMemoryAllocateInfo info{};
    info.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO;
    info.pNext = next;
    info.allocationSize = req.size;
    info.memoryTypeIndex = static_cast<std::uint32_t>(type);
    VkDeviceMemory memory = VK_NULL_HANDLE;
    if (VkResult res = vkAllocateMemory(context_->device(), &info, nullptr, &memory);
        res != VK_SUCCESS) {
        return vkError(std::string("allocating memory for the ") + what, res);
    }
    return VkOwned<VkDeviceMemory>(context_->device(), memory, vkFreeMemory);
}

Status OverlayRenderer::createBuffer(VkDeviceSize size, VkBufferUsageFlags usage, GpuBuffer &out,
                                     VkMemoryPropertyFlags preferred, const char *what) {
    const VkDevice dev = context_->device();
    VkBufferCreateInfo bci{};
    bci.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
    bci.size = size;
    bci.usage = usage;
    bci.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    VkBuffer raw = VK_NULL_HANDLE;
    if (VkResult res = vkCreateBuffer(dev, &bci, nullptr, &raw); res != VK_SUCCESS) {
        return vkError(std::string("creating the ") + what, res);
    }
    VkOwned<VkBuffer> newBuffer(dev, raw, vkDestroyBuffer);
    VkMemoryRequirements req{};
    vkGetBufferMemoryRequirements(dev, raw, &req);
    // Host-coherent memory exists on every implementation, so no flush/invalidate is needed.
    auto mem =
        allocate(req, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                 preferred, what);
    if (!mem) {
        return mem.error();
    }
    if (VkResult res = vkBindBufferMemory(dev, raw, mem->get(), 0); res != VK_SUCCESS) {
        return vkError(std::string("binding memory to the ") + what, res);
    }
    GpuBuffer fresh;
    if (VkResult res = vkMapMemory(dev, mem->get(), 0, VK_WHOLE_SIZE, 0, &fresh.mapped);
        res != VK_SUCCESS) {
        return vkError(std::string("mapping the ") + what, res);
    }
    fresh.memory = std::move(mem.value());
    fresh.buffer = std::move(newBuffer);
    std::swap(out, fresh); // the old pair goes with `fresh`: buffer first, then its memory
    return Status::success();
}

Status OverlayRenderer::createImage(VkFormat format, int width, int height, VkImageUsageFlags usage,
                                    GpuImage &out, const char *what, bool exportable) {
    const VkDevice dev = context_->device();
    // Exportable images (for OpenGL to import) get a dedicated allocation an fd can name.
    VkExternalMemoryImageCreateInfo external{};
    external.sType = VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_IMAGE_CREATE_INFO;
    external.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
    VkImageCreateInfo ici{};
    ici.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO;
    ici.pNext = exportable ? &external : nullptr;
    ici.imageType = VK_IMAGE_TYPE_2D;
    ici.format = format;
    ici.extent = {static_cast<std::uint32_t>(width), static_cast<std::uint32_t>(height), 1};
    ici.mipLevels = 1;
    ici.arrayLayers = 1;
    ici.samples = VK_SAMPLE_COUNT_1_BIT;
    ici.tiling = VK_IMAGE_TILING_OPTIMAL;
    ici.usage = usage;
    ici.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    VkImage raw = VK_NULL_HANDLE;
    if (VkResult res = vkCreateImage(dev, &ici, nullptr, &raw); res != VK_SUCCESS) {
        return vkError(std::string("creating the ") + what, res);
    }
    VkOwned<VkImage> newImage(dev, raw, vkDestroyImage);
    VkMemoryRequirements req{};
    vkGetImageMemoryRequirements(dev, raw, &req);
    VkMemoryDedicatedAllocateInfo dedicated{};
    dedicated.sType = VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO;
    dedicated.image = raw;
    VkExportMemoryAllocateInfo exportInfo{};
    exportInfo.sType = VK_STRUCTURE_TYPE_EXPORT_MEMORY_ALLOCATE_INFO;
    exportInfo.pNext = &dedicated;
    exportInfo.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
    auto mem = exportable ? allocate(req, 0, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, what, &exportInfo)
                          : allocate(req, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0, what);
    if (!mem) {
        return mem.error();
    }
    if (VkResult res = vkBindImageMemory(dev, raw, mem->get(), 0); res != VK_SUCCESS) {
        return vkError(std::string("binding memory to the ") + what, res);
    }
    VkImageViewCreateInfo vci{};
    vci.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO;
    vci.image = raw;
    vci.viewType = VK_IMAGE_VIEW_TYPE_2D;
    vci.format = format;
    vci.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    VkImageView rawView = VK_NULL_HANDLE;
    if (VkResult res = vkCreateImageView(dev, &vci, nullptr, &rawView); res != VK_SUCCESS) {
        return vkError(std::string("creating a view of the ") + what, res);
    }
    GpuImage fresh;
    fresh.memory = std::move(mem.value());
    fresh.image = std::move(newImage);
    fresh.view = VkOwned<VkImageView>(dev, rawView, vkDestroyImageView);
    fresh.size = req.size;
    std::swap(out, fresh); // the old one goes with `fresh`: view, image, then memory
    return Status::success();
}

Status OverlayRenderer::createTargets() {
    const VkDevice dev = context_->device();
    if (Status s =
            createImage(kColorFormat, width_, height_,
                        VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
                        color_, "overlay image");
        !s) {
        return s;
    }

    // Drawn, then copied to the readback buffer.
    auto pass = makeRenderPass(VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                               "the render pass");
    if (!pass) {
        return pass.error();
    }
    renderPass_ = std::move(pass.value());
    const VkRenderPass rp = renderPass_.get();
    VkFramebufferCreateInfo fci{};
    fci.sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO;
    fci.renderPass = rp;
    fci.attachmentCount = 1;
    fci.pAttachments = color_.view.ptr();
    fci.width = static_cast<std::uint32_t>(width_);
    fci.height = static_cast<std::uint32_t>(height_);
    fci.layers = 1;
    VkFramebuffer fb = VK_NULL_HANDLE;
    if (VkResult res = vkCreateFramebuffer(dev, &fci, nullptr, &fb); res != VK_SUCCESS) {
        return vkError("creating the framebuffer", res);
    }
    framebuffer_ = VkOwned<VkFramebuffer>(dev, fb, vkDestroyFramebuffer);

    return createBuffer(static_cast<VkDeviceSize>(rowPitch_) * static_cast<VkDeviceSize>(height_),
                        VK_BUFFER_USAGE_TRANSFER_DST_BIT, readback_,
                        VK_MEMORY_PROPERTY_HOST_CACHED_BIT, "readback buffer");
}

Status OverlayRenderer::createAtlas() {
    const VkDevice dev = context_->device();
    if (Status s = createImage(kAtlasFormat, atlasSize_, atlasSize_,
                               VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT, atlas_,
                               "glyph atlas");
        !s) {
        return s;
    }
    VkSamplerCreateInfo sci{};
    sci.sType = VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO;
    sci.magFilter = VK_FILTER_LINEAR;
    sci.minFilter = VK_FILTER_LINEAR;
    sci.mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST;
    sci.addressModeU = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    sci.addressModeV = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    sci.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    sci.maxLod = 0.0f;
    VkSampler sampler = VK_NULL_HANDLE;
    if (VkResult res = vkCreateSampler(dev, &sci, nullptr, &sampler); res != VK_SUCCESS) {
        return vkError("creating the atlas sampler", res);
    }
    sampler_ = VkOwned<VkSampler>(dev, sampler, vkDestroySampler);
    return createBuffer(static_cast<VkDeviceSize>(atlasSize_) *
                            static_cast<VkDeviceSize>(atlasSize_),
                        VK_BUFFER_USAGE_TRANSFER_SRC_BIT, staging_, 0, "atlas upload buffer");
}

Status OverlayRenderer::createPipeline() {
    const VkDevice dev = context_->device();
    // Binding 0: the glyph atlas; binding 1: the frame's pictures.
    VkDescriptorSetLayoutBinding bindings[2]{};
    for (std::uint32_t i = 0; i < 2; ++i) {
        bindings[i].binding = i;
        bindings[i].descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
        bindings[i].descriptorCount = 1;
        bindings[i].stageFlags = VK_SHADER_STAGE_FRAGMENT_BIT;
    }
    VkDescriptorSetLayoutCreateInfo dslci{};
    dslci.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO;
    dslci.bindingCount = 2;
    dslci.pBindings = bindings;
    VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
    if (VkResult res = vkCreateDescriptorSetLayout(dev, &dslci, nullptr, &setLayout);
        res != VK_SUCCESS) {
        return vkError("creating the descriptor set layout", res);
    }
    setLayout_ = VkOwned<VkDescriptorSetLayout>(dev, setLayout, vkDestroyDescriptorSetLayout);

    VkPushConstantRange push{VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof(DrawPush)};
    VkPipelineLayoutCreateInfo plci{};
    plci.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO;
    plci.setLayoutCount = 1;
    plci.pSetLayouts = setLayout_.ptr();
    plci.pushConstantRangeCount = 1;
    plci.pPushConstantRanges = &push;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    if (VkResult res = vkCreatePipelineLayout(dev, &plci, nullptr, &layout); res != VK_SUCCESS) {
        return vkError("creating the pipeline layout", res);
    }
    pipelineLayout_ = VkOwned<VkPipelineLayout>(dev, layout, vkDestroyPipelineLayout);

    const auto makeModule = [&](const std::uint32_t *code, std::size_t bytes,
                                VkOwned<VkShaderModule> &out) -> Status {
        VkShaderModuleCreateInfo smci{};
        smci.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO;
        smci.codeSize = bytes;
        smci.pCode = code;
        VkShaderModule module = VK_NULL_HANDLE;
        if (VkResult res = vkCreateShaderModule(dev, &smci, nullptr, &module); res != VK_SUCCESS) {
            return vkError("loading the overlay shaders", res);
        }
        out = VkOwned<VkShaderModule>(dev, module, vkDestroyShaderModule);
        return Status::success();
    };
    VkOwned<VkShaderModule> vert;
    VkOwned<VkShaderModule> frag;
    if (Status s = makeModule(kSpirv_overlay_vert, sizeof(kSpirv_overlay_vert), vert); !s) {
        return s;
    }
    if (Status s = makeModule(kSpirv_overlay_frag, sizeof(kSpirv_overlay_frag), frag); !s) {
        return s;
    }
    VkPipelineShaderStageCreateInfo stages[2]{};
    stages[0].sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    stages[0].stage = VK_SHADER_STAGE_VERTEX_BIT;
    stages[0].module = vert.get();
    stages[0].pName = "main";
    stages[1].sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    stages[1].stage = VK_SHADER_STAGE_FRAGMENT_BIT;
    stages[1].module = frag.get();
    stages[1].pName = "main";

    VkVertexInputBindingDescription vib{0, sizeof(QuadInstance), VK_VERTEX_INPUT_RATE_INSTANCE};
    VkVertexInputAttributeDescription attrs[6]{};
    for (std::uint32_t i = 0; i < 6; ++i) {
        attrs[i] = {i, 0, VK_FORMAT_R32G32B32A32_SFLOAT, i * 16u};
    }
    VkPipelineVertexInputStateCreateInfo vi{};
    vi.sType = VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO;
    vi.vertexBindingDescriptionCount = 1;
    vi.pVertexBindingDescriptions = &vib;
    vi.vertexAttributeDescriptionCount = 6;
    vi.pVertexAttributeDescriptions = attrs;
    VkPipelineInputAssemblyStateCreateInfo ia{};
    ia.sType = VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO;
    ia.topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST;
    VkPipelineViewportStateCreateInfo vp{};
    vp.sType = VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO;
    vp.viewportCount = 1;
    vp.scissorCount = 1;
    VkPipelineRasterizationStateCreateInfo rs{};
    rs.sType = VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO;
    rs.polygonMode = VK_POLYGON_MODE_FILL;
    rs.cullMode = VK_CULL_MODE_NONE;
    rs.frontFace = VK_FRONT_FACE_COUNTER_CLOCKWISE;
    rs.lineWidth = 1.0f;
    VkPipelineMultisampleStateCreateInfo ms{};
    ms.sType = VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO;
    ms.rasterizationSamples = VK_SAMPLE_COUNT_1_BIT;
    VkPipelineColorBlendAttachmentState blend{};
    blend.blendEnable = VK_TRUE;
    blend.srcColorBlendFactor = VK_BLEND_FACTOR_ONE; // premultiplied alpha
    blend.dstColorBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA;
    blend.colorBlendOp = VK_BLEND_OP_ADD;
    blend.srcAlphaBlendFactor = VK_BLEND_FACTOR_ONE;
    blend.dstAlphaBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA;
    blend.alphaBlendOp = VK_BLEND_OP_ADD;
    blend.colorWriteMask = VK_COLOR_COMPONENT_R_BIT | VK_COLOR_COMPONENT_G_BIT |
                           VK_COLOR_COMPONENT_B_BIT | VK_COLOR_COMPONENT_A_BIT;
    VkPipelineColorBlendStateCreateInfo cb{};
    cb.sType = VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO;
    cb.attachmentCount = 1;
    cb.pAttachments = &blend;
    const VkDynamicState dynamic[2] = {VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR};
    VkPipelineDynamicStateCreateInfo ds{};
    ds.sType = VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO;
    ds.dynamicStateCount = 2;
    ds.pDynamicStates = dynamic;
    VkGraphicsPipelineCreateInfo gpci{};
    gpci.sType = VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO;
    gpci.stageCount = 2;
    gpci.pStages = stages;
    gpci.pVertexInputState = &vi;
    gpci.pInputAssemblyState = &ia;
    gpci.pViewportState = &vp;
    gpci.pRasterizationState = &rs;
    gpci.pMultisampleState = &ms;
    gpci.pColorBlendState = &cb;
    gpci.pDynamicState = &ds;
    gpci.layout = pipelineLayout_.get();
    gpci.renderPass = renderPass_.get();
    VkPipeline pipeline = VK_NULL_HANDLE;
    if (VkResult res = vkCreateGraphicsPipelines(dev, VK_NULL_HANDLE, 1, &gpci, nullptr, &pipeline);
        res != VK_SUCCESS) {
        return vkError("creating the overlay pipeline", res);
    }
    pipeline_ = VkOwned<VkPipeline>(dev, pipeline, vkDestroyPipeline);

    VkDescriptorPoolSize poolSize{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 2};
    VkDescriptorPoolCreateInfo dpci{};
    dpci.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO;
    dpci.maxSets = 1;
    dpci.poolSizeCount = 1;
    dpci.pPoolSizes = &poolSize;
    VkDescriptorPool pool = VK_NULL_HANDLE;
    if (VkResult res = vkCreateDescriptorPool(dev, &dpci, nullptr, &pool); res != VK_SUCCESS) {
        return vkError("creating the descriptor pool", res);
    }
    descriptorPool_ = VkOwned<VkDescriptorPool>(dev, pool, vkDestroyDescriptorPool);
    VkDescriptorSetAllocateInfo dsai{};
    dsai.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO;
    dsai.descriptorPool = pool;
    dsai.descriptorSetCount = 1;
    dsai.pSetLayouts = setLayout_.ptr();
    if (VkResult res = vkAllocateDescriptorSets(dev, &dsai, &descriptorSet_); res != VK_SUCCESS) {
        return vkError("allocating the descriptor set", res);
    }
    bindTexture(0, atlas_.view.get());
    return ensurePictures(1, 1); // a transparent texel until a frame has pictures
}

Status OverlayRenderer::ensurePictures(int width, int height) {
    if (pictures_.image && picturesW_ == width && picturesH_ == height) {
        return Status::success();
    }
    if (Status s = createImage(kColorFormat, width, height,
                               VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT,
                               pictures_, "picture texture");
        !s) {
        return s;
    }
    picturesW_ = width;
    picturesH_ = height;
    picturesReady_ = false;
    shownPictures_.reset();
    bindTexture(1, pictures_.view.get());
    return Status::success();
}

void OverlayRenderer::bindTexture(std::uint32_t binding, VkImageView view) {
    VkDescriptorImageInfo imageInfo{sampler_.get(), view, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
    VkWriteDescriptorSet write{};
    write.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
    write.dstSet = descriptorSet_;
    write.dstBinding = binding;
    write.descriptorCount = 1;
    write.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
    write.pImageInfo = &imageInfo;
    vkUpdateDescriptorSets(context_->device(), 1, &write, 0, nullptr);
}

Status OverlayRenderer::stagePictures(const DrawList &list) {
    picturesPending_ = false;
    if (!list.pictures || list.pictures == shownPictures_) {
        return Status::success();
    }
    const Image &img = *list.pictures;
    if (img.width <= 0 || img.height <= 0) {
        return Status::success();
    }
    if (Status s = ensurePictures(img.width, img.height); !s) {
        return s;
    }
    const std::size_t bytes = img.pixels.size();
    if (bytes > picturesStagingBytes_) {
        if (Status s =
                createBuffer(static_cast<VkDeviceSize>(bytes), VK_BUFFER_USAGE_TRANSFER_SRC_BIT,
                             picturesStaging_, 0, "picture upload buffer");
            !s) {
            return s;
        }
        picturesStagingBytes_ = bytes;
    }
    std::memcpy(picturesStaging_.mapped, img.pixels.data(), bytes);
    picturesPending_ = true;
    shownPictures_ = list.pictures;
    return Status::success();
}

void OverlayRenderer::recordPicturesUpload() {
    VkCommandBuffer cmd = commandBuffer_;
    if (!picturesPending_) {
        if (!picturesReady_) {
            // Nothing to show yet, but the shader's descriptor must be in a readable layout.
            const VkImageMemoryBarrier toRead = imageBarrier(
                pictures_.image.get(), VK_IMAGE_LAYOUT_UNDEFINED,
                VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, 0, VK_ACCESS_SHADER_READ_BIT);
            vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
                                 VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT, 0, 0, nullptr, 0, nullptr,
                                 1, &toRead);
            picturesReady_ = true;
        }
        return;
    }
    const VkImageMemoryBarrier toDst = imageBarrier(
        pictures_.image.get(),
        picturesReady_ ? VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL : VK_IMAGE_LAYOUT_UNDEFINED,
        VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, picturesReady_ ? VK_ACCESS_SHADER_READ_BIT : 0,
        VK_ACCESS_TRANSFER_WRITE_BIT);
    vkCmdPipelineBarrier(cmd,
                         picturesReady_ ? VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT
                                        : VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
                         VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, 0, nullptr, 1, &toDst);
    VkBufferImageCopy copy{};
    copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    copy.imageExtent = {static_cast<std::uint32_t>(picturesW_),
                        static_cast<std::uint32_t>(picturesH_), 1};
    vkCmdCopyBufferToImage(cmd, picturesStaging_.buffer.get(), pictures_.image.get(),
                           VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &copy);
    const VkImageMemoryBarrier toRead =
        imageBarrier(pictures_.image.get(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                     VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_ACCESS_TRANSFER_WRITE_BIT,
                     VK_ACCESS_SHADER_READ_BIT);
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT,
                         0, 0, nullptr, 0, nullptr, 1, &toRead);
    picturesReady_ = true;
    picturesPending_ = false;
}

Status OverlayRenderer::createCommands() {
    const VkDevice dev = context_->device();
    VkCommandPoolCreateInfo cpci{};
    cpci.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO;
    cpci.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    cpci.queueFamilyIndex = context_->queueFamily();
    VkCommandPool pool = VK_NULL_HANDLE;
    if (VkResult res = vkCreateCommandPool(dev, &cpci, nullptr, &pool); res != VK_SUCCESS) {
        return vkError("creating the command pool", res);
    }
    commandPool_ = VkOwned<VkCommandPool>(dev, pool, vkDestroyCommandPool);
    VkCommandBufferAllocateInfo cbai{};
    cbai.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO;
    cbai.commandPool = pool;
    cbai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    cbai.commandBufferCount = 1;
    if (VkResult res = vkAllocateCommandBuffers(dev, &cbai, &commandBuffer_); res != VK_SUCCESS) {
        return vkError("allocating the command buffer", res);
    }
    VkFenceCreateInfo fci{};
    fci.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
    VkFence fence = VK_NULL_HANDLE;
    if (VkResult res = vkCreateFence(dev, &fci, nullptr, &fence); res != VK_SUCCESS) {
        return vkError("creating the fence", res);
    }
    fence_ = VkOwned<VkFence>(dev, fence, vkDestroyFence);
    return Status::success();
}

Status OverlayRenderer::ensureInstanceCapacity(std::size_t quads) {
    if (quads <= instanceCapacity_ && instances_.buffer) {
        return Status::success();
    }
    const std::size_t capacity = std::max<std::size_t>(256, quads * 2);
    if (Status s = createBuffer(static_cast<VkDeviceSize>(capacity * sizeof(QuadInstance)),
                                VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, instances_, 0, "quad buffer");
        !s) {
        return s;
    }
    instanceCapacity_ = capacity;
    return Status::success();
}

PixelRect OverlayRenderer::clampRegion(PixelRect region) const {
    if (region.empty()) {
        region = PixelRect{0, 0, width_, height_};
    }
    region.x = std::clamp(region.x, 0, width_);
    region.y = std::clamp(region.y, 0, height_);
    region.width = std::clamp(region.width, 0, width_ - region.x);
    region.height = std::clamp(region.height, 0, height_ - region.y);
    return region;
}

Status OverlayRenderer::stage(const DrawList &list, GlyphAtlas &atlas,
                              std::vector<VkBufferImageCopy> &copies) {
    if (atlas.width() != atlasSize_ || atlas.height() != atlasSize_) {
        return makeError("glyph atlas size does not match the renderer");
    }
    if (Status s = ensureInstanceCapacity(list.quads.size()); !s) {
        return s;
    }
    if (!list.quads.empty()) {
        std::memcpy(instances_.mapped, list.quads.data(), list.quads.size() * sizeof(QuadInstance));
    }
    if (Status s = stagePictures(list); !s) {
        return s;
    }
    // Upload only the atlas rectangles that changed (all of it the first time).
    if (!atlasReady_ || atlas.dirty()) {
        std::vector<AtlasRect> dirty = atlas.takeDirty();
        if (!atlasReady_) {
            dirty.assign(1, AtlasRect{0, 0, atlasSize_, atlasSize_});
        }
        auto *staging = static_cast<std::uint8_t *>(staging_.mapped);
        for (const AtlasRect &rect : dirty) {
            if (rect.w <= 0 || rect.h <= 0) {
                continue;
            }
            for (int row = 0; row < rect.h; ++row) {
                const std::size_t offset =
                    static_cast<std::size_t>(rect.y + row) * static_cast<std::size_t>(atlasSize_) +
                    static_cast<std::size_t>(rect.x);
                std::memcpy(staging + offset, atlas.pixels() + offset,
                            static_cast<std::size_t>(rect.w));
            }
            VkBufferImageCopy copy{};
            copy.bufferOffset = static_cast<VkDeviceSize>(rect.y) * atlasSize_ + rect.x;
            copy.bufferRowLength = static_cast<std::uint32_t>(atlasSize_);
            copy.bufferImageHeight = static_cast<std::uint32_t>(atlasSize_);
            copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
            copy.imageOffset = {rect.x, rect.y, 0};
            copy.imageExtent = {static_cast<std::uint32_t>(rect.w),
                                static_cast<std::uint32_t>(rect.h), 1};
            copies.push_back(copy);
        }
    }
    return Status::success();
}

Status OverlayRenderer::beginCommands() {
    vkResetCommandBuffer(commandBuffer_, 0);
    VkCommandBufferBeginInfo begin{};
    begin.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    if (VkResult res = vkBeginCommandBuffer(commandBuffer_, &begin); res != VK_SUCCESS) {
        return vkError("recording the overlay commands", res);
    }
    return Status::success();
}

void OverlayRenderer::recordAtlasUpload(const std::vector<VkBufferImageCopy> &copies) {
    if (copies.empty()) {
        return;
    }
    VkCommandBuffer cmd = commandBuffer_;
    const VkImageMemoryBarrier toDst = imageBarrier(
        atlas_.image.get(),
        atlasReady_ ? VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL : VK_IMAGE_LAYOUT_UNDEFINED,
        VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, atlasReady_ ? VK_ACCESS_SHADER_READ_BIT : 0,
        VK_ACCESS_TRANSFER_WRITE_BIT);
    vkCmdPipelineBarrier(cmd,
                         atlasReady_ ? VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT
                                     : VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
                         VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, 0, nullptr, 1, &toDst);
    vkCmdCopyBufferToImage(cmd, staging_.buffer.get(), atlas_.image.get(),
                           VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                           static_cast<std::uint32_t>(copies.size()), copies.data());
    const VkImageMemoryBarrier toRead =
        imageBarrier(atlas_.image.get(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                     VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_ACCESS_TRANSFER_WRITE_BIT,
                     VK_ACCESS_SHADER_READ_BIT);
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT,
                         0, 0, nullptr, 0, nullptr, 1, &toRead);
}

void OverlayRenderer::recordDraw(VkRenderPass pass, VkFramebuffer framebuffer, PixelRect area,
                                 const DrawList &list) {
    const std::size_t quads = list.quads.size();
    VkCommandBuffer cmd = commandBuffer_;
    VkClearValue clear{};
    clear.color = {{0.0f, 0.0f, 0.0f, 0.0f}};
    VkRenderPassBeginInfo rpbi{};
    rpbi.sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO;
    rpbi.renderPass = pass;
    rpbi.framebuffer = framebuffer;
    rpbi.renderArea = {
        {area.x, area.y},
        {static_cast<std::uint32_t>(area.width), static_cast<std::uint32_t>(area.height)}};
    rpbi.clearValueCount = 1;
    rpbi.pClearValues = &clear;
    vkCmdBeginRenderPass(cmd, &rpbi, VK_SUBPASS_CONTENTS_INLINE);
    if (quads > 0) {
        vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_.get());
        vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipelineLayout_.get(), 0, 1,
                                &descriptorSet_, 0, nullptr);
        const VkDeviceSize offset = 0;
        vkCmdBindVertexBuffers(cmd, 0, 1, instances_.buffer.ptr(), &offset);
        VkViewport viewport{0.0f, 0.0f, static_cast<float>(width_), static_cast<float>(height_),
                            0.0f, 1.0f};
        vkCmdSetViewport(cmd, 0, 1, &viewport);
        vkCmdSetScissor(cmd, 0, 1, &rpbi.renderArea);
        // Flat runs with the identity, each warped span with its homography and layer.
        const auto draw = [&](std::uint32_t first, std::uint32_t count, const WarpSpan *warp) {
            DrawPush push{};
            push.canvas[0] = static_cast<float>(width_);
            push.canvas[1] = static_cast<float>(height_);
            const float identity[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
            const float *h = warp != nullptr ? warp->homography : identity;
            for (int row = 0; row < 3; ++row) {
                for (int col = 0; col < 3; ++col) {
                    push.rows[row * 4 + col] = h[row * 3 + col];
                }
            }
            push.warped = warp != nullptr ? 1.0f : 0.0f;
            const float none[4] = {-1e9f, -1e9f, 1e9f, 1e9f};
            std::copy_n(warp != nullptr ? warp->layer : none, 4, push.clip);
            vkCmdPushConstants(cmd, pipelineLayout_.get(), VK_SHADER_STAGE_VERTEX_BIT, 0,
                               sizeof(push), &push);
            vkCmdDraw(cmd, 6, count, 0, first);
        };
        std::uint32_t at = 0;
        for (const WarpSpan &w : list.warps) {
            if (w.first > at) {
                draw(at, w.first - at, nullptr);
            }
            draw(w.first, w.count, &w);
            at = w.first + w.count;
        }
        if (at < quads) {
            draw(at, static_cast<std::uint32_t>(quads) - at, nullptr);
        }
    }
    vkCmdEndRenderPass(cmd);
}

void OverlayRenderer::recordReadback(VkImage image, VkImageLayout layout, PixelRect region) {
    VkCommandBuffer cmd = commandBuffer_;
    VkBufferImageCopy readback{};
    readback.bufferOffset = 0;
    readback.bufferRowLength = static_cast<std::uint32_t>(rowPitch_ / 4);
    readback.bufferImageHeight = static_cast<std::uint32_t>(region.height);
    readback.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    readback.imageOffset = {region.x, region.y, 0};
    readback.imageExtent = {static_cast<std::uint32_t>(region.width),
                            static_cast<std::uint32_t>(region.height), 1};
    vkCmdCopyImageToBuffer(cmd, image, layout, readback_.buffer.get(), 1, &readback);
    VkBufferMemoryBarrier toHost{};
    toHost.sType = VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER;
    toHost.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    toHost.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    toHost.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    toHost.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    toHost.buffer = readback_.buffer.get();
    toHost.size = VK_WHOLE_SIZE;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 0,
                         nullptr, 1, &toHost, 0, nullptr);
}

Status OverlayRenderer::submitAndWait(const char *what) {
    VkCommandBuffer cmd = commandBuffer_;
    if (VkResult res = vkEndCommandBuffer(cmd); res != VK_SUCCESS) {
        return vkError("recording the overlay commands", res);
    }
    VkSubmitInfo submit{};
    submit.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
    submit.commandBufferCount = 1;
    submit.pCommandBuffers = &cmd;
    if (VkResult res = context_->submit(submit, fence_.get()); res != VK_SUCCESS) {
        return vkError(std::string("submitting the ") + what, res);
    }
    const VkResult wait =
        vkWaitForFences(context_->device(), 1, fence_.ptr(), VK_TRUE, kFenceTimeoutNs);
    if (wait != VK_SUCCESS) {
        // The fence may still signal later; drain the queue so the next render starts clean.
        context_->waitQueueIdle();
        vkResetFences(context_->device(), 1, fence_.ptr());
        atlasReady_ = false; // re-upload the whole atlas next time
        picturesReady_ = false;
        shownPictures_.reset(); // and the pictures
        return vkError(std::string("waiting for the ") + what, wait);
    }
    vkResetFences(context_->device(), 1, fence_.ptr());
    return Status::success();
}

void OverlayRenderer::copyReadback(PixelRect region, Image &out) const {
    const auto *src = static_cast<const std::uint8_t *>(readback_.mapped);
    const std::size_t rowBytes = static_cast<std::size_t>(region.width) * 4;
    for (int y = 0; y < region.height; ++y) {
        std::memcpy(out.row(y), src + static_cast<std::size_t>(y) * rowPitch_, rowBytes);
    }
}

Result<Image> OverlayRenderer::render(const DrawList &list, GlyphAtlas &atlas, PixelRect region) {
    region = clampRegion(region);
    Image out(region.width, region.height);
    if (region.empty()) {
        return out;
    }
    std::vector<VkBufferImageCopy> copies;
    if (Status s = stage(list, atlas, copies); !s) {
        return s.error();
    }
    if (Status s = beginCommands(); !s) {
        return s.error();
    }
    recordAtlasUpload(copies);
    recordPicturesUpload();
    recordDraw(renderPass_.get(), framebuffer_.get(), region, list);
    recordReadback(color_.image.get(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, region);
    if (Status s = submitAndWait("overlay render"); !s) {
        return s.error();
    }
    atlasReady_ = true;
    copyReadback(region, out);
    return out;
}

Result<VkOwned<VkRenderPass>>
OverlayRenderer::makeRenderPass(VkImageLayout initial, VkImageLayout final, const char *what) {
    VkAttachmentDescription color{};
    color.format = kColorFormat;
    color.samples = VK_SAMPLE_COUNT_1_BIT;
    color.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR; // the render area only
    color.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
    color.stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
    color.stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
    color.initialLayout = initial;
    color.finalLayout = final;
    VkAttachmentReference ref{0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkSubpassDescription subpass{};
    subpass.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
    subpass.colorAttachmentCount = 1;
    subpass.pColorAttachments = &ref;
    // Both passes draw with one pipeline, so they must be compatible: identical but for
    // layouts and load/store ops, dependencies included. So one set of dependencies covers
    // both: before, the image was cleared, copied into or read back (transfers); after, it is
    // read back (a transfer) or handed to OpenGL (bottom of pipe, then the EXTERNAL barrier).
    VkSubpassDependency deps[2]{};
    deps[0].srcStageMask = VK_PIPELINE_STAGE_TRANSFER_BIT;
    deps[0].srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT;
    deps[1].dstStageMask = VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT;
    deps[1].dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
    deps[0].srcSubpass = VK_SUBPASS_EXTERNAL;
    deps[0].dstSubpass = 0;
    deps[0].dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
    deps[0].dstAccessMask =
        VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
    deps[1].srcSubpass = 0;
    deps[1].dstSubpass = VK_SUBPASS_EXTERNAL;
    deps[1].srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
    deps[1].srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
    VkRenderPassCreateInfo rpci{};
    rpci.sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO;
    rpci.attachmentCount = 1;
    rpci.pAttachments = &color;
    rpci.subpassCount = 1;
    rpci.pSubpasses = &subpass;
    rpci.dependencyCount = 2;
    rpci.pDependencies = deps;
    VkRenderPass rp = VK_NULL_HANDLE;
    if (VkResult res = vkCreateRenderPass(context_->device(), &rpci, nullptr, &rp);
        res != VK_SUCCESS) {
        return vkError(std::string("creating ") + what, res);
    }
    return VkOwned<VkRenderPass>(context_->device(), rp, vkDestroyRenderPass);
}

Status OverlayRenderer::createSharedImages(int count) {
    if (!context_->canExportMemory()) {
        return makeError("this Vulkan device cannot share images: " + context_->exportError());
    }
    if (!sharedPass_) {
        // GENERAL in and out: the pixels outside the render area must survive, and GENERAL is
        // the layout another API can read without a semaphore telling it otherwise. Before: the
        // image was cleared whole or read back; after: OpenGL or a readback reads it.
        auto pass = makeRenderPass(VK_IMAGE_LAYOUT_GENERAL, VK_IMAGE_LAYOUT_GENERAL,
                                   "the shared-image render pass");
        if (!pass) {
            return pass.error();
        }
        sharedPass_ = std::move(pass.value());
    }
    const VkDevice dev = context_->device();
    std::vector<SharedImage> images(static_cast<std::size_t>(count));
    for (SharedImage &shared : images) {
        if (Status s = createImage(kSharedImageFormat, width_, height_, kSharedImageUsage,
                                   shared.gpu, "shared overlay image", true);
            !s) {
            return s;
        }
        VkFramebufferCreateInfo fci{};
        fci.sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO;
        fci.renderPass = sharedPass_.get();
        fci.attachmentCount = 1;
        fci.pAttachments = shared.gpu.view.ptr();
        fci.width = static_cast<std::uint32_t>(width_);
        fci.height = static_cast<std::uint32_t>(height_);
        fci.layers = 1;
        VkFramebuffer fb = VK_NULL_HANDLE;
        if (VkResult res = vkCreateFramebuffer(dev, &fci, nullptr, &fb); res != VK_SUCCESS) {
            return vkError("creating a framebuffer for a shared overlay image", res);
        }
        shared.framebuffer = VkOwned<VkFramebuffer>(dev, fb, vkDestroyFramebuffer);
    }
    shared_ = std::move(images);
    return Status::success();
}

Result<SharedImageExport> OverlayRenderer::exportSharedImage(int slot) {
    if (slot < 0 || slot >= sharedImageCount()) {
        return makeError("no shared overlay image " + std::to_string(slot));
    }
    VkMemoryGetFdInfoKHR info{};
    info.sType = VK_STRUCTURE_TYPE_MEMORY_GET_FD_INFO_KHR;
    info.memory = shared_[static_cast<std::size_t>(slot)].gpu.memory.get();
    info.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
    int fd = -1;
    if (VkResult res = context_->getMemoryFd()(context_->device(), &info, &fd); res != VK_SUCCESS) {
        return vkError("exporting the overlay image's memory", res);
    }
    SharedImageExport out;
    out.fd = UniqueFd(fd);
    out.size = shared_[static_cast<std::size_t>(slot)].gpu.size;
    out.width = width_;
    out.height = height_;
    return out;
}

namespace {

/// The smallest rectangle holding both, grown by `margin` and clamped to the canvas.
PixelRect coverBoth(PixelRect a, PixelRect b, int margin, int width, int height) {
    if (a.empty()) {
        a = b;
    }
    if (b.empty()) {
        b = a;
    }
    const int x0 = std::max(0, std::min(a.x, b.x) - margin);
    const int y0 = std::max(0, std::min(a.y, b.y) - margin);
    const int x1 = std::min(width, std::max(a.x + a.width, b.x + b.width) + margin);
    const int y1 = std::min(height, std::max(a.y + a.height, b.y + b.height) + margin);
    return PixelRect{x0, y0, std::max(0, x1 - x0), std::max(0, y1 - y0)};
}

/// Ownership of a shared image between OpenGL (the "external" queue family) and ours.
VkImageMemoryBarrier sharedBarrier(VkImage image, bool acquire, std::uint32_t family) {
    return imageBarrier(image, VK_IMAGE_LAYOUT_GENERAL, VK_IMAGE_LAYOUT_GENERAL,
                        acquire ? 0 : VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
                        acquire ? VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT : 0,
                        acquire ? VK_QUEUE_FAMILY_EXTERNAL : family,
                        acquire ? family : VK_QUEUE_FAMILY_EXTERNAL);
}

} // namespace

Status OverlayRenderer::renderShared(int slot, const DrawList &list, GlyphAtlas &atlas,
                                     PixelRect region) {
    if (slot < 0 || slot >= sharedImageCount()) {
        return makeError("no shared overlay image " + std::to_string(slot));
    }
    SharedImage &target = shared_[static_cast<std::size_t>(slot)];
    region = clampRegion(region);
    std::vector<VkBufferImageCopy> copies;
    if (Status s = stage(list, atlas, copies); !s) {
        return s;
    }
    if (Status s = beginCommands(); !s) {
        return s;
    }
    VkCommandBuffer cmd = commandBuffer_;
    recordAtlasUpload(copies);
    recordPicturesUpload();
    const std::uint32_t family = context_->queueFamily();
    if (!target.initialized) {
        // First use: the whole image transparent, in GENERAL layout.
        const VkImageMemoryBarrier toGeneral =
            imageBarrier(target.gpu.image.get(), VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_GENERAL,
                         0, VK_ACCESS_TRANSFER_WRITE_BIT);
        vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
                             0, 0, nullptr, 0, nullptr, 1, &toGeneral);
        VkClearColorValue transparent{};
        const VkImageSubresourceRange all{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
        vkCmdClearColorImage(cmd, target.gpu.image.get(), VK_IMAGE_LAYOUT_GENERAL, &transparent, 1,
                             &all);
    } else {
        const VkImageMemoryBarrier acquire = sharedBarrier(target.gpu.image.get(), true, family);
        vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
                             VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT, 0, 0, nullptr, 0,
                             nullptr, 1, &acquire);
    }
    // Clear what the previous overlay in this image covered as well as the new band, one pixel
    // wider: a scaled draw samples half a texel beyond the band's edge.
    const PixelRect area = coverBoth(target.drawn, region, 1, width_, height_);
    if (!area.empty()) {
        recordDraw(sharedPass_.get(), target.framebuffer.get(), area, list);
    }
    const VkImageMemoryBarrier release = sharedBarrier(target.gpu.image.get(), false, family);
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
                         VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0, 0, nullptr, 0, nullptr, 1,
                         &release);
    if (Status s = submitAndWait("overlay render"); !s) {
        target.initialized = false; // clear it whole next time
        return s;
    }
    atlasReady_ = true;
    target.initialized = true;
    target.drawn = region;
    return Status::success();
}

Result<Image> OverlayRenderer::readShared(int slot, PixelRect region) {
    if (slot < 0 || slot >= sharedImageCount() ||
        !shared_[static_cast<std::size_t>(slot)].initialized) {
        return makeError("shared overlay image " + std::to_string(slot) + " holds nothing yet");
    }
    region = clampRegion(region);
    Image out(region.width, region.height);
    if (region.empty()) {
        return out;
    }
    if (Status s = beginCommands(); !s) {
        return s.error();
    }
    const VkImage image = shared_[static_cast<std::size_t>(slot)].gpu.image.get();
    const std::uint32_t family = context_->queueFamily();
    VkImageMemoryBarrier acquire = sharedBarrier(image, true, family);
    acquire.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
    vkCmdPipelineBarrier(commandBuffer_, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
                         VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, 0, nullptr, 1, &acquire);
    recordReadback(image, VK_IMAGE_LAYOUT_GENERAL, region);
    VkImageMemoryBarrier release = sharedBarrier(image, false, family);
    release.srcAccessMask = 0;
    vkCmdPipelineBarrier(commandBuffer_, VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0, 0, nullptr, 0, nullptr, 1,
                         &release);
    if (Status s = submitAndWait("shared image readback"); !s) {
        return s.error();
    }
    copyReadback(region, out);
    return out;
}

} // namespace cuecard
