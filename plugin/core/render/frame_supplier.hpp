// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A source's finished frames and where they come from: the OverlayWorker renders them on a
/// thread of its own; the SourcePresenter takes them (tests give it a fake supplier).

#include "core/picture/recipient_pictures.hpp"
#include "core/queue/recipient.hpp"
#include "core/render/draw_list.hpp"
#include "core/render/pan_layers.hpp"
#include "core/render/warp_layers.hpp"
#include "core/theme/theme.hpp"
#include "core/util/image.hpp"
#include "core/util/unique_fd.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cuecard {

/// The shared images of one renderer, exported for OpenGL (see OverlayRenderer). `id` changes
/// whenever the set is replaced (a new canvas size), so the importer knows to import again.
struct SharedImageSet {
    std::uint64_t id = 0;
    int width = 0;
    int height = 0;
    std::vector<UniqueFd> fds;        ///< one per image; dup() one to import it
    std::vector<std::uint64_t> sizes; ///< allocation size of each image
};

struct OverlayFrame {
    std::uint64_t generation = 0;
    /// Premultiplied RGBA of `bounds` only: everything outside is transparent, so neither the
    /// readback nor the upload nor OBS's draw pays for empty pixels. Empty on error, and empty
    /// when the frame was drawn into a shared image instead.
    Image image;
    PixelRect bounds;    ///< where the overlay sits on the canvas
    std::string error;   ///< why the frame could not be rendered
    double renderMs = 0; ///< compose + render (+ readback) time
    /// Drawn into shared image `sharedSlot` of `sharedSet` (canvas-sized, transparent outside
    /// `bounds`), the GPU done writing it. The receiver owns that image until it gives it back
    /// with OverlayWorker::releaseSharedImage. -1: the pixels are in `image`.
    int sharedSlot = -1;
    std::shared_ptr<const SharedImageSet> sharedSet;
    /// Set on the frame where the worker stopped sharing images, and why.
    std::string sharingStopped;
    /// The same recipient again, further into a pan (`panSeconds`): it replaces the frame of
    /// the same generation on screen, with no switch.
    bool update = false;
    double panSeconds = 0.0;
    /// Set instead of `image` and `sharedSlot` when the receiver draws the pan itself
    /// (OverlayWorker::drawPans): the layers and the piece; `bounds` covers all three. No pan
    /// frame follows: the receiver moves the window with time.
    std::shared_ptr<const PanLayers> pan;
    /// Set instead of `image` and `sharedSlot` on the answer to requestWarpLayers: the group in
    /// perspective flat, what lies under and over it; an update of the recipient on screen.
    std::shared_ptr<const WarpLayers> warp;
    /// On that answer when the frame cannot be drawn as warp layers: why (the frame is then
    /// the recipient's ordinary one).
    std::string warpRefused;
};

/// Where a source's frames come from: the OverlayWorker, or a fake in tests.
class FrameSupplier {
  public:
    virtual ~FrameSupplier() = default;
    /// Render this recipient for `generation` (a newer request replaces an older one), with
    /// their pictures (loaded before; null when the theme has none), `panSeconds` into their
    /// pans. `update`: the recipient of `generation` is on screen already and this is the next
    /// frame of a pan (take() hands it out even though its generation is not newer).
    virtual void request(std::shared_ptr<const Theme> theme, Recipient recipient, int width,
                         int height, std::uint64_t generation,
                         std::shared_ptr<const RecipientPictures> pictures, double panSeconds,
                         bool update) = 0;
    /// The recipient of `generation`, on screen already, once more as WarpLayers (their group
    /// in perspective flat, what lies under and over it), for a receiver that draws the group
    /// through corners the rep is dragging. Handed out by take() like an update; a newer request
    /// replaces it.
    virtual void requestWarpLayers(std::shared_ptr<const Theme> theme, Recipient recipient,
                                   int width, int height, std::uint64_t generation,
                                   std::shared_ptr<const RecipientPictures> pictures) = 0;
    /// Prepare what rendering them later needs (glyphs), when idle; `pictures` are what is ready
    /// of theirs now (for the dock's preview of the next recipient; may be null).
    virtual void prepare(std::shared_ptr<const Theme> theme, Recipient recipient, int width,
                         int height, std::shared_ptr<const RecipientPictures> pictures) = 0;
    /// The newest finished frame above `after` (or an update of `after`), moved out.
    virtual std::optional<OverlayFrame> take(std::uint64_t after) = 0;
    /// The receiver is done with a shared image.
    virtual void releaseSharedImage(std::uint64_t setId, int slot) = 0;
};

} // namespace cuecard
