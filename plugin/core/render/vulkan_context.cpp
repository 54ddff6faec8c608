// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/render/vulkan_context.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

namespace cuecard {

const char *vkResultName(VkResult result) {
    switch (result) {
    case VK_SUCCESS:
        return "VK_SUCCESS";
    case VK_NOT_READY:
        return "VK_NOT_READY";
    case VK_TIMEOUT:
        return "VK_TIMEOUT";
    case VK_ERROR_OUT_OF_HOST_MEMORY:
        return "VK_ERROR_OUT_OF_HOST_MEMORY";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
        return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
    case VK_ERROR_INITIALIZATION_FAILED:
        return "VK_ERROR_INITIALIZATION_FAILED";
    case VK_ERROR_DEVICE_LOST:
        return "VK_ERROR_DEVICE_LOST";
    case VK_ERROR_MEMORY_MAP_FAILED:
        return "VK_ERROR_MEMORY_MAP_FAILED";
    case VK_ERROR_LAYER_NOT_PRESENT:
        return "VK_ERROR_LAYER_NOT_PRESENT";
    case VK_ERROR_EXTENSION_NOT_PRESENT:
        return "VK_ERROR_EXTENSION_NOT_PRESENT";
    case VK_ERROR_FEATURE_NOT_PRESENT:
        return "VK_ERROR_FEATURE_NOT_PRESENT";
    case VK_ERROR_INCOMPATIBLE_DRIVER:
        return "VK_ERROR_INCOMPATIBLE_DRIVER";
    case VK_ERROR_TOO_MANY_OBJECTS:
        return "VK_ERROR_TOO_MANY_OBJECTS";
    case VK_ERROR_FORMAT_NOT_SUPPORTED:
        return "VK_ERROR_FORMAT_NOT_SUPPORTED";
    default:
        return "VkResult error";
    }
}

Error vkError(const std::string &what, VkResult result) {
    std::string hint;
    switch (result) {
    case VK_ERROR_OUT_OF_HOST_MEMORY:
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
        hint = "; close other programs or use a smaller canvas";
        break;
    case VK_ERROR_DEVICE_LOST:
        hint = "; the GPU driver reset, restart OBS";
        break;
    case VK_ERROR_INCOMPATIBLE_DRIVER:
    case VK_ERROR_INITIALIZATION_FAILED:
        hint = "; install or update the Vulkan driver (mesa-vulkan-drivers)";
        break;
    default:
        break;
    }
    Error e = makeError(what + " failed (" + vkResultName(result) + ")" + hint);
    e.vkResult = result;
    return e;
}

Result<std::shared_ptr<VulkanContext>> VulkanContext::create(VulkanOptions options) {
    std::shared_ptr<VulkanContext> ctx(new VulkanContext());
    ctx->options_ = std::move(options);
    bool instance11 = false;
    if (Status s = ctx->createInstance(instance11); !s) {
        return s.error();
    }
    if (Status s = ctx->pickPhysicalDevice(); !s) {
        return s.error();
    }
    ctx->exportError_ = ctx->checkExport(instance11);
    if (Status s = ctx->createDevice(); !s) {
        return s.error();
    }
    return ctx;
}

Status VulkanContext::createInstance(bool &instance11) {
    VkApplicationInfo app{};
    app.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
    app.pApplicationName = "cuecard";
    app.applicationVersion = VK_MAKE_VERSION(0, 1, 0);
    app.pEngineName = "cuecard";
    // Vulkan 1.1 (device UUIDs, external memory, dedicated allocations) where the loader has
    // it; 1.0 otherwise, and then only the readback path exists.
    std::uint32_t loaderVersion = VK_API_VERSION_1_0;
    if (auto enumerateVersion = reinterpret_cast<PFN_vkEnumerateInstanceVersion>(
            vkGetInstanceProcAddr(VK_NULL_HANDLE, "vkEnumerateInstanceVersion"))) {
        if (enumerateVersion(&loaderVersion) != VK_SUCCESS) {
            loaderVersion = VK_API_VERSION_1_0;
        }
    }
    instance11 = loaderVersion >= VK_API_VERSION_1_1;
    app.apiVersion = instance11 ? VK_API_VERSION_1_1 : VK_API_VERSION_1_0;
    std::vector<const char *> layers;
    std::vector<const char *> extensions;
    if (options_.validation) {
        if (Status s = enableValidation(layers, extensions); !s) {
            return s;
        }
    }
    VkInstanceCreateInfo ici{};
    ici.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
    ici.pApplicationInfo = &app;
    ici.enabledLayerCount = static_cast<std::uint32_t>(layers.size());
    ici.ppEnabledLayerNames = layers.data();
    ici.enabledExtensionCount = static_cast<std::uint32_t>(extensions.size());
    ici.ppEnabledExtensionNames = extensions.data();
    const VkResult r = vkCreateInstance(&ici, nullptr, &instance_);
    if (r == VK_ERROR_INCOMPATIBLE_DRIVER || r == VK_ERROR_INITIALIZATION_FAILED) {
        Error e = makeError("no Vulkan driver found: install mesa-vulkan-drivers (or your GPU's "
                            "Vulkan driver)");
        e.vkResult = r;
        return e;
    }
    if (r != VK_SUCCESS) {
        return vkError("creating the Vulkan instance", r);
    }
    if (options_.validation) {
        createMessenger();
    }
    return Status::success();
}

Status VulkanContext::pickPhysicalDevice() {
    std::uint32_t count = 0;
    vkEnumeratePhysicalDevices(instance_, &count, nullptr);
    std::vector<VkPhysicalDevice> devices(count);
    if (count > 0) {
        vkEnumeratePhysicalDevices(instance_, &count, devices.data());
    }
    if (devices.empty()) {
        return makeError("no Vulkan device found: install mesa-vulkan-drivers (or your GPU's "
                         "Vulkan driver)");
    }
    const auto rank = [](VkPhysicalDeviceType t) {
        switch (t) {
        case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
            return 4;
        case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
            return 3;
        case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
            return 2;
        case VK_PHYSICAL_DEVICE_TYPE_CPU:
            return 1;
        default:
            return 0;
        }
    };
    int best = -1;
    for (VkPhysicalDevice dev : devices) {
        VkPhysicalDeviceProperties props{};
        vkGetPhysicalDeviceProperties(dev, &props);
        std::uint32_t qCount = 0;
        vkGetPhysicalDeviceQueueFamilyProperties(dev, &qCount, nullptr);
        std::vector<VkQueueFamilyProperties> families(qCount);
        vkGetPhysicalDeviceQueueFamilyProperties(dev, &qCount, families.data());
        for (std::uint32_t q = 0; q < qCount; ++q) {
            if ((families[q].queueFlags & VK_QUEUE_GRAPHICS_BIT) != 0 &&
                rank(props.deviceType) > best) {
                best = rank(props.deviceType);
                physical_ = dev;
                queueFamily_ = q;
                deviceName_ = props.deviceName;
                break;
            }
        }
    }
    if (physical_ == VK_NULL_HANDLE) {
        return makeError("no Vulkan device with graphics support found: install "
                         "mesa-vulkan-drivers (or your GPU's Vulkan driver)");
    }
    vkGetPhysicalDeviceMemoryProperties(physical_, &memory_);
    return Status::success();
}

Status VulkanContext::createDevice() {
    const float priority = 1.0f;
    VkDeviceQueueCreateInfo qci{};
    qci.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
    qci.queueFamilyIndex = queueFamily_;
    qci.queueCount = 1;
    qci.pQueuePriorities = &priority;
    VkDeviceCreateInfo dci{};
    dci.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
    dci.queueCreateInfoCount = 1;
    dci.pQueueCreateInfos = &qci;
    const char *exportExtension = VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME;
    if (exportError_.empty()) {
        dci.enabledExtensionCount = 1;
        dci.ppEnabledExtensionNames = &exportExtension;
    }
    const VkResult r = vkCreateDevice(physical_, &dci, nullptr, &device_);
    if (r != VK_SUCCESS) {
        return vkError("creating the Vulkan device on " + deviceName_, r);
    }
    vkGetDeviceQueue(device_, queueFamily_, 0, &queue_);
    if (exportError_.empty()) {
        getMemoryFd_ = reinterpret_cast<PFN_vkGetMemoryFdKHR>(
            vkGetDeviceProcAddr(device_, "vkGetMemoryFdKHR"));
        if (getMemoryFd_ == nullptr) {
            exportError_ = "the driver lists VK_KHR_external_memory_fd without vkGetMemoryFdKHR";
        }
    }
    return Status::success();
}

VulkanContext::~VulkanContext() {
    if (device_ != VK_NULL_HANDLE) {
        std::lock_guard lock(queueMutex_); // vkDeviceWaitIdle uses every queue of the device
        vkDeviceWaitIdle(device_);
        vkDestroyDevice(device_, nullptr);
    }
    if (messenger_ != VK_NULL_HANDLE) {
        if (auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
                vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"))) {
            destroy(instance_, messenger_, nullptr);
        }
    }
    if (instance_ != VK_NULL_HANDLE) {
        vkDestroyInstance(instance_, nullptr);
    }
}

VkResult VulkanContext::submit(const VkSubmitInfo &info, VkFence fence) {
    std::lock_guard lock(queueMutex_);
    return vkQueueSubmit(queue_, 1, &info, fence);
}

VkResult VulkanContext::waitQueueIdle() {
    std::lock_guard lock(queueMutex_);
    return vkQueueWaitIdle(queue_);
}

Status VulkanContext::enableValidation(std::vector<const char *> &layers,
                                       std::vector<const char *> &extensions) {
    static const char *const kLayer = "VK_LAYER_KHRONOS_validation";
    std::uint32_t count = 0;
    vkEnumerateInstanceLayerProperties(&count, nullptr);
    std::vector<VkLayerProperties> available(count);
    if (count > 0) {
        vkEnumerateInstanceLayerProperties(&count, available.data());
    }
    const bool found = std::any_of(available.begin(), available.end(), [](const auto &l) {
        return std::strcmp(l.layerName, kLayer) == 0;
    });
    if (!found) {
        return makeError("Vulkan validation was asked for but VK_LAYER_KHRONOS_validation is "
                         "not installed: install vulkan-validationlayers");
    }
    layers.push_back(kLayer);
    extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME); // the layer provides it
    return Status::success();
}

void VulkanContext::createMessenger() {
    auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance_, "vkCreateDebugUtilsMessengerEXT"));
    if (create == nullptr) {
        return;
    }
    VkDebugUtilsMessengerCreateInfoEXT info{};
    info.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT;
    info.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT |
                           VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT;
    info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                       VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT;
    info.pfnUserCallback = &VulkanContext::onMessage;
    info.pUserData = this;
    create(instance_, &info, nullptr, &messenger_);
}

VKAPI_ATTR VkBool32 VKAPI_CALL VulkanContext::onMessage(
    VkDebugUtilsMessageSeverityFlagBitsEXT severity, VkDebugUtilsMessageTypeFlagsEXT,
    const VkDebugUtilsMessengerCallbackDataEXT *data, void *self) {
    auto *ctx = static_cast<VulkanContext *>(self);
    const bool error = (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) != 0;
    const std::string text = std::string(error ? "error: " : "warning: ") +
                             (data != nullptr && data->pMessage != nullptr ? data->pMessage : "");
    {
        std::lock_guard lock(ctx->messageMutex_);
        ctx->validationErrors_ += error ? 1 : 0;
        if (ctx->validationMessages_.size() < 20) {
            ctx->validationMessages_.push_back(text);
        }
    }
    if (ctx->options_.onValidationMessage) {
        ctx->options_.onValidationMessage(text);
    }
    return VK_FALSE; // never abort the call
}

int VulkanContext::validationErrors() const {
    std::lock_guard lock(messageMutex_);
    return validationErrors_;
}

std::vector<std::string> VulkanContext::validationMessages() const {
    std::lock_guard lock(messageMutex_);
    return validationMessages_;
}

std::string VulkanContext::checkExport(bool instance11) {
    VkPhysicalDeviceProperties props{};
    vkGetPhysicalDeviceProperties(physical_, &props);
    if (!instance11 || props.apiVersion < VK_API_VERSION_1_1) {
        return "the Vulkan loader or device is older than 1.1";
    }
    VkPhysicalDeviceIDProperties ids{};
    ids.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES;
    VkPhysicalDeviceProperties2 props2{};
    props2.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
    props2.pNext = &ids;
    vkGetPhysicalDeviceProperties2(physical_, &props2);
    std::copy(std::begin(ids.deviceUUID), std::end(ids.deviceUUID), deviceUuid_.begin());
    std::copy(std::begin(ids.driverUUID), std::end(ids.driverUUID), driverUuid_.begin());

    std::uint32_t count = 0;
    vkEnumerateDeviceExtensionProperties(physical_, nullptr, &count, nullptr);
    std::vector<VkExtensionProperties> extensions(count);
    vkEnumerateDeviceExtensionProperties(physical_, nullptr, &count, extensions.data());
    const bool hasFd = std::any_of(extensions.begin(), extensions.end(), [](const auto &e) {
        return std::strcmp(e.extensionName, VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME) == 0;
    });
    if (!hasFd) {
        return "the device lacks " VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME;
    }
    VkPhysicalDeviceExternalImageFormatInfo external{};
    external.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_IMAGE_FORMAT_INFO;
    external.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
    VkPhysicalDeviceImageFormatInfo2 info{};
    info.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGE_FORMAT_INFO_2;
    info.pNext = &external;
    info.format = kSharedImageFormat;
    info.type = VK_IMAGE_TYPE_2D;
    info.tiling = VK_IMAGE_TILING_OPTIMAL;
    info.usage = kSharedImageUsage;
    VkExternalImageFormatProperties externalProps{};
    externalProps.sType = VK_STRUCTURE_TYPE_EXTERNAL_IMAGE_FORMAT_PROPERTIES;
    VkImageFormatProperties2 formatProps{};
    formatProps.sType = VK_STRUCTURE_TYPE_IMAGE_FORMAT_PROPERTIES_2;
    formatProps.pNext = &externalProps;
    if (VkResult r = vkGetPhysicalDeviceImageFormatProperties2(physical_, &info, &formatProps);
        r != VK_SUCCESS) {
        return std::string("the device cannot share RGBA8 images (") + vkResultName(r) + ")";
    }
    if ((externalProps.externalMemoryProperties.externalMemoryFeatures &
         VK_EXTERNAL_MEMORY_FEATURE_EXPORTABLE_BIT) == 0) {
        return "the device cannot export RGBA8 images as file descriptors";
    }
    return {};
}

int VulkanContext::findMemoryType(std::uint32_t typeBits, VkMemoryPropertyFlags required,
                                  VkMemoryPropertyFlags preferred) const {
    int fallback = -1;
    for (std::uint32_t i = 0; i < memory_.memoryTypeCount; ++i) {
        if ((typeBits & (1u << i)) == 0) {
            continue;
        }
        const VkMemoryPropertyFlags flags = memory_.memoryTypes[i].propertyFlags;
        if ((flags & required) != required) {
            continue;
        }
        if ((flags & preferred) == preferred) {
            return static_cast<int>(i);
        }
        if (fallback < 0) {
            fallback = static_cast<int>(i);
        }
    }
    return fallback;
}

} // namespace cuecard
