// The cuecard_overlay source: thin glue. Settings go to the shared session hub and the source's
// OverlayWorker; video_tick takes finished frames and takes part in the frame-exact switch;
// video_render uploads a new frame only when it changed and draws it. Every callback catches
// everything: nothing here may take OBS down.

#include "obs/overlay_source.hpp"

#include "core/render/animation.hpp"
#include "core/render/overlay_worker.hpp"
#include "core/theme/theme.hpp"
#include "obs/gl_interop.hpp"
#include "obs/plugin_state.hpp"

#include <graphics/graphics.h>
#include <obs-module.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cuecard::obs {
namespace {

constexpr const char *kSourceId = "cuecard_overlay";

class OverlaySource {
  public:
    OverlaySource(obs_data_t *settings, obs_source_t *source)
        : source_(source), hubId_(state().hub.registerSource()) {
        update(settings);
        // How this source draws, for diagnostics and tests: the path and how many recipients'
        // frames went each way.
        proc_handler_add(obs_source_get_proc_handler(source),
                         "void cuecard_drawing(out string path, out int zero_copy_frames, "
                         "out int readback_frames, out float first_frame_ms, "
                         "out float switch_ms)",
                         &OverlaySource::drawingProc, this);
    }

    ~OverlaySource() {
        state().hub.unregisterSource(hubId_);
        obs_enter_graphics();
        if (texture_ != nullptr) {
            gs_texture_destroy(texture_);
        }
        for (auto &r : retiring_) {
            deleteGlFence(r.fence);
        }
        buryImported();
        // OBS destroys sources on a thread of its own, possibly while OpenGL still draws the
        // last frame from the imported images: wait for that (a few ms) before deleting them.
        std::size_t leaked = 0;
        for (auto &b : buried_) {
            if (waitGlFence(b.fence, kDestroyWaitNs)) {
                destroyAll(b.textures);
            } else {
                leaked += b.textures.size(); // deleting could crash OBS: leave them
            }
        }
        obs_leave_graphics();
        if (leaked > 0) {
            blog(LOG_WARNING,
                 "[cuecard] source '%s': OpenGL did not finish drawing within 2 s; %zu shared "
                 "image(s) left in memory rather than deleted under it",
                 obs_source_get_name(source_), leaked);
        }
        worker_.reset();
        // For tests and tools that must know the source is gone (OBS destroys it later, on a
        // thread of its own).
        calldata_t cd;
        calldata_init(&cd);
        calldata_set_string(&cd, "name", obs_source_get_name(source_));
        signal_handler_signal(obs_get_signal_handler(), "cuecard_source_destroyed", &cd);
        calldata_free(&cd);
    }

    void update(obs_data_t *settings) {
        const std::string queuePath = obs_data_get_string(settings, "queue_path");
        std::string themeName = obs_data_get_string(settings, "theme");
        if (themeName.empty()) {
            themeName = "default";
        }
        std::vector<std::string> errors;
        auto theme = loadTheme(themeName, state().dataDirs());
        if (!theme) {
            errors.push_back(theme.message());
        } else {
            theme_ = std::make_shared<const Theme>(std::move(theme.value()));
        }
        if (!queuePath.empty()) {
            if (Status s = state().hub.openQueue(queuePath); !s) {
                errors.push_back(s.message());
            }
        }
        if (theme_) {
            const HubSnapshot snap = state().hub.snapshot();
            if (snap.loaded) {
                // Fields the theme needs and the queue lacks: say so, keep rendering fallbacks.
                if (Status s = theme_->check(snap.columns); !s) {
                    errors.push_back(s.message());
                }
            }
        }
        requested_ = 0; // render again with the new settings
        if (!worker_) {
            worker_ = std::make_unique<OverlayWorker>(state().vulkan(), state().fontDirs());
            std::string unavailable = state().zeroCopyUnavailable();
            {
                std::lock_guard lock(pathMutex_);
                zeroCopyUnavailable_ = std::move(unavailable);
            }
            worker_->shareImages(zeroCopyUnavailable_.empty());
            blog(LOG_INFO, "[cuecard] source '%s' draws %s", obs_source_get_name(source_),
                 drawingPath().c_str());
        }
        if (!state().vulkan()) {
            errors.push_back(state().vulkanError());
        }
        std::string joined;
        for (const auto &e : errors) {
            joined += (joined.empty() ? "" : "\n") + e;
        }
        setError(joined);
    }

    std::string status() const {
        const HubSnapshot s = state().hub.snapshot();
        std::string out;
        if (!error_.empty()) {
            out = error_;
        } else if (!frameError_.empty()) {
            out = frameError_;
        } else if (!s.loaded) {
            out = s.error.empty() ? obs_module_text("Cuecard.Status.NoQueue") : s.error;
        } else {
            out = "queue loaded: " + std::to_string(s.counts.total) + " recipients, " +
                  std::to_string(s.counts.recorded) + " done";
            if (s.current) {
                out += "; now #" + std::to_string(s.index) + " " + s.current->displayName();
            }
            if (!s.error.empty()) {
                out += "\n" + s.error;
            }
        }
        return out + "\ndrawing: " + drawingPath();
    }

    /// "zero-copy (…)" or "readback (why not zero-copy)", for the status line and the log.
    std::string drawingPath() const {
        std::lock_guard lock(pathMutex_);
        if (zeroCopyUnavailable_.empty()) {
            return "zero-copy (OpenGL draws from Vulkan's memory)";
        }
        return "readback + upload (zero-copy unavailable: " + zeroCopyUnavailable_ + ")";
    }

    std::uint32_t width() const { return theme_ ? static_cast<std::uint32_t>(theme_->width) : 0; }
    std::uint32_t height() const { return theme_ ? static_cast<std::uint32_t>(theme_->height) : 0; }

    void tick() {
        SessionHub &hub = state().hub;
        const SessionHub::FrameState snap = hub.frameState();
        if (theme_ && snap.hasCurrent && snap.generation != requested_) {
            // Copy the recipient only when there is something new to render.
            if (auto current = hub.currentRecipient()) {
                worker_->request(theme_, std::move(*current), theme_->width, theme_->height,
                                 snap.generation);
            }
            // Prepare the next person's glyphs in the background: their switch then never
            // waits on FreeType.
            if (auto next = hub.nextRecipient()) {
                worker_->prepare(theme_, std::move(*next), theme_->width, theme_->height);
            }
            requested_ = snap.generation;
        } else if (!snap.hasCurrent || !theme_) {
            hub.sourceReady(hubId_, snap.generation); // nothing to render: never block a switch
        }
        if (auto frame = worker_->take(ready_ ? ready_->generation : 0)) {
            if (!frame->sharingStopped.empty()) {
                stopZeroCopy(frame->sharingStopped);
            }
            if (ready_ && ready_->sharedSlot >= 0 && !isShown(*ready_)) {
                // Replaced before it was ever drawn: OpenGL never touched it.
                worker_->releaseSharedImage(ready_->sharedSet->id, ready_->sharedSlot);
            }
            if (!frame->error.empty()) {
                if (frameError_ != frame->error) {
                    blog(LOG_WARNING, "[cuecard] %s", frame->error.c_str());
                }
                frameError_ = frame->error;
            } else {
                frameError_.clear();
            }
            hub.sourceReady(hubId_, frame->generation);
            ready_ = std::move(frame);
        }
        const std::uint64_t now = obs_get_video_frame_time();
        const std::uint64_t displayed = hub.tick(now);
        if (ready_ && ready_->generation == displayed && displayed != shown_) {
            uploadPending_ = true;
        }
        if (displayed != shown_ && !uploadPending_) {
            // The switch happened but this source's frame is late: show nothing rather than the
            // previous recipient.
            blank_ = true;
        }
        // Visibility and animations (a hold is not animated).
        if (snap.visible != visible_ && !snap.held && !held_) {
            visible_ = snap.visible;
            animStartNs_ = now;
            animAppearing_ = visible_;
        }
        if (uploadPending_ && visible_) {
            animStartNs_ = now; // each new recipient animates in
            animAppearing_ = true;
        }
        frameTimeNs_ = now;
        held_ = snap.held;
    }

    void render() {
        const auto renderStart = std::chrono::steady_clock::now();
        const bool switching = uploadPending_ && ready_;
        renderNewFrame();
        if (switching) {
            const long long ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now() - renderStart)
                                     .count();
            (firstFrameNs_ == 0 ? firstFrameNs_ : switchNs_) += ns;
        }
        drawFrame();
    }

    /// Puts a finished frame on screen: imports or uploads it, gives back the image it replaces.
    void renderNewFrame() {
        releasePassedImages();
        if (uploadPending_ && ready_ && ready_->sharedSlot >= 0) {
            if (Status s = importSet(*ready_->sharedSet); !s) {
                // Fall back to readback for good; render this recipient again that way.
                stopZeroCopy(s.message());
                worker_->releaseSharedImage(ready_->sharedSet->id, ready_->sharedSlot);
                ready_.reset();
                requested_ = 0;
                uploadPending_ = false;
                blank_ = true; // nothing rather than an earlier recipient meanwhile
                return;
            }
            retireShown();
            ++zeroCopyFrames_;
            shownSet_ = ready_->sharedSet->id;
            shownSlot_ = ready_->sharedSlot;
            bounds_ = ready_->bounds;
            blank_ = false;
            shown_ = ready_->generation;
            uploadPending_ = false;
        }
        if (uploadPending_ && ready_) {
            retireShown(); // from here on the uploaded texture is on screen
            const Image &img = ready_->image;
            if (img.width > 0) {
                ++readbackFrames_;
                if (texture_ == nullptr ||
                    gs_texture_get_width(texture_) != std::uint32_t(img.width) ||
                    gs_texture_get_height(texture_) != std::uint32_t(img.height)) {
                    if (texture_ != nullptr) {
                        gs_texture_destroy(texture_);
                    }
                    const std::uint8_t *data = img.pixels.data();
                    texture_ = gs_texture_create(static_cast<std::uint32_t>(img.width),
                                                 static_cast<std::uint32_t>(img.height), GS_RGBA, 1,
                                                 &data, GS_DYNAMIC);
                } else {
                    gs_texture_set_image(texture_, img.pixels.data(),
                                         static_cast<std::uint32_t>(img.width) * 4, false);
                }
                bounds_ = ready_->bounds;
                blank_ = false;
            } else {
                blank_ = true; // an error frame: nothing rather than something wrong
            }
            shown_ = ready_->generation;
            uploadPending_ = false;
            ready_->image = Image{}; // the pixels live in the texture now
        }
    }

    void drawFrame() {
        gs_texture_t *texture =
            shownSlot_ >= 0 ? imported_[static_cast<std::size_t>(shownSlot_)].texture : texture_;
        if (texture == nullptr || blank_ || !theme_ || held_) {
            return; // held: hidden at once, no fade that could straddle a file split
        }
        const double seconds = static_cast<double>(frameTimeNs_ - animStartNs_) / 1'000'000'000.0;
        const AnimationKind kind = animAppearing_ ? theme_->animation.in : theme_->animation.out;
        const AnimationFrame a =
            animationAt(kind, theme_->animation.duration, seconds, animAppearing_,
                        static_cast<float>(theme_->height) * 0.06f);
        if (a.opacity <= 0.0f || a.reveal <= 0.0f) {
            return;
        }
        gs_effect_t *effect = effect_();
        if (effect == nullptr) {
            return;
        }
        const bool previousSrgb = gs_framebuffer_srgb_enabled();
        gs_enable_framebuffer_srgb(false);
        gs_blend_state_push();
        gs_blend_function(GS_BLEND_ONE, GS_BLEND_INVSRCALPHA);
        // The shared texture is the whole canvas: draw its band, and wipe across the band.
        float bandLeft = 0.0f;
        float bandWidth = 1.0f;
        if (shownSlot_ >= 0) {
            const float canvas = static_cast<float>(gs_texture_get_width(texture));
            bandLeft = static_cast<float>(bounds_.x) / canvas;
            bandWidth = static_cast<float>(bounds_.width) / canvas;
        }
        gs_effect_set_texture(gs_effect_get_param_by_name(effect, "image"), texture);
        gs_effect_set_float(gs_effect_get_param_by_name(effect, "opacity"), a.opacity);
        gs_effect_set_float(gs_effect_get_param_by_name(effect, "reveal"), a.reveal);
        gs_effect_set_float(gs_effect_get_param_by_name(effect, "band_left"), bandLeft);
        gs_effect_set_float(gs_effect_get_param_by_name(effect, "band_width"), bandWidth);
        gs_matrix_push();
        gs_matrix_translate3f(static_cast<float>(bounds_.x),
                              static_cast<float>(bounds_.y) + a.offsetY, 0.0f);
        while (gs_effect_loop(effect, "Draw")) {
            if (shownSlot_ >= 0) {
                gs_draw_sprite_subregion(texture, 0, static_cast<std::uint32_t>(bounds_.x),
                                         static_cast<std::uint32_t>(bounds_.y),
                                         static_cast<std::uint32_t>(bounds_.width),
                                         static_cast<std::uint32_t>(bounds_.height));
            } else {
                gs_draw_sprite(texture, 0, 0, 0);
            }
        }
        gs_matrix_pop();
        gs_blend_state_pop();
        gs_enable_framebuffer_srgb(previousSrgb);
    }

    obs_source_t *source() const { return source_; }

  private:
    static void drawingProc(void *data, calldata_t *cd) {
        try {
            auto *self = static_cast<OverlaySource *>(data);
            const std::string path = self->drawingPath();
            calldata_set_string(cd, "path", path.c_str());
            calldata_set_int(cd, "zero_copy_frames", self->zeroCopyFrames_.load());
            calldata_set_int(cd, "readback_frames", self->readbackFrames_.load());
            // The first frame creates or imports the textures; every later one is a switch.
            const long long frames = self->zeroCopyFrames_.load() + self->readbackFrames_.load();
            calldata_set_float(cd, "first_frame_ms",
                               static_cast<double>(self->firstFrameNs_.load()) / 1e6);
            calldata_set_float(cd, "switch_ms",
                               frames > 1 ? static_cast<double>(self->switchNs_.load()) / 1e6 /
                                                static_cast<double>(frames - 1)
                                          : 0.0);
        } catch (...) {
            blog(LOG_ERROR, "[cuecard] cuecard_drawing failed");
        }
    }

    bool isShown(const OverlayFrame &frame) const {
        return frame.sharedSlot == shownSlot_ && frame.sharedSet &&
               frame.sharedSet->id == shownSet_;
    }

    void stopZeroCopy(const std::string &why) {
        if (zeroCopyUnavailable_.empty()) {
            {
                std::lock_guard lock(pathMutex_);
                zeroCopyUnavailable_ = why;
            }
            worker_->stopSharing(why);
            blog(LOG_WARNING, "[cuecard] source '%s' now draws %s", obs_source_get_name(source_),
                 drawingPath().c_str());
        }
    }

    /// Imports every image of `set` into OBS's OpenGL unless that set is imported already.
    Status importSet(const SharedImageSet &set) {
        if (importedSet_ == set.id) {
            return Status::success();
        }
        if (shownSlot_ >= 0) {
            // The shown image belongs to the old set: nothing on screen until the new one.
            shownSlot_ = -1;
            blank_ = true;
        }
        for (auto &r : retiring_) {
            deleteGlFence(r.fence); // old set: nothing to give back
        }
        retiring_.clear();
        buryImported(); // OpenGL may still be drawing from the old set
        for (std::size_t i = 0; i < set.fds.size(); ++i) {
            const int fd = ::dup(set.fds[i].get());
            if (fd < 0) {
                buryImported();
                return makeError("cannot duplicate the shared image's descriptor");
            }
            auto texture = importTexture(fd, set.sizes[i], set.width, set.height);
            if (!texture) {
                buryImported();
                return texture.error();
            }
            imported_.push_back(texture.value());
        }
        importedSet_ = set.id;
        return Status::success();
    }

    /// Takes the imported images off duty; they are deleted once OpenGL is done with them.
    void buryImported() {
        if (!imported_.empty()) {
            buried_.push_back(Buried{insertGlFence(), std::move(imported_)});
            imported_.clear();
        }
        importedSet_ = 0;
        shownSlot_ = -1;
    }

    static void destroyAll(std::vector<ImportedTexture> &textures) {
        for (auto &t : textures) {
            destroyImported(t);
        }
        textures.clear();
    }

    /// The image on screen leaves it: give it back once OpenGL has finished drawing from it.
    void retireShown() {
        if (shownSlot_ >= 0) {
            retiring_.push_back(Retiring{insertGlFence(), shownSet_, shownSlot_});
            shownSlot_ = -1;
        }
    }

    void releasePassedImages() {
        std::erase_if(buried_, [](Buried &b) {
            if (!glFencePassed(b.fence)) {
                return false;
            }
            destroyAll(b.textures);
            return true;
        });
        std::erase_if(retiring_, [this](const Retiring &r) {
            if (!glFencePassed(r.fence)) {
                return false;
            }
            worker_->releaseSharedImage(r.set, r.slot);
            return true;
        });
    }

    void setError(const std::string &message) {
        if (message != error_ && !message.empty()) {
            blog(LOG_WARNING, "[cuecard] %s", message.c_str());
        }
        error_ = message;
    }

    /// libobs caches effects by file for the graphics context's lifetime; asking each time a
    /// source starts drawing keeps no pointer past a graphics reset.
    gs_effect_t *effect_() {
        if (effect__ == nullptr) {
            char *path = obs_module_file("effects/overlay.effect");
            effect__ = path ? gs_effect_create_from_file(path, nullptr) : nullptr;
            if (effect__ == nullptr) {
                blog(LOG_ERROR, "[cuecard] cannot load effects/overlay.effect from the module "
                                "data folder; reinstall the plugin");
            }
            bfree(path);
        }
        return effect__;
    }

    gs_effect_t *effect__ = nullptr;
    obs_source_t *source_;
    SessionHub::SourceId hubId_;
    std::shared_ptr<const Theme> theme_;
    std::unique_ptr<OverlayWorker> worker_;
    std::optional<OverlayFrame> ready_;
    std::uint64_t requested_ = 0;
    std::uint64_t shown_ = 0;
    bool uploadPending_ = false;
    bool blank_ = false;
    bool visible_ = true;
    bool held_ = false;
    bool animAppearing_ = true;
    std::uint64_t animStartNs_ = 0;
    std::uint64_t frameTimeNs_ = 0;
    gs_texture_t *texture_ = nullptr; ///< readback path: the band, uploaded
    PixelRect bounds_;                ///< where the overlay sits on the canvas
    // Zero-copy path: the worker's shared images imported into OpenGL, the one on screen, and
    // those OpenGL may still be drawing from (given back once their fence has passed).
    std::string zeroCopyUnavailable_ = "not decided";
    std::vector<ImportedTexture> imported_;
    std::uint64_t importedSet_ = 0;
    std::uint64_t shownSet_ = 0;
    int shownSlot_ = -1;
    struct Retiring {
        void *fence;
        std::uint64_t set;
        int slot;
    };
    std::vector<Retiring> retiring_;
    // Imported sets taken off duty (a new canvas size, a failed import, the source going),
    // deleted once the fence set after their last draw has passed.
    struct Buried {
        void *fence;
        std::vector<ImportedTexture> textures;
    };
    std::vector<Buried> buried_;
    static constexpr std::uint64_t kDestroyWaitNs = 2'000'000'000;
    mutable std::mutex pathMutex_; // zeroCopyUnavailable_ is read by the proc handler's caller
    std::atomic<long long> zeroCopyFrames_{0};
    std::atomic<long long> readbackFrames_{0};
    // Graphics-thread time putting new frames on screen: the first one, and all later ones.
    std::atomic<long long> firstFrameNs_{0};
    std::atomic<long long> switchNs_{0};
    std::string error_;
    std::string frameError_;
};

template <class F> auto guarded(const char *where, F f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::exception &e) {
        blog(LOG_ERROR, "[cuecard] %s: %s", where, e.what());
    } catch (...) {
        blog(LOG_ERROR, "[cuecard] %s: unknown error", where);
    }
    return decltype(f())();
}

OverlaySource *self(void *data) {
    return static_cast<OverlaySource *>(data);
}

bool themeFilePicked(obs_properties_t *, obs_property_t *, obs_data_t *settings) {
    const char *file = obs_data_get_string(settings, "theme_file");
    if (file != nullptr && *file != '\0') {
        obs_data_set_string(settings, "theme", file);
    }
    return true;
}

} // namespace

obs_source_info makeOverlaySourceInfo() {
    obs_source_info info{};
    info.id = kSourceId;
    info.type = OBS_SOURCE_TYPE_INPUT;
    info.output_flags = OBS_SOURCE_VIDEO | OBS_SOURCE_CUSTOM_DRAW;
    info.icon_type = OBS_ICON_TYPE_TEXT;
    info.version = 0; // bump (kind becomes cuecard_overlay_vN) when defaults change
    info.get_name = [](void *) { return obs_module_text("Cuecard.Overlay"); };
    info.create = [](obs_data_t *settings, obs_source_t *source) -> void * {
        return guarded("create", [&]() -> void * { return new OverlaySource(settings, source); });
    };
    info.destroy = [](void *data) { guarded("destroy", [&] { delete self(data); }); };
    info.update = [](void *data, obs_data_t *settings) {
        guarded("update", [&] { self(data)->update(settings); });
    };
    info.get_defaults = [](obs_data_t *settings) {
        obs_data_set_default_string(settings, "theme", "default");
    };
    info.get_properties = [](void *data) -> obs_properties_t * {
        obs_properties_t *props = obs_properties_create();
        guarded("properties", [&] {
            obs_properties_add_path(props, "queue_path", obs_module_text("Cuecard.Queue"),
                                    OBS_PATH_FILE, obs_module_text("Cuecard.QueueFilter"), nullptr);
            obs_property_t *list =
                obs_properties_add_list(props, "theme", obs_module_text("Cuecard.Theme"),
                                        OBS_COMBO_TYPE_EDITABLE, OBS_COMBO_FORMAT_STRING);
            for (const auto &name : builtinThemeNames(state().dataDirs())) {
                obs_property_list_add_string(list, name.c_str(), name.c_str());
            }
            obs_property_t *file = obs_properties_add_path(
                props, "theme_file", obs_module_text("Cuecard.ThemeFile"), OBS_PATH_FILE,
                obs_module_text("Cuecard.ThemeFilter"), nullptr);
            obs_property_set_modified_callback(file, themeFilePicked);
            if (data != nullptr) {
                obs_data_t *settings = obs_source_get_settings(self(data)->source());
                obs_data_set_string(settings, "status", self(data)->status().c_str());
                obs_data_release(settings);
            }
            obs_properties_add_text(props, "status", obs_module_text("Cuecard.Status"),
                                    OBS_TEXT_INFO);
        });
        return props;
    };
    info.get_width = [](void *data) {
        return guarded("width", [&] { return self(data)->width(); });
    };
    info.get_height = [](void *data) {
        return guarded("height", [&] { return self(data)->height(); });
    };
    info.video_tick = [](void *data, float) { guarded("tick", [&] { self(data)->tick(); }); };
    info.video_render = [](void *data, gs_effect_t *) {
        guarded("render", [&] { self(data)->render(); });
    };
    return info;
}

} // namespace cuecard::obs
