// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A headless Vulkan instance and device (no window, no swapchain) on whatever device exists:
/// a discrete GPU first, then integrated, then Mesa's lavapipe on the CPU.

#include "core/util/result.hpp"

#include <vulkan/vulkan.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cuecard {

/// Format and usage of the images OpenGL imports: rendered into, read back for tests.
constexpr VkFormat kSharedImageFormat = VK_FORMAT_R8G8B8A8_UNORM;
constexpr VkImageUsageFlags kSharedImageUsage =
    VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT |
    VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_SAMPLED_BIT;

/// "VK_ERROR_OUT_OF_DEVICE_MEMORY" and friends.
const char *vkResultName(VkResult result);

/// An Error saying what failed and what to do about it.
Error vkError(const std::string &what, VkResult result);

struct VulkanOptions {
    /// Runs every Vulkan call through Khronos' validation layer (vulkan-validationlayers):
    /// misuse of the API, including two threads using the queue at once, becomes a message
    /// instead of a driver crash some day. For tests and developers; slower.
    bool validation = false;
    /// Called with each validation error or warning, from whichever thread made the call.
    std::function<void(const std::string &)> onValidationMessage;
};

class VulkanContext {
  public:
    /// Creates instance and device. Fails with an actionable message when no driver or
    /// device exists ("no Vulkan driver found: install mesa-vulkan-drivers").
    static Result<std::shared_ptr<VulkanContext>> create(VulkanOptions options = {});
    ~VulkanContext();
    VulkanContext(const VulkanContext &) = delete;
    VulkanContext &operator=(const VulkanContext &) = delete;

    VkDevice device() const { return device_; }
    /// The one queue is shared by every renderer of the process (each OBS source has its own
    /// worker thread), and Vulkan wants host access to a queue externally synchronized: every
    /// submit and wait-idle goes through these two, under one mutex.
    VkResult submit(const VkSubmitInfo &info, VkFence fence);
    VkResult waitQueueIdle();
    std::uint32_t queueFamily() const { return queueFamily_; }
    const std::string &deviceName() const { return deviceName_; }

    /// Whether images can be exported as opaque file descriptors (Vulkan 1.1 and
    /// VK_KHR_external_memory_fd, RGBA8 colour attachments exportable), so that OpenGL on the
    /// same device can use them without a copy (GL_EXT_memory_object_fd). `exportError()` says
    /// why not.
    bool canExportMemory() const { return exportError_.empty(); }
    const std::string &exportError() const { return exportError_; }
    /// Identity of the device and driver (VkPhysicalDeviceIDProperties); OpenGL must report the
    /// same two UUIDs to import this device's memory. All zero without Vulkan 1.1.
    const std::array<std::uint8_t, 16> &deviceUuid() const { return deviceUuid_; }
    const std::array<std::uint8_t, 16> &driverUuid() const { return driverUuid_; }
    /// vkGetMemoryFdKHR (nullptr unless `canExportMemory()`).
    PFN_vkGetMemoryFdKHR getMemoryFd() const { return getMemoryFd_; }

    /// A memory type index with all `required` flags among `typeBits`; prefers one that also
    /// has `preferred`. -1 when none.
    int findMemoryType(std::uint32_t typeBits, VkMemoryPropertyFlags required,
                       VkMemoryPropertyFlags preferred = 0) const;

    /// With `VulkanOptions::validation`: errors the layer reported so far, and the first few
    /// messages (errors and warnings).
    int validationErrors() const;
    bool validating() const { return options_.validation; }
    std::vector<std::string> validationMessages() const;

  private:
    VulkanContext() = default;
    // create()'s steps, in order.
    Status createInstance(bool &instance11);
    Status pickPhysicalDevice();
    Status createDevice();
    std::string checkExport(bool instance11);
    Status enableValidation(std::vector<const char *> &layers,
                            std::vector<const char *> &extensions);
    void createMessenger();
    static VKAPI_ATTR VkBool32 VKAPI_CALL onMessage(
        VkDebugUtilsMessageSeverityFlagBitsEXT severity, VkDebugUtilsMessageTypeFlagsEXT types,
        const VkDebugUtilsMessengerCallbackDataEXT *data, void *self);
    VkInstance instance_ = VK_NULL_HANDLE;
    VkPhysicalDevice physical_ = VK_NULL_HANDLE;
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    std::mutex queueMutex_;
    std::uint32_t queueFamily_ = 0;
    std::string deviceName_;
    VkPhysicalDeviceMemoryProperties memory_{};
    std::string exportError_ = "not checked";
    std::array<std::uint8_t, 16> deviceUuid_{};
    std::array<std::uint8_t, 16> driverUuid_{};
    PFN_vkGetMemoryFdKHR getMemoryFd_ = nullptr;
    VulkanOptions options_;
    VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
    mutable std::mutex messageMutex_;
    int validationErrors_ = 0;
    std::vector<std::string> validationMessages_;
};

} // namespace cuecard
