// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Renders overlays on a thread of its own, so OBS's graphics thread never waits for Vulkan,
/// FreeType or HarfBuzz. A caller asks for (theme, recipient, size, generation); the worker
/// renders the newest request and keeps the finished frame until it is taken. Requests replace
/// each other: a rep pressing "next" three times renders the last recipient only.

#include "core/queue/recipient.hpp"
#include "core/render/draw_list.hpp"
#include "core/render/frame_supplier.hpp"
#include "core/render/vulkan_context.hpp"
#include "core/theme/theme.hpp"
#include "core/util/image.hpp"
#include "core/util/result.hpp"
#include "core/util/unique_fd.hpp"

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cuecard {

class OverlayRenderer;

/// A small picture of a recipient's overlay on the whole canvas, for the dock: drawn by the
/// worker when it has nothing else to do, read back and scaled down there.
struct OverlayPreview {
    enum class Which { Current, Next };
    Which which = Which::Current;
    std::string recipientId;
    std::string name;  ///< the recipient's display name
    Image image;       ///< premultiplied RGBA, the canvas scaled to the preview width
    std::string error; ///< why there is no picture
    double renderMs = 0;
    /// The theme it was drawn with: after a theme change, an older preview is not shown.
    std::shared_ptr<const Theme> theme;
};

class OverlayWorker final : public FrameSupplier {
  public:
    /// `context` may be shared by several workers (one Vulkan device per process).
    OverlayWorker(std::shared_ptr<VulkanContext> context,
                  std::vector<std::filesystem::path> fontDirs);
    /// The same with a device still being made: the worker waits for it on its own thread
    /// (nullptr: no device, every frame says so).
    OverlayWorker(std::shared_future<std::shared_ptr<VulkanContext>> context,
                  std::vector<std::filesystem::path> fontDirs);
    ~OverlayWorker();
    OverlayWorker(const OverlayWorker &) = delete;
    OverlayWorker &operator=(const OverlayWorker &) = delete;

    /// Asks for a frame; a newer request replaces one not yet started.
    void request(std::shared_ptr<const Theme> theme, Recipient recipient, int width, int height,
                 std::uint64_t generation, std::shared_ptr<const RecipientPictures> pictures,
                 double panSeconds, bool update) override;
    /// The same for a theme without pictures.
    void request(std::shared_ptr<const Theme> theme, Recipient recipient, int width, int height,
                 std::uint64_t generation) {
        request(std::move(theme), std::move(recipient), width, height, generation, nullptr, 0.0,
                false);
    }

    void requestWarpLayers(std::shared_ptr<const Theme> theme, Recipient recipient, int width,
                           int height, std::uint64_t generation,
                           std::shared_ptr<const RecipientPictures> pictures) override;

    /// Rasterizes the glyphs `recipient` will need, when the worker has nothing else to do, so
    /// that switching to them later only composes and renders (no FreeType on the switch).
    void prepare(std::shared_ptr<const Theme> theme, Recipient recipient, int width, int height,
                 std::shared_ptr<const RecipientPictures> pictures) override;

    /// From now on, after each new recipient's frame (and each next recipient prepared), draws
    /// a preview `width` px wide when idle and hands it to `onPreview` on the worker's thread
    /// (it must not block). 0 or an empty function: no previews.
    void setPreviews(int width, std::function<void(OverlayPreview)> onPreview);

    /// The newest finished frame with a generation above `after`, or a pan update of `after`,
    /// if any (moved out).
    std::optional<OverlayFrame> take(std::uint64_t after) override;

    /// Blocks until the frame for `generation` (or a newer one) is finished; false on timeout.
    bool waitFor(std::uint64_t generation, int timeoutMs);

    /// Renders into shared images from now on (when the device can export memory and the
    /// receiver can import it); off by default, and off for good after `stopSharing`.
    void shareImages(bool on);
    /// Falls back to readback for good, e.g. because the import failed on the receiving side.
    void stopSharing(const std::string &why);
    /// The receiver is done with shared image `slot` of set `setId` (ignored for old sets).
    void releaseSharedImage(std::uint64_t setId, int slot) override;
    /// Shared images free for the worker to draw into (for tests).
    int freeSharedImages() const;

    /// From now on a recipient whose theme pans one picture (square, opaque, nothing warped)
    /// gets one frame with PanLayers instead of a frame per step of the pan: for a receiver that
    /// draws the pan itself. Off by default.
    void drawPans(bool on);

    /// Images in a shared set: one on screen, one ready to flip to, one waiting to be taken, one
    /// being drawn, and one spare while OpenGL finishes with the previous one.
    static constexpr int kSharedImages = 5;

  private:
    struct Request {
        std::shared_ptr<const Theme> theme;
        Recipient recipient;
        std::shared_ptr<const RecipientPictures> pictures;
        int width = 0;
        int height = 0;
        std::uint64_t generation = 0;
        double panSeconds = 0.0;
        bool update = false;
        bool warpLayers = false; ///< requestWarpLayers
    };
    void run();
    OverlayFrame render(const Request &request);
    /// A free slot of the current set, marked taken; -1 when none (the frame is read back).
    int claimSlot();
    void freeSlot(const OverlayFrame &frame);     // with mutex_ held
    void markFree(std::uint64_t setId, int slot); // with mutex_ held; ignores old sets
    std::uint64_t currentSetId() const;
    Status createSharedSet(OverlayRenderer &renderer);
    void warm(const Request &request);
    OverlayPreview renderPreview(const Request &request, int width);
    /// Fonts, glyphs and composer, created on first use; false (and `error`) when they cannot.
    bool ensureText(std::string &error);

    std::shared_future<std::shared_ptr<VulkanContext>> contextFuture_;
    std::shared_ptr<VulkanContext> context_; ///< from contextFuture_, on the worker's thread
    std::vector<std::filesystem::path> fontDirs_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    std::optional<Request> pending_;
    std::optional<Request> prepare_;
    std::optional<Request> previewCurrent_;
    std::optional<Request> previewNext_;
    int previewWidth_ = 0;
    std::function<void(OverlayPreview)> onPreview_;
    std::optional<OverlayFrame> finished_;
    std::uint64_t finishedGeneration_ = 0;
    bool stop_ = false;
    bool sharingWanted_ = false;
    bool drawPans_ = false;
    std::string sharingStopped_; // non-empty: sharing is off for good
    std::shared_ptr<const SharedImageSet> sharedSet_;
    std::vector<bool> slotFree_;

    // Owned by the worker thread only.
    struct Engine;
    std::unique_ptr<Engine> engine_;
    std::thread thread_;
};

} // namespace cuecard
