// SPDX-License-Identifier: GPL-2.0-or-later
// The cuecard_overlay source: thin glue. Settings go to the shared session hub and the source's
// OverlayWorker; video_tick takes finished frames and takes part in the frame-exact switch;
// video_render uploads a new frame only when it changed and draws it. Every callback catches
// everything: nothing here may take OBS down.

#include "obs/overlay_source.hpp"

#include "core/picture/picture_prefetcher.hpp"
#include "core/render/overlay_worker.hpp"
#include "core/stage/source_presenter.hpp"
#include "core/theme/theme.hpp"
#include "core/theme/theme_loader.hpp"
#include "core/util/corner_drag.hpp"
#include "core/util/read_file.hpp"
#include "obs/gl_shared_images.hpp"
#include "obs/log.hpp"
#include "obs/plugin_state.hpp"

#include <graphics/graphics.h>
#include <obs-frontend-api.h>
#include <obs-module.h>
#include <obs.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cuecard::obs {
namespace {

constexpr const char *kSourceId = "cuecard_overlay";
constexpr int kPreviewWidth = 640; // the dock shows a crop: sharp at its width

/// The theme named in `settings` ("default" when none).
std::string themeOf(obs_data_t *settings) {
    const char *theme = obs_data_get_string(settings, "theme");
    return theme != nullptr && *theme != '\0' ? theme : "default";
}

/// The corners `settings` give their theme (corners belong to a theme: see cornersFor).
std::string cornersIn(obs_data_t *settings) {
    const std::string theme = themeOf(settings);
    std::string saved;
    if (OBSDataAutoRelease quads = obs_data_get_obj(settings, "quads"); quads != nullptr) {
        saved = obs_data_get_string(quads, theme.c_str());
    }
    return cornersFor(theme, obs_data_get_string(settings, "quad"),
                      obs_data_get_string(settings, "quad_theme"), saved);
}

/// Writes `corners` into `settings` as `theme`'s: quad, quad_theme, and quads (the corners kept
/// per theme in `keptIn`, with `theme`'s replaced).
void setCorners(obs_data_t *settings, const std::string &theme, const std::string &corners,
                obs_data_t *keptIn) {
    OBSDataAutoRelease quads = obs_data_create();
    if (OBSDataAutoRelease before = obs_data_get_obj(keptIn, "quads"); before != nullptr) {
        obs_data_apply(quads, before);
    }
    obs_data_set_string(quads, theme.c_str(), corners.c_str());
    obs_data_set_string(settings, "quad", corners.c_str());
    obs_data_set_string(settings, "quad_theme", theme.c_str());
    obs_data_set_obj(settings, "quads", quads);
}

class OverlaySource {
  public:
    OverlaySource(obs_data_t *settings, obs_source_t *source)
        : source_(source), worker_(state().vulkanFuture(), state().fontDirs()),
          presenter_(state().hub, worker_), gl_(std::in_place, [this](std::uint64_t set, int slot) {
              worker_.releaseSharedImage(set, slot);
          }) {
        presenter_.setPictures([this](const Recipient &r) { return pictures_.ready(r); },
                               [this](const std::vector<Recipient> &r) { pictures_.want(r); },
                               [this](std::function<std::vector<Recipient>()> queue) {
                                   pictures_.prepareAll(std::move(queue));
                               });
        // The dock shows how far this source's pictures are (published from the prefetcher's
        // thread; the board only takes a lock).
        pictures_.setOnProgress([this](const PrepareProgress &p) {
            state().pictureBoard.publish(this, p);
            loggedProblems_ = std::min(loggedProblems_, p.problems.size());
            for (; loggedProblems_ < p.problems.size(); ++loggedProblems_) {
                CUECARD_LOG(LOG_WARNING, "pictures: %s", p.problems[loggedProblems_].c_str());
            }
            if (p.total > 0 && p.prepared == p.total) {
                CUECARD_LOG(LOG_INFO, "pictures of all %zu recipients prepared (%zu with problems)",
                            p.total, p.withProblems);
            }
        });
        // Small pictures of the current and next recipient for the dock, drawn by this source's
        // worker when idle; only where there is a dock to show them (not in a bare libobs).
        if (obs_frontend_get_main_window() != nullptr) {
            worker_.setPreviews(kPreviewWidth, [this](OverlayPreview p) {
                state().previews.publish(this, std::move(p));
            });
        }
        requestLoad(settings);
        // How this source draws, for diagnostics and tests: the path and how many recipients'
        // frames went each way.
        proc_handler_add(obs_source_get_proc_handler(source),
                         "void cuecard_drawing(out string path, out int zero_copy_frames, "
                         "out int readback_frames, out float first_frame_ms, "
                         "out float switch_ms)",
                         &OverlaySource::drawingProc, this);
        // Corners of the theme's first group, fitted to a surface in the camera (websocket
        // set_quad and tests come through here): checked, then saved in the source's settings.
        proc_handler_add(obs_source_get_proc_handler(source),
                         "void cuecard_set_quad(in string quad, out bool ok, out string error)",
                         &OverlaySource::setQuadProc, this);
    }

    /// OBS calls destroy on a thread of its own: enter graphics for the OpenGL objects.
    ~OverlaySource() {
        loader_.stop();                   // no load publishes after this line
        pictures_.setOnProgress(nullptr); // nor a picture
        worker_.setPreviews(0, nullptr);
        state().previews.remove(this);
        if (state().preflight) {
            state().preflight->removeTheme(this);
        }
        state().pictureBoard.remove(this);
        state().sources.remove(this);
        obs_enter_graphics();
        if (texture_ != nullptr) {
            gs_texture_destroy(texture_);
        }
        if (effect_.effect != nullptr) {
            gs_effect_destroy(effect_.effect); // made from text: libobs does not cache it
        }
        gl_.reset();
        obs_leave_graphics();
        // For tests and tools that must know the source is gone.
        calldata_t cd;
        calldata_init(&cd);
        calldata_set_string(&cd, "name", obs_source_get_name(source_));
        signal_handler_signal(obs_get_signal_handler(), "cuecard_source_destroyed", &cd);
        calldata_free(&cd);
    }

    /// libobs' update callback: it runs on OBS's graphics thread (obs_source_update only counts a
    /// deferred update; obs_source_video_tick applies it).
    void update(obs_data_t *settings) { requestLoad(settings); }

    /// Hands the settings to the loader's thread, which reads the theme file, places the corners
    /// and opens the queue; tick() picks the finished theme up. Never touches the disk.
    void requestLoad(obs_data_t *settings) {
        SourceSettings wanted;
        wanted.queuePath = obs_data_get_string(settings, "queue_path");
        wanted.theme = obs_data_get_string(settings, "theme");
        wanted.corners = cornersIn(settings);
        loader_.request(std::move(wanted));
    }

    /// On the loader's thread, after each load: what the boards and the queue need (each a
    /// lock, a post or a disk; never an OBS thread).
    void loaded(const LoadedTheme &l) {
        effect_.readSource(); // once: the graphics thread makes the effect from this text
        if (state().preflight) {
            if (l.theme) {
                state().preflight->setTheme(this, l.theme, l.themeName);
            } else {
                state().preflight->removeTheme(this);
            }
        }
        if (!l.settings.queuePath.empty() && l.settings.queuePath != openedQueue_) {
            state().campaigns.open(l.settings.queuePath); // a file or a team campaign
        }
        openedQueue_ = l.settings.queuePath;
        const std::string error = errorOf(l);
        if (error != loggedError_ && !error.empty()) {
            CUECARD_LOG(LOG_WARNING, "%s", error.c_str());
        }
        loggedError_ = error;
        double inSeconds = 0.0;
        if (l.theme && l.theme->animation.in != AnimationKind::None) {
            inSeconds = l.theme->animation.duration;
        }
        state().sources.publish(this,
                                {obs_source_get_name(source_), l.themeName, error, inSeconds});
    }

    /// The theme's or the corners' problem, and the Vulkan device's when there is none.
    static std::string errorOf(const LoadedTheme &l) {
        std::string error = l.error;
        if (!state().vulkan()) {
            error += (error.empty() ? "" : "\n") + state().vulkanError();
        }
        return error;
    }

    /// On the graphics thread: a theme the loader finished goes on screen.
    void applyLoaded() {
        auto l = loader_.take();
        if (!l || !l->theme) {
            return;
        }
        // Pictures are prepared on the prefetcher's thread, relative to the queue's folder.
        // (A team campaign has no folder: its pictures are URLs.)
        std::string notFile;
        const bool campaign = parseTeamQueue(l->settings.queuePath, notFile) || !notFile.empty();
        pictures_.reset(l->theme, campaign
                                      ? std::filesystem::path()
                                      : std::filesystem::path(l->settings.queuePath).parent_path());
        {
            std::lock_guard lock(dragMutex_);
            dragTheme_ = l->theme;
            dragQuad_.reset();
        }
        state().previews.drawing(this, l->theme);
        presenter_.setTheme(l->theme);
    }

    /// Any thread (the properties dialog's is the UI thread): locks only. In the rep's words:
    /// who is on screen, how far the queue is, what is wrong and what to do.
    std::string status() const {
        const HubSnapshot s = state().hub.snapshot();
        const auto loaded = loader_.latest();
        std::string out = loaded ? errorOf(*loaded) : "Loading the theme…";
        const auto line = [&out](const std::string &text) {
            out += (out.empty() ? "" : "\n") + text;
        };
        if (!presenter_.frameError().empty()) {
            line(presenter_.frameError());
        }
        for (const auto &note : presenter_.pictureNotes()) {
            line(note);
        }
        if (s.loading) {
            line("Loading the queue…");
        }
        if (!s.loaded) {
            if (!s.loading) {
                line(s.error.empty() ? obs_module_text("Cuecard.Status.NoQueue") : s.error);
            }
        } else {
            line(s.current ? "On screen now: #" + std::to_string(s.index) + " " +
                                 s.current->displayName() + (s.visible ? "" : " (hidden)")
                           : std::string("No one on screen: the queue is done"));
            std::string progress = "Queue: " + std::to_string(s.counts.total) + " people, " +
                                   std::to_string(s.counts.recorded) + " recorded";
            if (s.counts.skipped > 0) {
                progress += ", " + std::to_string(s.counts.skipped) + " skipped";
            }
            line(progress);
            if (!s.error.empty()) {
                line(s.error);
            }
            // Fields the theme needs and the queue lacks: say so, fallbacks are rendered.
            if (loaded && loaded->theme) {
                if (Status c = loaded->theme->check(s.columns); !c) {
                    line(c.message());
                }
            }
        }
        if (const std::string why = zeroCopyUnavailableNow();
            !why.empty() && why != "not decided") {
            line("Drawing in compatibility mode (each frame is copied, a little slower): " + why);
        }
        return out;
    }

    /// Why OpenGL cannot draw straight from Vulkan's memory ("" when it does).
    std::string zeroCopyUnavailableNow() const {
        std::lock_guard lock(pathMutex_);
        return zeroCopyUnavailable_;
    }

    /// The graphics thread, twice a second: when the status changed, an open properties dialog
    /// shows it again (OBS reloads its view on "update_properties"; nothing waits).
    void refreshStatus(std::uint64_t nowNs) {
        if (nowNs - statusCheckedNs_ < 500'000'000ull) {
            return;
        }
        statusCheckedNs_ = nowNs;
        std::string now = status();
        if (now != statusShown_) {
            statusShown_ = std::move(now);
            obs_source_update_properties(source_);
        }
    }

    /// "zero-copy (…)" or "readback (why not zero-copy)", for the status line and the log.
    std::string drawingPath() const {
        std::lock_guard lock(pathMutex_);
        if (zeroCopyUnavailable_.empty()) {
            return "zero-copy (OpenGL draws from Vulkan's memory)";
        }
        return "readback + upload (zero-copy unavailable: " + zeroCopyUnavailable_ + ")";
    }

    std::uint32_t width() const {
        const auto l = loader_.latest();
        return l && l->theme ? static_cast<std::uint32_t>(l->theme->width) : 0;
    }
    std::uint32_t height() const {
        const auto l = loader_.latest();
        return l && l->theme ? static_cast<std::uint32_t>(l->theme->height) : 0;
    }

    /// Interact window, OBS's UI thread: a left press near a corner of the theme's first group
    /// grabs it; moving drags it (applied on the next tick); letting go saves the corners.
    void mouseClick(const obs_mouse_event *event, std::int32_t button, bool up) {
        if (button != MOUSE_LEFT) {
            return;
        }
        const Point2 at{static_cast<float>(event->x), static_cast<float>(event->y)};
        std::optional<Quad> done;
        {
            std::lock_guard lock(dragMutex_);
            if (!up) {
                if (dragTheme_ && !dragTheme_->layers.empty()) {
                    if (auto quad = dragTheme_->layers.front().placement()) {
                        drag_.press(*quad, at);
                    }
                }
                return;
            }
            done = drag_.release();
        }
        if (done) {
            saveCorners(quadText(*done));
        }
    }

    void mouseMove(const obs_mouse_event *event, bool leave) {
        std::lock_guard lock(dragMutex_);
        if (leave || !drag_.active()) {
            return;
        }
        dragQuad_ = drag_.move({static_cast<float>(event->x), static_cast<float>(event->y)});
    }

    /// Once the Vulkan device is made (on a thread of its own): whether this source draws
    /// straight from Vulkan's memory. Until then it asks for no frame (nothing waits).
    bool drawingDecided() {
        if (drawingDecided_) {
            return true;
        }
        if (!state().vulkanReady()) {
            return false;
        }
        drawingDecided_ = true;
        std::string unavailable = state().zeroCopyUnavailable();
        const bool share = unavailable.empty();
        {
            std::lock_guard lock(pathMutex_);
            zeroCopyUnavailable_ = std::move(unavailable);
        }
        worker_.shareImages(share);
        CUECARD_LOG(LOG_INFO, "source '%s' draws %s", obs_source_get_name(source_),
                    drawingPath().c_str());
        return true;
    }

    void tick() {
        if (!drawingDecided()) {
            return;
        }
        applyLoaded();
        std::optional<Quad> dragged;
        std::shared_ptr<const Theme> base;
        {
            std::lock_guard lock(dragMutex_);
            dragged = std::exchange(dragQuad_, std::nullopt);
            base = dragTheme_;
        }
        if (dragged && base) {
            // While a corner is dragged: the theme with the corners so far, rendered again.
            Theme moved = *base;
            if (moved.placeFirstGroup(*dragged)) {
                presenter_.setTheme(std::make_shared<const Theme>(std::move(moved)));
            }
        }
        const std::uint64_t frameTime = obs_get_video_frame_time();
        presenter_.tick(frameTime);
        refreshStatus(frameTime);
        if (std::string why = presenter_.takeSharingStopped(); !why.empty()) {
            stopZeroCopy(why);
        }
        if (presenter_.takeFrameErrorChanged() && !presenter_.frameError().empty()) {
            CUECARD_LOG(LOG_WARNING, "%s", presenter_.frameError().c_str());
        }
    }

    void render() {
        gl_->collect();
        if (const OverlayFrame *frame = presenter_.frameToPresent()) {
            const auto start = std::chrono::steady_clock::now();
            presenter_.presented(present(*frame));
            const long long ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now() - start)
                                     .count();
            (firstFrameNs_ == 0 ? firstFrameNs_ : switchNs_) += ns;
            zeroCopyFrames_ = presenter_.sharedFramesShown();
            readbackFrames_ = presenter_.uploadedFramesShown();
        }
        if (auto d = presenter_.draw()) {
            drawFrame(*d);
        }
    }

    obs_source_t *source() const { return source_; }
    std::vector<std::string> themeNames() const { return loader_.builtinNames(); }

  private:
    /// Puts a finished frame on screen: imports the shared image, or uploads the pixels.
    bool present(const OverlayFrame &frame) {
        if (frame.sharedSlot >= 0) {
            if (Status s = gl_->show(*frame.sharedSet, frame.sharedSlot); !s) {
                // Fall back to readback for good; the presenter renders this recipient again.
                stopZeroCopy(s.message());
                return false;
            }
            return true;
        }
        gl_->retireShown(); // from here on the uploaded texture is on screen
        const Image &img = frame.image;
        if (img.width <= 0) {
            return true; // an error frame: the presenter shows nothing
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
        return true;
    }

    void drawFrame(const SourcePresenter::Draw &d) {
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

    /// Checks `text` as corners for this source's theme; saves them (update() applies them).
    std::string setQuad(const std::string &text) {
        std::string why;
        auto quad = parseQuadText(text, &why);
        if (!quad) {
            return "corners \"" + text + "\": " + why;
        }
        if (const auto l = loader_.latest(); l && l->theme && l->theme->layers.empty()) {
            const auto &theme = l->theme;
            return "theme " + theme->name +
                   " has no group to place: corners apply to a theme's "
                   "first \"group\"";
        }
        saveCorners(quadText(*quad));
        return "";
    }

    /// Saves corners for the theme the source uses now (saved with the scene collection; kept
    /// for that theme when the source switches to another and back).
    void saveCorners(const std::string &corners) {
        const auto loaded = loader_.latest();
        OBSDataAutoRelease current = obs_source_get_settings(source_);
        OBSDataAutoRelease settings = obs_data_create();
        setCorners(settings, loaded ? loaded->themeName : themeOf(current), corners, current);
        obs_source_update(source_, settings);
    }

    static void setQuadProc(void *data, calldata_t *cd) {
        const std::string error = guarded("cuecard_set_quad", [&] {
            return static_cast<OverlaySource *>(data)->setQuad(calldata_string(cd, "quad"));
        });
        calldata_set_bool(cd, "ok", error.empty());
        calldata_set_string(cd, "error", error.c_str());
    }

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
            CUECARD_LOG(LOG_ERROR, "cuecard_drawing failed");
        }
    }

    void stopZeroCopy(const std::string &why) {
        {
            std::lock_guard lock(pathMutex_);
            if (!zeroCopyUnavailable_.empty()) {
                return;
            }
            zeroCopyUnavailable_ = why;
        }
        worker_.stopSharing(why);
        CUECARD_LOG(LOG_WARNING, "source '%s' now draws %s", obs_source_get_name(source_),
                    drawingPath().c_str());
    }

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
        bool tried = false;
        void readSource() {
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
        bool load() {
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
                effect = source.empty()
                             ? nullptr
                             : gs_effect_create(source.c_str(), "overlay.effect", &error);
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
    };

    obs_source_t *source_;
    std::mutex dragMutex_; ///< the Interact window's drag (UI thread) and tick (graphics)
    CornerDrag drag_;
    std::shared_ptr<const Theme> dragTheme_; ///< the theme as update() set it
    std::optional<Quad> dragQuad_;           ///< dragged corners not applied yet
    PicturePrefetcher pictures_;             ///< before the presenter, which asks it
    std::size_t loggedProblems_ = 0;         ///< on the prefetcher's thread only
    OverlayWorker worker_;
    SourcePresenter presenter_;
    std::optional<GlSharedImages> gl_; ///< reset inside obs_enter_graphics on destroy
    gs_texture_t *texture_ = nullptr;  ///< readback path: the band, uploaded
    Effect effect_;
    mutable std::mutex pathMutex_; // zeroCopyUnavailable_ is read by the proc handler's caller
    std::string zeroCopyUnavailable_ = "not decided";
    bool drawingDecided_ = false; ///< on the graphics thread only
    std::atomic<long long> zeroCopyFrames_{0};
    std::atomic<long long> readbackFrames_{0};
    // Graphics-thread time putting new frames on screen: the first one, and all later ones.
    std::atomic<long long> firstFrameNs_{0};
    std::atomic<long long> switchNs_{0};
    std::uint64_t statusCheckedNs_ = 0; ///< on the graphics thread only
    std::string statusShown_;           ///< on the graphics thread only
    std::string openedQueue_;           ///< on the loader's thread only
    std::string loggedError_;           ///< on the loader's thread only
    /// Last: its thread starts once everything above exists, and it is joined first.
    ThemeLoader loader_{state().dataDirs(), [this](const LoadedTheme &l) { loaded(l); }};
};

OverlaySource *self(void *data) {
    return static_cast<OverlaySource *>(data);
}

/// The dialog's theme changed (or the dialog opened): its corners field shows that theme's own
/// corners, the ones kept for it (corners belong to a theme).
bool themeChosen(obs_properties_t *, obs_property_t *, obs_data_t *settings) {
    return guarded("theme chosen", [&] {
        const std::string theme = themeOf(settings);
        if (theme == obs_data_get_string(settings, "quad_theme")) {
            return false;
        }
        setCorners(settings, theme, cornersIn(settings), settings);
        return true;
    });
}

/// Corners typed in the dialog belong to the theme chosen there.
bool cornersTyped(obs_properties_t *, obs_property_t *, obs_data_t *settings) {
    return guarded("corners typed", [&] {
        const std::string corners = obs_data_get_string(settings, "quad");
        setCorners(settings, themeOf(settings), corners, settings);
        return false;
    });
}

bool themeFilePicked(obs_properties_t *, obs_property_t *, obs_data_t *settings) {
    return guarded("theme file", [&] {
        const char *file = obs_data_get_string(settings, "theme_file");
        if (file != nullptr && *file != '\0') {
            obs_data_set_string(settings, "theme", file);
        }
        return true;
    });
}

// The obs_source_info callbacks: each forwards to the source and catches everything.

const char *getName(void *) {
    return obs_module_text("Cuecard.Overlay");
}

void *create(obs_data_t *settings, obs_source_t *source) {
    return guarded("create", [&]() -> void * { return new OverlaySource(settings, source); });
}

void destroy(void *data) {
    guarded("destroy", [&] { delete self(data); });
}

void update(void *data, obs_data_t *settings) {
    guarded("update", [&] { self(data)->update(settings); });
}

void getDefaults(obs_data_t *settings) {
    obs_data_set_default_string(settings, "theme", "default");
}

obs_properties_t *getProperties(void *data) {
    obs_properties_t *props = obs_properties_create();
    guarded("properties", [&] {
        // What is going on, first: the rep opens the dialog to find out.
        if (data != nullptr) {
            OBSDataAutoRelease settings = obs_source_get_settings(self(data)->source());
            obs_data_set_string(settings, "status", self(data)->status().c_str());
        }
        obs_properties_add_text(props, "status", obs_module_text("Cuecard.Status"), OBS_TEXT_INFO);
        obs_property_t *queue =
            obs_properties_add_path(props, "queue_path", obs_module_text("Cuecard.Queue"),
                                    OBS_PATH_FILE, obs_module_text("Cuecard.QueueFilter"), nullptr);
        obs_property_set_long_description(queue, obs_module_text("Cuecard.Queue.Help"));
        obs_property_t *list =
            obs_properties_add_list(props, "theme", obs_module_text("Cuecard.Theme"),
                                    OBS_COMBO_TYPE_EDITABLE, OBS_COMBO_FORMAT_STRING);
        // Listed by the source's loader on its own thread: the UI thread never reads a folder.
        for (const auto &name :
             data != nullptr ? self(data)->themeNames() : std::vector<std::string>{}) {
            obs_property_list_add_string(list, name.c_str(), name.c_str());
        }
        obs_property_t *file =
            obs_properties_add_path(props, "theme_file", obs_module_text("Cuecard.ThemeFile"),
                                    OBS_PATH_FILE, obs_module_text("Cuecard.ThemeFilter"), nullptr);
        obs_property_set_long_description(file, obs_module_text("Cuecard.ThemeFile.Help"));
        obs_property_set_modified_callback(file, themeFilePicked);
        obs_property_set_modified_callback(list, themeChosen);
        obs_property_t *quad = obs_properties_add_text(
            props, "quad", obs_module_text("Cuecard.Quad"), OBS_TEXT_DEFAULT);
        obs_property_set_long_description(quad, obs_module_text("Cuecard.Quad.Help"));
        obs_property_set_modified_callback(quad, cornersTyped);
    });
    return props;
}

std::uint32_t getWidth(void *data) {
    return guarded("width", [&] { return self(data)->width(); });
}

std::uint32_t getHeight(void *data) {
    return guarded("height", [&] { return self(data)->height(); });
}

void videoTick(void *data, float) {
    guarded("tick", [&] { self(data)->tick(); });
}

void mouseClick(void *data, const obs_mouse_event *event, std::int32_t type, bool up,
                std::uint32_t) {
    guarded("mouse click", [&] { self(data)->mouseClick(event, type, up); });
}

void mouseMove(void *data, const obs_mouse_event *event, bool leave) {
    guarded("mouse move", [&] { self(data)->mouseMove(event, leave); });
}

void videoRender(void *data, gs_effect_t *) {
    guarded("render", [&] { self(data)->render(); });
}

} // namespace

obs_source_info makeOverlaySourceInfo() {
    obs_source_info info{};
    info.id = kSourceId;
    info.type = OBS_SOURCE_TYPE_INPUT;
    info.output_flags = OBS_SOURCE_VIDEO | OBS_SOURCE_CUSTOM_DRAW | OBS_SOURCE_INTERACTION;
    info.icon_type = OBS_ICON_TYPE_TEXT;
    info.version = 0; // bump (kind becomes cuecard_overlay_vN) when defaults change
    info.get_name = getName;
    info.create = create;
    info.destroy = destroy;
    info.update = update;
    info.get_defaults = getDefaults;
    info.get_properties = getProperties;
    info.get_width = getWidth;
    info.get_height = getHeight;
    info.video_tick = videoTick;
    info.video_render = videoRender;
    info.mouse_click = mouseClick;
    info.mouse_move = mouseMove;
    return info;
}

} // namespace cuecard::obs
