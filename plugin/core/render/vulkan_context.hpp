#pragma once
/// \file
/// A headless Vulkan instance and device (no window, no swapchain) on whatever device exists:
/// a discrete GPU first, then integrated, then Mesa's lavapipe on the CPU.

#include "core/util/result.hpp"

#include <vulkan/vulkan.h>

#include <memory>
#include <string>
#include <vector>

namespace cuecard {

/// "VK_ERROR_OUT_OF_DEVICE_MEMORY" and friends.
const char *vkResultName(VkResult result);

/// An Error saying what failed and what to do about it.
Error vkError(const std::string &what, VkResult result);

class VulkanContext {
  public:
    /// Creates instance and device. Fails with an actionable message when no driver or
    /// device exists ("no Vulkan driver found: install mesa-vulkan-drivers").
    static Result<std::shared_ptr<VulkanContext>> create();
    ~VulkanContext();
    VulkanContext(const VulkanContext &) = delete;
    VulkanContext &operator=(const VulkanContext &) = delete;

    VkInstance instance() const { return instance_; }
    VkPhysicalDevice physicalDevice() const { return physical_; }
    VkDevice device() const { return device_; }
    VkQueue queue() const { return queue_; }
    std::uint32_t queueFamily() const { return queueFamily_; }
    const std::string &deviceName() const { return deviceName_; }
    bool isCpuDevice() const { return cpu_; }

    /// A memory type index with all `required` flags among `typeBits`; prefers one that also
    /// has `preferred`. -1 when none.
    /// Device extensions a DMA-BUF export of the overlay image needs that this device lacks
    /// (empty when it has them all).
    std::vector<std::string> missingDmaBufExtensions() const;

    int findMemoryType(std::uint32_t typeBits, VkMemoryPropertyFlags required,
                       VkMemoryPropertyFlags preferred = 0) const;
    VkMemoryPropertyFlags memoryFlags(std::uint32_t typeIndex) const;

  private:
    VulkanContext() = default;
    VkInstance instance_ = VK_NULL_HANDLE;
    VkPhysicalDevice physical_ = VK_NULL_HANDLE;
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    std::uint32_t queueFamily_ = 0;
    std::string deviceName_;
    bool cpu_ = false;
    VkPhysicalDeviceMemoryProperties memory_{};
};

} // namespace cuecard
