// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// The OpenGL side of one source's zero-copy images, as one owner: the worker's shared set
// imported into OBS's OpenGL, the image on screen, images leaving the screen (given back to the
// worker once OpenGL has finished drawing from them), and sets taken off duty (deleted once
// OpenGL is done with them). Every method runs on OBS's graphics thread (a render callback or
// between obs_enter/leave_graphics), the destructor included.

#include "core/render/frame_supplier.hpp"
#include "core/util/result.hpp"
#include "obs/gl_interop.hpp"

#include <graphics/graphics.h>

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace cuecard::obs {

/// An OpenGL fence sync, deleted with its owner.
class GlFence {
  public:
    GlFence() = default;
    static GlFence now() { return GlFence(insertGlFence()); }
    ~GlFence() { deleteGlFence(fence_); }
    GlFence(GlFence &&other) noexcept : fence_(std::exchange(other.fence_, nullptr)) {}
    GlFence &operator=(GlFence &&other) noexcept {
        std::swap(fence_, other.fence_);
        return *this;
    }
    GlFence(const GlFence &) = delete;
    GlFence &operator=(const GlFence &) = delete;

    /// OpenGL has passed it (never blocks); a fence that could not be made counts as passed.
    bool passed();
    /// Waits up to `timeoutNs` (not for the render path).
    bool wait(std::uint64_t timeoutNs);

  private:
    explicit GlFence(void *fence) : fence_(fence) {}
    void *fence_ = nullptr;
};

class GlSharedImages {
  public:
    /// `giveBack(set, slot)`: the image is no longer drawn from; the worker may draw into it.
    explicit GlSharedImages(std::function<void(std::uint64_t, int)> giveBack);
    /// Waits up to 2 s for OpenGL to finish drawing from the images, then deletes them; any it
    /// could not wait for are left in memory (deleting them could crash OBS) and logged.
    ~GlSharedImages();
    GlSharedImages(const GlSharedImages &) = delete;
    GlSharedImages &operator=(const GlSharedImages &) = delete;

    /// Puts image `slot` of `set` on screen (importing the set first when it is new); the image
    /// it replaces leaves the screen. On failure nothing of the new set is kept.
    Status show(const SharedImageSet &set, int slot);
    /// The image on screen leaves it (an uploaded texture replaces it).
    void retireShown();
    /// Gives back images and deletes sets OpenGL has finished with (call once per frame).
    void collect();
    /// The texture of image `slot` of the imported set (nullptr when none).
    gs_texture_t *texture(int slot) const;

  private:
    Status import(const SharedImageSet &set);
    void buryImported();

    struct Retiring {
        GlFence fence;
        std::uint64_t set;
        int slot;
    };
    struct Buried {
        GlFence fence;
        std::vector<ImportedTexture> textures;
    };
    std::function<void(std::uint64_t, int)> giveBack_;
    std::vector<ImportedTexture> imported_;
    std::uint64_t importedSet_ = 0;
    std::uint64_t shownSet_ = 0;
    int shownSlot_ = -1;
    std::vector<Retiring> retiring_;
    std::vector<Buried> buried_;
};

} // namespace cuecard::obs
