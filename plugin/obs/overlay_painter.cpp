// SPDX-License-Identifier: GPL-2.0-or-later
#include "obs/overlay_painter.hpp"

#include "core/util/read_file.hpp"
#include "obs/log.hpp"

#include <graphics/vec4.h>
#include <obs-module.h>

#include <algorithm>

namespace cuecard::obs {

OverlayPainter::OverlayPainter(std::function<void(std::uint64_t, int)> giveBack)
    : gl_(std::in_place, std::move(giveBack)) {}

namespace {

/// `texture` holding `img` (made again when the size differs); destroyed when `img` is empty.
void upload(gs_texture_t *&texture, const Image &img) {
    if (img.width <= 0 || img.height <= 0) {
        if (texture != nullptr) {
            gs_texture_destroy(texture);
            texture = nullptr;
        }
        return;
    }
    const auto w = static_cast<std::uint32_t>(img.width);
    const auto h = static_cast<std::uint32_t>(img.height);
    if (texture == nullptr || gs_texture_get_width(texture) != w ||
        gs_texture_get_height(texture) != h) {
        if (texture != nullptr) {
            gs_texture_destroy(texture);
        }
        const std::uint8_t *data = img.pixels.data();
        texture = gs_texture_create(w, h, GS_RGBA, 1, &data, GS_DYNAMIC);
    } else {
        gs_texture_set_image(texture, img.pixels.data(), w * 4, false);
    }
}

/// Premultiplied blending (ONE, INVSRCALPHA) with sRGB writes off, for one scope.
class PremultipliedBlend {
  public:
    PremultipliedBlend() : srgb_(gs_framebuffer_srgb_enabled()) {
        gs_enable_framebuffer_srgb(false);
        gs_blend_state_push();
        gs_blend_function(GS_BLEND_ONE, GS_BLEND_INVSRCALPHA);
    }
    ~PremultipliedBlend() {
        gs_blend_state_pop();
        gs_enable_framebuffer_srgb(srgb_);
    }
    PremultipliedBlend(const PremultipliedBlend &) = delete;
    PremultipliedBlend &operator=(const PremultipliedBlend &) = delete;

  private:
    bool srgb_;
};

void destroy(gs_texture_t *&texture) {
    if (texture != nullptr) {
        gs_texture_destroy(texture);
        texture = nullptr;
    }
}

} // namespace

void OverlayPainter::release() {
    destroy(texture_);
    destroy(under_.texture);
    destroy(piece_.texture);
    destroy(over_.texture);
    destroy(layer_.texture);
    if (effect_.effect != nullptr) {
        gs_effect_destroy(effect_.effect); // made from text: libobs does not cache it
        effect_.effect = nullptr;
    }
    gl_.reset();
}

Status OverlayPainter::present(const OverlayFrame &frame) {
    pan_ = frame.pan != nullptr;
    warp_ = frame.warp != nullptr;
    if (frame.sharedSlot >= 0) {
        return gl_->show(*frame.sharedSet, frame.sharedSlot);
    }
    gl_->retireShown(); // from here on the uploaded textures are on screen
    if (warp_) {
        // Uploaded once; every frame of the drag is three draws with new uniforms.
        const WarpLayers &w = *frame.warp;
        upload(under_.texture, w.under);
        under_.at = w.underBounds;
        upload(layer_.texture, w.layer);
        upload(over_.texture, w.over);
        over_.at = w.overBounds;
        destroy(piece_.texture);
        return Status::success();
    }
    destroy(layer_.texture);
    if (pan_) {
        // Uploaded once; every later frame of the pan is three draws.
        const PanLayers &p = *frame.pan;
        upload(under_.texture, p.under);
        under_.at = p.underBounds;
        upload(piece_.texture, p.piece);
        piece_.at = p.box;
        pieceOpaque_ = p.opaque;
        pieceRows_ = p.rows;
        upload(over_.texture, p.over);
        over_.at = p.overBounds;
        return Status::success();
    }
    // A recipient or theme without a pan drawn here: the pan's textures are not kept.
    destroy(under_.texture);
    destroy(piece_.texture);
    destroy(over_.texture);
    if (frame.image.width <= 0) {
        return Status::success(); // an error frame: the presenter shows nothing
    }
    upload(texture_, frame.image);
    return Status::success();
}

void OverlayPainter::drawTexturePart(gs_texture_t *texture, int x, int y, PixelRect part,
                                     const SourcePresenter::Draw &d) {
    if (part.empty()) {
        return;
    }
    const float width = static_cast<float>(gs_texture_get_width(texture));
    gs_effect_set_texture(effect_.image, texture);
    gs_effect_set_float(effect_.opacity, d.animation.opacity);
    gs_effect_set_float(effect_.reveal, d.animation.reveal);
    // u runs over the whole texture, whose left edge lies at x - part.x on the canvas; the wipe
    // runs over the frame's bounds.
    gs_effect_set_float(effect_.bandLeft, static_cast<float>(d.bounds.x - x + part.x) / width);
    gs_effect_set_float(effect_.bandWidth, static_cast<float>(d.bounds.width) / width);
    gs_matrix_push();
    gs_matrix_translate3f(static_cast<float>(x), static_cast<float>(y) + d.animation.offsetY, 0.0f);
    while (gs_effect_loop(effect_.effect, "Draw")) {
        gs_draw_sprite_subregion(
            texture, 0, static_cast<std::uint32_t>(part.x), static_cast<std::uint32_t>(part.y),
            static_cast<std::uint32_t>(part.width), static_cast<std::uint32_t>(part.height));
    }
    gs_matrix_pop();
}

void OverlayPainter::drawWhole(const PanTexture &t, const SourcePresenter::Draw &d) {
    if (t.texture != nullptr) {
        drawTexturePart(t.texture, t.at.x, t.at.y, PixelRect{0, 0, t.at.width, t.at.height}, d);
    }
}

void OverlayPainter::drawPan(const SourcePresenter::Draw &d) {
    const PremultipliedBlend blend;
    const PixelRect box = piece_.at;
    // Under the picture: all of it, or (the picture opaque) only what lies around its box, in
    // up to four strips (above, below, left, right).
    if (under_.texture != nullptr) {
        const PixelRect u = under_.at;
        if (!pieceOpaque_) {
            drawWhole(under_, d);
        } else {
            const int bx0 = std::clamp(box.x - u.x, 0, u.width);
            const int by0 = std::clamp(box.y - u.y, 0, u.height);
            const int bx1 = std::clamp(box.x + box.width - u.x, 0, u.width);
            const int by1 = std::clamp(box.y + box.height - u.y, 0, u.height);
            for (const PixelRect part :
                 {PixelRect{0, 0, u.width, by0}, PixelRect{0, by1, u.width, u.height - by1},
                  PixelRect{0, by0, bx0, by1 - by0},
                  PixelRect{bx1, by0, u.width - bx1, by1 - by0}}) {
                drawTexturePart(under_.texture, u.x + part.x, u.y + part.y, part, d);
            }
        }
    }
    // The picture's window at this frame's place.
    const int top = std::clamp(d.panWindowY, 0, std::max(0, pieceRows_ - box.height));
    drawTexturePart(piece_.texture, box.x, box.y, PixelRect{0, top, box.width, box.height}, d);
    drawWhole(over_, d); // over it
}

void OverlayPainter::drawWarp(const SourcePresenter::Draw &d) {
    const WarpPlacement &p = *d.warp;
    const PremultipliedBlend blend;
    drawWhole(under_, d);
    if (!p.box.empty()) {
        // The group: each pixel of the quad's box samples the flat layer where the homography
        // takes its center (see WarpLayers and composeWarpFrame, its CPU twin).
        const float texW = static_cast<float>(gs_texture_get_width(layer_.texture));
        const float texH = static_cast<float>(gs_texture_get_height(layer_.texture));
        const Homography &m = p.canvasToLayer;
        for (int r = 0; r < 3; ++r) {
            vec4 row;
            vec4_set(&row, m[static_cast<std::size_t>(r * 3)],
                     m[static_cast<std::size_t>(r * 3 + 1)], m[static_cast<std::size_t>(r * 3 + 2)],
                     0.0f);
            gs_effect_set_vec4(effect_.warpRows[r], &row);
        }
        vec4 box;
        vec4_set(&box, static_cast<float>(p.box.x), static_cast<float>(p.box.y),
                 static_cast<float>(p.box.width), static_cast<float>(p.box.height));
        gs_effect_set_vec4(effect_.warpBox, &box);
        vec4 layer;
        vec4_set(&layer, p.width, p.height, texW, texH);
        gs_effect_set_vec4(effect_.warpLayer, &layer);
        gs_effect_set_float(effect_.warpEdge, p.layerPxPerCanvasPx);
        gs_effect_set_texture(effect_.image, layer_.texture);
        gs_effect_set_float(effect_.opacity, d.animation.opacity);
        gs_effect_set_float(effect_.reveal, d.animation.reveal);
        const float boxWidth = static_cast<float>(p.box.width);
        gs_effect_set_float(effect_.bandLeft, static_cast<float>(d.bounds.x - p.box.x) / boxWidth);
        gs_effect_set_float(effect_.bandWidth, static_cast<float>(d.bounds.width) / boxWidth);
        gs_matrix_push();
        gs_matrix_translate3f(static_cast<float>(p.box.x),
                              static_cast<float>(p.box.y) + d.animation.offsetY, 0.0f);
        while (gs_effect_loop(effect_.effect, "DrawWarp")) {
            gs_draw_sprite(layer_.texture, 0, static_cast<std::uint32_t>(p.box.width),
                           static_cast<std::uint32_t>(p.box.height));
        }
        gs_matrix_pop();
    }
    drawWhole(over_, d);
}

void OverlayPainter::draw(const SourcePresenter::Draw &d) {
    if (warp_) {
        if (d.warp && layer_.texture != nullptr && effect_.load()) {
            drawWarp(d);
        }
        return;
    }
    if (pan_ && d.panWindowY >= 0) {
        if (piece_.texture != nullptr && effect_.load()) {
            drawPan(d);
        }
        return;
    }
    gs_texture_t *texture = d.sharedSlot >= 0 ? gl_->texture(d.sharedSlot) : texture_;
    if (texture == nullptr || !effect_.load()) {
        return;
    }
    const PremultipliedBlend blend;
    // The shared texture is the whole canvas: draw its band, and wipe across the band.
    float bandLeft = 0.0f;
    float bandWidth = 1.0f;
    if (d.sharedSlot >= 0) {
        const float canvas = static_cast<float>(gs_texture_get_width(texture));
        bandLeft = static_cast<float>(d.bounds.x) / canvas;
        bandWidth = static_cast<float>(d.bounds.width) / canvas;
    }
    gs_effect_set_texture(effect_.image, texture);
    gs_effect_set_float(effect_.opacity, d.animation.opacity);
    gs_effect_set_float(effect_.reveal, d.animation.reveal);
    gs_effect_set_float(effect_.bandLeft, bandLeft);
    gs_effect_set_float(effect_.bandWidth, bandWidth);
    gs_matrix_push();
    gs_matrix_translate3f(static_cast<float>(d.bounds.x),
                          static_cast<float>(d.bounds.y) + d.animation.offsetY, 0.0f);
    while (gs_effect_loop(effect_.effect, "Draw")) {
        if (d.sharedSlot >= 0) {
            gs_draw_sprite_subregion(texture, 0, static_cast<std::uint32_t>(d.bounds.x),
                                     static_cast<std::uint32_t>(d.bounds.y),
                                     static_cast<std::uint32_t>(d.bounds.width),
                                     static_cast<std::uint32_t>(d.bounds.height));
        } else {
            gs_draw_sprite(texture, 0, 0, 0);
        }
    }
    gs_matrix_pop();
}

void OverlayPainter::Effect::readSource() {
    {
        std::lock_guard lock(mutex);
        if (read) {
            return;
        }
    }
    std::string source;
    char *path = obs_module_file("effects/overlay.effect");
    if (path != nullptr) {
        source = readFile(path).value_or("");
    }
    bfree(path);
    if (source.empty()) {
        CUECARD_LOG(LOG_ERROR, "cannot read effects/overlay.effect from the module data "
                               "folder; reinstall the plugin");
    }
    std::lock_guard lock(mutex);
    text = std::move(source);
    read = true;
}
bool OverlayPainter::Effect::load() {
    if (!tried) {
        std::string source;
        {
            std::lock_guard lock(mutex);
            if (!read) {
                return false; // not read yet: nothing to draw this frame
            }
            source = text;
        }
        tried = true;
        char *error = nullptr;
        effect =
            source.empty() ? nullptr : gs_effect_create(source.c_str(), "overlay.effect", &error);
        if (effect == nullptr) {
            CUECARD_LOG(LOG_ERROR, "effects/overlay.effect does not compile%s%s",
                        error != nullptr ? ": " : "", error != nullptr ? error : "");
            bfree(error);
            return false;
        }
        image = gs_effect_get_param_by_name(effect, "image");
        opacity = gs_effect_get_param_by_name(effect, "opacity");
        reveal = gs_effect_get_param_by_name(effect, "reveal");
        bandLeft = gs_effect_get_param_by_name(effect, "band_left");
        bandWidth = gs_effect_get_param_by_name(effect, "band_width");
        warpRows[0] = gs_effect_get_param_by_name(effect, "warp_row0");
        warpRows[1] = gs_effect_get_param_by_name(effect, "warp_row1");
        warpRows[2] = gs_effect_get_param_by_name(effect, "warp_row2");
        warpBox = gs_effect_get_param_by_name(effect, "warp_box");
        warpLayer = gs_effect_get_param_by_name(effect, "warp_layer");
        warpEdge = gs_effect_get_param_by_name(effect, "warp_edge");
    }
    return effect != nullptr;
}

} // namespace cuecard::obs
