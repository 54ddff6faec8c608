// SPDX-License-Identifier: GPL-2.0-or-later
// The cuecard_overlay source: thin glue. Settings go to the shared session hub and the source's
// OverlayWorker; video_tick takes finished frames and takes part in the frame-exact switch;
// video_render uploads a new frame only when it changed and draws it. Every callback catches
// everything: nothing here may take OBS down.
//
// Over 400 lines: one class holds a source's whole life (worker, presenter, painter, loader,
// corner drag, proc handlers), each member with the thread that owns it; the drawing is in
// overlay_painter.cpp, the dialog in overlay_properties.cpp, the status text in the core.

#include "obs/overlay_source.hpp"

#include "core/picture/picture_prefetcher.hpp"
#include "core/render/overlay_worker.hpp"
#include "core/stage/source_presenter.hpp"
#include "core/stage/source_status.hpp"
#include "core/theme/theme.hpp"
#include "core/theme/theme_loader.hpp"
#include "core/util/corner_drag.hpp"
#include "core/util/read_file.hpp"
#include "obs/log.hpp"
#include "obs/overlay_painter.hpp"
#include "obs/overlay_properties.hpp"
#include "obs/plugin_state.hpp"

#include <graphics/graphics.h>
#include <obs-frontend-api.h>
#include <obs-module.h>
#include <obs.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
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

class OverlaySource {
  public:
    OverlaySource(obs_data_t *settings, obs_source_t *source)
        : source_(source), worker_(state().vulkanFuture(), state().fontDirs()),
          presenter_(state().hub, worker_),
          painter_([this](std::uint64_t set, int slot) { worker_.releaseSharedImage(set, slot); }) {
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
        painter_.release();
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
        painter_.readEffect(); // once: the graphics thread makes the effect from this text
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

    /// The graphics thread (the presenter's state is its own): in the rep's words, who is on
    /// screen, how far the queue is, what is wrong and what to do.
    std::string status() const {
        SourceStatusFacts facts;
        facts.hub = state().hub.snapshot();
        if (const auto loaded = loader_.latest()) {
            facts.themeLoaded = true;
            facts.themeError = errorOf(*loaded);
            facts.theme = loaded->theme;
        }
        facts.frameError = presenter_.frameError();
        facts.pictureNotes = presenter_.pictureNotes();
        facts.noQueue = obs_module_text("Cuecard.Status.NoQueue");
        if (const std::string why = zeroCopyUnavailableNow(); why != "not decided") {
            facts.compatibilityReason = why;
        }
        return describeSource(facts);
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
        {
            std::lock_guard lock(statusMutex_);
            if (now == statusShown_) {
                return;
            }
            statusShown_ = std::move(now);
        }
        obs_source_update_properties(source_);
    }

    /// Any thread (the properties dialog's is the UI thread): the status as the graphics thread
    /// last made it, at most half a second ago.
    std::string shownStatus() const {
        std::lock_guard lock(statusMutex_);
        return statusShown_.empty() ? std::string("Loading the theme…") : statusShown_;
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
            dragQuad_.reset();
            dragMoved_ = false;
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
        if (auto quad = drag_.move({static_cast<float>(event->x), static_cast<float>(event->y)})) {
            dragQuad_ = quad;
            dragMoved_ = true;
        }
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
        // A pan is three draws with a moving window here, not a render per frame; the
        // variable keeps the old way for comparison (benchmarks).
        const char *pan = std::getenv("CUECARD_PAN_PATH");
        worker_.drawPans(pan == nullptr || std::string(pan) != "frames");
        // The same for a dragged corner: the group placed by uniforms, not a render per move.
        const char *drag = std::getenv("CUECARD_DRAG_PATH");
        dragLayers_ = drag == nullptr || std::string(drag) != "frames";
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
        bool fresh = false;
        std::shared_ptr<const Theme> base;
        {
            std::lock_guard lock(dragMutex_);
            dragged = dragQuad_;
            fresh = std::exchange(dragMoved_, false);
            base = dragTheme_;
        }
        // While a corner is dragged the group is drawn from layers rendered once, placed on the
        // corners so far; a theme that cannot be drawn so is rendered again with them.
        const bool drawnHere = dragLayers_ && presenter_.dragCorners(dragged);
        if (dragged && fresh && !drawnHere && base) {
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
        painter_.collect();
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
            painter_.draw(*d);
        }
    }

    obs_source_t *source() const { return source_; }
    std::vector<std::string> themeNames() const { return loader_.builtinNames(); }

  private:
    /// Puts a finished frame on screen; a shared image OpenGL could not import turns zero-copy
    /// off for good (the presenter renders this recipient again, read back).
    bool present(const OverlayFrame &frame) {
        if (Status s = painter_.present(frame); !s) {
            stopZeroCopy(s.message());
            return false;
        }
        return true;
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

    obs_source_t *source_;
    std::mutex dragMutex_; ///< the Interact window's drag (UI thread) and tick (graphics)
    CornerDrag drag_;
    std::shared_ptr<const Theme> dragTheme_; ///< the theme as update() set it
    std::optional<Quad> dragQuad_;           ///< the corners so far while one is held
    bool dragMoved_ = false;                 ///< dragQuad_ changed since the last tick
    bool dragLayers_ = true;                 ///< a drag is drawn from layers (graphics thread)
    PicturePrefetcher pictures_;             ///< before the presenter, which asks it
    std::size_t loggedProblems_ = 0;         ///< on the prefetcher's thread only
    OverlayWorker worker_;
    SourcePresenter presenter_;
    OverlayPainter painter_; ///< its OpenGL objects freed inside obs_enter_graphics on destroy
    mutable std::mutex pathMutex_; // zeroCopyUnavailable_ is read by the proc handler's caller
    std::string zeroCopyUnavailable_ = "not decided";
    bool drawingDecided_ = false; ///< on the graphics thread only
    std::atomic<long long> zeroCopyFrames_{0};
    std::atomic<long long> readbackFrames_{0};
    // Graphics-thread time putting new frames on screen: the first one, and all later ones.
    std::atomic<long long> firstFrameNs_{0};
    std::atomic<long long> switchNs_{0};
    std::uint64_t statusCheckedNs_ = 0; ///< on the graphics thread only
    mutable std::mutex statusMutex_;
    std::string statusShown_; ///< made on the graphics thread, read by the dialog
    std::string openedQueue_; ///< on the loader's thread only
    std::string loggedError_; ///< on the loader's thread only
    /// Last: its thread starts once everything above exists, and it is joined first.
    ThemeLoader loader_{state().dataDirs(), [this](const LoadedTheme &l) { loaded(l); }};
};

OverlaySource *self(void *data) {
    return static_cast<OverlaySource *>(data);
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

obs_properties_t *getProperties(void *data) {
    obs_properties_t *props = nullptr;
    guarded("properties", [&] {
        // What is going on, first: the rep opens the dialog to find out.
        if (data != nullptr) {
            OBSDataAutoRelease settings = obs_source_get_settings(self(data)->source());
            obs_data_set_string(settings, "status", self(data)->shownStatus().c_str());
        }
        // Listed by the source's loader on its own thread: the UI thread never reads a folder.
        props = overlayProperties(data != nullptr ? self(data)->themeNames()
                                                  : std::vector<std::string>{});
    });
    return props != nullptr ? props : obs_properties_create();
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
    info.get_defaults = overlayDefaults;
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
