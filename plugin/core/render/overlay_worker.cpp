// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/render/overlay_worker.hpp"

#include "core/render/overlay_composer.hpp"
#include "core/render/overlay_renderer.hpp"
#include "core/text/font_collection.hpp"
#include "core/text/glyph_cache.hpp"

#include <atomic>
#include <chrono>

namespace cuecard {

/// Fonts, atlas, composer and renderer live on the worker thread.
struct OverlayWorker::Engine {
    std::unique_ptr<FontCollection> fonts;
    std::unique_ptr<GlyphCache> glyphs;
    std::unique_ptr<OverlayComposer> composer;
    std::unique_ptr<OverlayRenderer> renderer;
    std::string startError;
};

namespace {
std::shared_future<std::shared_ptr<VulkanContext>> readyFuture(std::shared_ptr<VulkanContext> c) {
    std::promise<std::shared_ptr<VulkanContext>> made;
    made.set_value(std::move(c));
    return made.get_future().share();
}
} // namespace

OverlayWorker::OverlayWorker(std::shared_ptr<VulkanContext> context,
                             std::vector<std::filesystem::path> fontDirs)
    : OverlayWorker(readyFuture(std::move(context)), std::move(fontDirs)) {}

OverlayWorker::OverlayWorker(std::shared_future<std::shared_ptr<VulkanContext>> context,
                             std::vector<std::filesystem::path> fontDirs)
    : contextFuture_(std::move(context)), fontDirs_(std::move(fontDirs)),
      engine_(std::make_unique<Engine>()), thread_([this] { run(); }) {}

OverlayWorker::~OverlayWorker() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void OverlayWorker::request(std::shared_ptr<const Theme> theme, Recipient recipient, int width,
                            int height, std::uint64_t generation,
                            std::shared_ptr<const RecipientPictures> pictures, double panSeconds,
                            bool update) {
    {
        std::lock_guard lock(mutex_);
        pending_ = Request{std::move(theme), std::move(recipient), std::move(pictures), width,
                           height,           generation,           panSeconds,          update};
    }
    wake_.notify_all();
}

void OverlayWorker::requestWarpLayers(std::shared_ptr<const Theme> theme, Recipient recipient,
                                      int width, int height, std::uint64_t generation,
                                      std::shared_ptr<const RecipientPictures> pictures) {
    {
        std::lock_guard lock(mutex_);
        pending_ = Request{std::move(theme),
                           std::move(recipient),
                           std::move(pictures),
                           width,
                           height,
                           generation,
                           0.0,
                           true};
        pending_->warpLayers = true;
    }
    wake_.notify_all();
}

void OverlayWorker::prepare(std::shared_ptr<const Theme> theme, Recipient recipient, int width,
                            int height, std::shared_ptr<const RecipientPictures> pictures) {
    {
        std::lock_guard lock(mutex_);
        if (previewWidth_ > 0) {
            previewNext_ = Request{theme, recipient, pictures, width, height, 0};
        }
        prepare_ = Request{std::move(theme), std::move(recipient), nullptr, width, height, 0};
    }
    wake_.notify_all();
}

void OverlayWorker::setPreviews(int width, std::function<void(OverlayPreview)> onPreview) {
    std::lock_guard lock(mutex_);
    previewWidth_ = onPreview ? std::max(0, width) : 0;
    onPreview_ = std::move(onPreview);
    if (previewWidth_ == 0) {
        previewCurrent_.reset();
        previewNext_.reset();
    }
}

std::optional<OverlayFrame> OverlayWorker::take(std::uint64_t after) {
    std::lock_guard lock(mutex_);
    if (!finished_ || finished_->generation < after ||
        (finished_->generation == after && !finished_->update)) {
        return std::nullopt;
    }
    std::optional<OverlayFrame> out = std::move(finished_);
    finished_.reset();
    return out;
}

void OverlayWorker::shareImages(bool on) {
    std::lock_guard lock(mutex_);
    sharingWanted_ = on && sharingStopped_.empty();
}

void OverlayWorker::drawPans(bool on) {
    std::lock_guard lock(mutex_);
    drawPans_ = on;
}

void OverlayWorker::stopSharing(const std::string &why) {
    std::lock_guard lock(mutex_);
    sharingWanted_ = false;
    sharingStopped_ = why.empty() ? "stopped" : why;
}

void OverlayWorker::releaseSharedImage(std::uint64_t setId, int slot) {
    std::lock_guard lock(mutex_);
    markFree(setId, slot);
}

void OverlayWorker::markFree(std::uint64_t setId, int slot) {
    if (sharedSet_ && sharedSet_->id == setId && slot >= 0 &&
        slot < static_cast<int>(slotFree_.size())) {
        slotFree_[static_cast<std::size_t>(slot)] = true;
    }
}

int OverlayWorker::freeSharedImages() const {
    std::lock_guard lock(mutex_);
    int free = 0;
    for (bool f : slotFree_) {
        free += f ? 1 : 0;
    }
    return free;
}

int OverlayWorker::claimSlot() {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < slotFree_.size(); ++i) {
        if (slotFree_[i]) {
            slotFree_[i] = false;
            return static_cast<int>(i);
        }
    }
    return -1;
}

void OverlayWorker::freeSlot(const OverlayFrame &frame) {
    if (frame.sharedSet) {
        markFree(frame.sharedSet->id, frame.sharedSlot);
    }
}

bool OverlayWorker::waitFor(std::uint64_t generation, int timeoutMs) {
    std::unique_lock lock(mutex_);
    return done_.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                          [&] { return finishedGeneration_ >= generation; });
}

void OverlayWorker::run() {
    context_ = contextFuture_.valid() ? contextFuture_.get() : nullptr; // may wait: our thread
    for (;;) {
        Request request;
        bool warmOnly = false;
        std::optional<OverlayPreview::Which> preview;
        int previewWidth = 0;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] {
                return stop_ || pending_.has_value() || prepare_.has_value() ||
                       previewCurrent_.has_value() || previewNext_.has_value();
            });
            if (stop_) {
                return;
            }
            previewWidth = previewWidth_;
            if (pending_) { // a frame to show always goes first
                request = std::move(*pending_);
                pending_.reset();
            } else if (prepare_) { // then the next switch's glyphs
                request = std::move(*prepare_);
                prepare_.reset();
                warmOnly = true;
            } else if (previewCurrent_) { // then the dock's previews
                request = std::move(*previewCurrent_);
                previewCurrent_.reset();
                preview = OverlayPreview::Which::Current;
            } else {
                request = std::move(*previewNext_);
                previewNext_.reset();
                preview = OverlayPreview::Which::Next;
            }
        }
        if (warmOnly) {
            warm(request);
            continue;
        }
        if (preview) {
            OverlayPreview p = renderPreview(request, previewWidth);
            p.which = *preview;
            std::function<void(OverlayPreview)> onPreview;
            {
                std::lock_guard lock(mutex_);
                onPreview = onPreview_;
            }
            if (onPreview) {
                onPreview(std::move(p));
            }
            continue;
        }
        OverlayFrame frame = render(request);
        {
            std::lock_guard lock(mutex_);
            if (previewWidth_ > 0 && !request.update && frame.error.empty()) {
                previewCurrent_ = request; // a new recipient (or theme) on screen
            }
            finishedGeneration_ = std::max(finishedGeneration_, frame.generation);
            if (finished_) {
                freeSlot(*finished_); // replaced before anyone took it
            }
            finished_ = std::move(frame);
        }
        done_.notify_all();
    }
}

std::uint64_t OverlayWorker::currentSetId() const {
    std::lock_guard lock(mutex_);
    return sharedSet_ ? sharedSet_->id : 0;
}

Status OverlayWorker::createSharedSet(OverlayRenderer &renderer) {
    if (Status s = renderer.createSharedImages(kSharedImages); !s) {
        return s;
    }
    static std::atomic<std::uint64_t> nextId{1};
    auto set = std::make_shared<SharedImageSet>();
    set->id = nextId++;
    set->width = renderer.width();
    set->height = renderer.height();
    for (int i = 0; i < kSharedImages; ++i) {
        auto exported = renderer.exportSharedImage(i);
        if (!exported) {
            return exported.error();
        }
        set->fds.push_back(std::move(exported->fd));
        set->sizes.push_back(exported->size);
    }
    std::lock_guard lock(mutex_);
    sharedSet_ = std::move(set);
    slotFree_.assign(kSharedImages, true);
    return Status::success();
}

bool OverlayWorker::ensureText(std::string &error) {
    Engine &e = *engine_;
    if (!e.fonts) {
        auto fonts = FontCollection::create(fontDirs_);
        if (!fonts) {
            error = fonts.message();
            return false;
        }
        e.fonts = std::move(fonts.value());
        e.glyphs = std::make_unique<GlyphCache>(*e.fonts);
        e.composer = std::make_unique<OverlayComposer>(*e.fonts, *e.glyphs);
    }
    return true;
}

void OverlayWorker::warm(const Request &request) {
    Engine &e = *engine_;
    try {
        if (std::string error; !ensureText(error)) {
            return;
        }
        // Composing puts every glyph the overlay needs into the atlas; nothing is drawn.
        (void)e.composer->compose(*request.theme, request.recipient, request.width, request.height);
    } catch (const std::exception &) {
        // Warming is an optimization: a failure here shows up when the frame is rendered.
    }
}

OverlayFrame OverlayWorker::render(const Request &request) {
    const auto start = std::chrono::steady_clock::now();
    OverlayFrame frame;
    frame.generation = request.generation;
    frame.update = request.update;
    frame.panSeconds = request.panSeconds;
    Engine &e = *engine_;
    try {
        if (!ensureText(frame.error)) {
            return frame;
        }
        if (!context_) {
            frame.error = "no Vulkan device found: install mesa-vulkan-drivers (or your GPU's "
                          "Vulkan driver)";
            return frame;
        }
        if (!e.renderer || e.renderer->width() != request.width ||
            e.renderer->height() != request.height) {
            e.renderer.reset();
            auto renderer = OverlayRenderer::create(context_, request.width, request.height,
                                                    e.glyphs->atlas().width());
            if (!renderer) {
                frame.error = renderer.message();
                return frame;
            }
            e.renderer = std::move(renderer.value());
            std::lock_guard lock(mutex_);
            sharedSet_.reset(); // the old set belongs to the old renderer
            slotFree_.clear();
        }
        bool share = false;
        {
            std::lock_guard lock(mutex_);
            share = sharingWanted_;
        }
        if (share && e.renderer->sharedImageCount() == 0) {
            if (Status s = createSharedSet(*e.renderer); !s) {
                frame.sharingStopped = s.message();
                stopSharing(s.message());
                share = false;
            }
        }
        auto composed =
            e.composer->compose(*request.theme, request.recipient, request.width, request.height,
                                request.pictures.get(), request.panSeconds);
        if (!composed) {
            frame.error = composed.message();
            return frame;
        }
        frame.bounds = composed->drawList.bounds(request.width, request.height);
        if (frame.bounds.empty()) {
            frame.bounds = PixelRect{0, 0, 1, 1}; // nothing drawn: one transparent pixel
        }
        bool pans = false;
        {
            std::lock_guard lock(mutex_);
            pans = drawPans_;
        }
        std::string warpProblem;
        if (request.warpLayers) {
            warpProblem = warpLayersProblem(composed->drawList, request.width, request.height);
            frame.warpRefused = warpProblem;
        }
        if (request.warpLayers && warpProblem.empty()) {
            auto layers = renderWarpLayers(*e.renderer, composed->drawList, e.glyphs->atlas());
            if (!layers) {
                frame.error = layers.message();
                return frame;
            }
            frame.bounds = layers->bounds(layers->corners);
            frame.warp = std::make_shared<const WarpLayers>(std::move(layers.value()));
        } else if (pans && canDrawPanAsLayers(composed->drawList)) {
            auto layers = renderPanLayers(*e.renderer, composed->drawList, e.glyphs->atlas());
            if (!layers) {
                frame.error = layers.message();
                return frame;
            }
            frame.bounds = layers->bounds();
            frame.pan = std::make_shared<const PanLayers>(std::move(layers.value()));
        } else if (const int slot = share ? claimSlot() : -1; slot >= 0) {
            if (Status s = e.renderer->renderShared(slot, composed->drawList, e.glyphs->atlas(),
                                                    frame.bounds);
                !s) {
                releaseSharedImage(currentSetId(), slot);
                frame.error = s.message();
                return frame;
            }
            std::lock_guard lock(mutex_);
            frame.sharedSlot = slot;
            frame.sharedSet = sharedSet_;
        } else {
            auto image = e.renderer->render(composed->drawList, e.glyphs->atlas(), frame.bounds);
            if (!image) {
                frame.error = image.message();
                return frame;
            }
            frame.image = std::move(image.value());
        }
    } catch (const std::exception &ex) {
        frame.error = std::string("rendering failed: ") + ex.what();
    }
    frame.renderMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return frame;
}

OverlayPreview OverlayWorker::renderPreview(const Request &request, int width) {
    const auto start = std::chrono::steady_clock::now();
    OverlayPreview out;
    out.recipientId = request.recipient.id;
    out.name = request.recipient.displayName();
    out.theme = request.theme;
    Engine &e = *engine_;
    try {
        if (!ensureText(out.error)) {
            return out;
        }
        if (!context_ || !request.theme || request.width <= 0 || request.height <= 0) {
            out.error = "no Vulkan device found";
            return out;
        }
        // The frame's renderer when it has the canvas size (it does once a frame was drawn):
        // a preview never builds one of its own.
        if (!e.renderer || e.renderer->width() != request.width ||
            e.renderer->height() != request.height) {
            out.error = "no frame drawn at this size yet";
            return out;
        }
        auto composed = e.composer->compose(*request.theme, request.recipient, request.width,
                                            request.height, request.pictures.get(), 0.0);
        if (!composed) {
            out.error = composed.message();
            return out;
        }
        // The whole canvas, so the preview shows where the overlay sits.
        auto image = e.renderer->render(composed->drawList, e.glyphs->atlas(),
                                        PixelRect{0, 0, request.width, request.height});
        if (!image) {
            out.error = image.message();
            return out;
        }
        const int w = std::min(width, request.width);
        const int h = std::max(1, request.height * w / request.width);
        out.image = downscale(*image, w, h);
    } catch (const std::exception &ex) {
        out.error = std::string("preview failed: ") + ex.what();
    }
    out.renderMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
}

} // namespace cuecard
