// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// How one Cuecard source paints on OBS's graphics thread: the overlay effect (its file read on
// the source's loader thread, compiled on the graphics thread), the frame put on screen (a
// zero-copy image imported into OpenGL, the pixels uploaded into a texture, a pan's layers and
// piece uploaded once, or a dragged group's layers uploaded once) and the draw with the frame's
// animation (opacity, wipe, offset), the pan's window, and the dragged group's homography as the
// effect's uniforms and the sprite's subregion.

#include "core/stage/source_presenter.hpp"
#include "core/util/result.hpp"
#include "obs/gl_shared_images.hpp"

#include <graphics/graphics.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace cuecard::obs {

class OverlayPainter {
  public:
    /// `giveBack(set, slot)`: a shared image OpenGL no longer draws from goes back to the worker.
    explicit OverlayPainter(std::function<void(std::uint64_t, int)> giveBack);
    OverlayPainter(const OverlayPainter &) = delete;
    OverlayPainter &operator=(const OverlayPainter &) = delete;

    /// On the loader's thread (never the graphics thread): reads the effect's file, once.
    void readEffect() { effect_.readSource(); }
    /// Graphics thread: shared images OpenGL has finished with go back.
    void collect() { gl_->collect(); }
    /// Graphics thread: puts a finished frame on screen: imports the shared image, or uploads
    /// the pixels. An error when the shared image could not be imported (the caller falls back
    /// to readback; nothing of it is kept).
    Status present(const OverlayFrame &frame);
    /// Graphics thread: draws what is on screen with `d`'s placement and animation.
    void draw(const SourcePresenter::Draw &d);
    /// Inside obs_enter_graphics (a source is destroyed on a thread of its own): frees the
    /// OpenGL objects.
    void release();

  private:
    /// The overlay effect and its parameters. Its file is read on the loader's thread
    /// (readSource); the graphics thread makes the effect from that text once it is there.
    struct Effect {
        std::mutex mutex; ///< text and read: the loader's thread writes, the graphics reads
        std::string text;
        bool read = false;
        gs_effect_t *effect = nullptr;
        gs_eparam_t *image = nullptr;
        gs_eparam_t *opacity = nullptr;
        gs_eparam_t *reveal = nullptr;
        gs_eparam_t *bandLeft = nullptr;
        gs_eparam_t *bandWidth = nullptr;
        gs_eparam_t *warpRows[3] = {nullptr, nullptr, nullptr};
        gs_eparam_t *warpBox = nullptr;
        gs_eparam_t *warpLayer = nullptr;
        gs_eparam_t *warpEdge = nullptr;
        bool tried = false;
        void readSource();
        bool load();
    };

    /// A frame of pan layers: under (around the box when the piece is opaque), the piece's
    /// window at d.panWindowY, over.
    void drawPan(const SourcePresenter::Draw &d);
    /// A frame of warp layers: under, the group through d.warp's homography, over.
    void drawWarp(const SourcePresenter::Draw &d);
    struct PanTexture;
    /// All of `t` at its place, with `d`'s animation (nothing when it has no texture).
    void drawWhole(const PanTexture &t, const SourcePresenter::Draw &d);
    /// `part` of a texture (px in it) with its top-left corner at (x, y), with `d`'s animation;
    /// the wipe runs across `d.bounds` whatever part of the canvas the texture covers.
    void drawTexturePart(gs_texture_t *texture, int x, int y, PixelRect part,
                         const SourcePresenter::Draw &d);

    std::optional<GlSharedImages> gl_; ///< reset in release()
    gs_texture_t *texture_ = nullptr;  ///< readback path: the band, uploaded
    /// A pan drawn here: under and over the picture, and the piece its window scrolls through,
    /// each uploaded once per recipient; `pan_` while such a frame is on screen.
    struct PanTexture {
        gs_texture_t *texture = nullptr;
        PixelRect at; ///< where it is drawn (the piece: its box, as tall as the window)
    };
    PanTexture under_;
    PanTexture piece_;
    PanTexture over_;
    bool pan_ = false;
    /// A group in perspective drawn here while its corners are dragged: the group flat (under_
    /// and over_ hold what lies under and over it); `warp_` while such a frame is on screen.
    PanTexture layer_;
    bool warp_ = false;
    bool pieceOpaque_ = false; ///< under_ is drawn only around the piece's box
    int pieceRows_ = 0;        ///< the piece's rows with picture in them
    Effect effect_;
};

} // namespace cuecard::obs
