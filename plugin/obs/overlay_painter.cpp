// SPDX-License-Identifier: GPL-2.0-or-later
#include "obs/overlay_painter.hpp"

#include "core/util/read_file.hpp"
#include "obs/log.hpp"

#include <obs-module.h>

namespace cuecard::obs {

OverlayPainter::OverlayPainter(std::function<void(std::uint64_t, int)> giveBack)
    : gl_(std::in_place, std::move(giveBack)) {}

void OverlayPainter::release() {
    if (texture_ != nullptr) {
        gs_texture_destroy(texture_);
        texture_ = nullptr;
    }
    if (effect_.effect != nullptr) {
        gs_effect_destroy(effect_.effect); // made from text: libobs does not cache it
        effect_.effect = nullptr;
    }
    gl_.reset();
}

Status OverlayPainter::present(const OverlayFrame &frame) {
    if (frame.sharedSlot >= 0) {
        return gl_->show(*frame.sharedSet, frame.sharedSlot);
    }
    gl_->retireShown(); // from here on the uploaded texture is on screen
    const Image &img = frame.image;
    if (img.width <= 0) {
        return Status::success(); // an error frame: the presenter shows nothing
    }
    const auto w = static_cast<std::uint32_t>(img.width);
    const auto h = static_cast<std::uint32_t>(img.height);
    if (texture_ == nullptr || gs_texture_get_width(texture_) != w ||
        gs_texture_get_height(texture_) != h) {
        if (texture_ != nullptr) {
            gs_texture_destroy(texture_);
        }
        const std::uint8_t *data = img.pixels.data();
        texture_ = gs_texture_create(w, h, GS_RGBA, 1, &data, GS_DYNAMIC);
    } else {
        gs_texture_set_image(texture_, img.pixels.data(), w * 4, false);
    }
    return Status::success();
}

void OverlayPainter::draw(const SourcePresenter::Draw &d) {
    gs_texture_t *texture = d.sharedSlot >= 0 ? gl_->texture(d.sharedSlot) : texture_;
    if (texture == nullptr || !effect_.load()) {
        return;
    }
    const bool previousSrgb = gs_framebuffer_srgb_enabled();
    gs_enable_framebuffer_srgb(false);
    gs_blend_state_push();
    gs_blend_function(GS_BLEND_ONE, GS_BLEND_INVSRCALPHA);
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
    gs_blend_state_pop();
    gs_enable_framebuffer_srgb(previousSrgb);
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
    }
    return effect != nullptr;
}

} // namespace cuecard::obs
