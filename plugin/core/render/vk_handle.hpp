// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Exactly one RAII owner per Vulkan device-level handle. Classes declare these members in
/// creation order, so C++ destroys them in reverse: views before images, images before memory.

#include <vulkan/vulkan.h>

#include <utility>

namespace cuecard {

template <class T> class VkOwned {
  public:
    using Destroy = void (*)(VkDevice, T, const VkAllocationCallbacks *);

    VkOwned() = default;
    VkOwned(VkDevice device, T handle, Destroy destroy)
        : device_(device), handle_(handle), destroy_(destroy) {}
    ~VkOwned() { reset(); }
    VkOwned(const VkOwned &) = delete;
    VkOwned &operator=(const VkOwned &) = delete;
    VkOwned(VkOwned &&o) noexcept
        : device_(o.device_), handle_(std::exchange(o.handle_, VK_NULL_HANDLE)),
          destroy_(o.destroy_) {}
    VkOwned &operator=(VkOwned &&o) noexcept {
        if (this != &o) {
            reset();
            device_ = o.device_;
            handle_ = std::exchange(o.handle_, VK_NULL_HANDLE);
            destroy_ = o.destroy_;
        }
        return *this;
    }

    T get() const { return handle_; }
    const T *ptr() const { return &handle_; }
    explicit operator bool() const { return handle_ != VK_NULL_HANDLE; }
    void reset() {
        if (handle_ != VK_NULL_HANDLE && destroy_ != nullptr) {
            destroy_(device_, handle_, nullptr);
        }
        handle_ = VK_NULL_HANDLE;
    }

  private:
    VkDevice device_ = VK_NULL_HANDLE;
    T handle_ = VK_NULL_HANDLE;
    Destroy destroy_ = nullptr;
};

} // namespace cuecard
