// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// What one overlay source does on each frame, decided without OBS or OpenGL: which recipient
/// to have rendered, when a finished frame goes on screen (only on the frame the hub publishes
/// the switch, for every source at once), when to show nothing rather than the previous person,
/// which shared image to give back, and the animation state to draw with. The OBS source is
/// callbacks that forward here (video_tick → tick, video_render → frameToPresent / presented /
/// draw); unit tests drive it with a fake clock and a fake frame supplier.
///
/// One thread at a time (OBS's graphics thread); the hub is shared and thread-safe.

#include "core/render/draw_list.hpp"
#include "core/render/frame_supplier.hpp"
#include "core/session/session_hub.hpp"
#include "core/theme/animation.hpp"
#include "core/theme/theme.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cuecard {

class SourcePresenter {
  public:
    /// Registers with `hub` as one of the sources a switch waits for.
    SourcePresenter(SessionHub &hub, FrameSupplier &frames);
    ~SourcePresenter();
    SourcePresenter(const SourcePresenter &) = delete;
    SourcePresenter &operator=(const SourcePresenter &) = delete;

    /// A new theme (or the same one reloaded): the current recipient is rendered again.
    void setTheme(std::shared_ptr<const Theme> theme);
    const std::shared_ptr<const Theme> &theme() const { return theme_; }

    /// Where the pictures of a recipient come from (a PicturePrefetcher's ready(), which never
    /// blocks), and who should be prepared next (its want()). Unset: no pictures.
    using PictureLookup =
        std::function<std::shared_ptr<const RecipientPictures>(const Recipient &)>;
    using PictureWant = std::function<void(const std::vector<Recipient> &)>;
    /// Prepare the whole queue's pictures in the background (a PicturePrefetcher's
    /// prepareAll): given a function that copies the queue, called when a queue is opened or
    /// reloaded and after a new theme.
    using PictureQueue = std::function<void(std::function<std::vector<Recipient>()>)>;
    void setPictures(PictureLookup lookup, PictureWant want, PictureQueue queue = nullptr) {
        pictureLookup_ = std::move(lookup);
        pictureWant_ = std::move(want);
        pictureQueue_ = std::move(queue);
    }
    /// The notes of the pictures of the last recipient asked for ("" when none).
    const std::vector<std::string> &pictureNotes() const { return pictureNotes_; }

    /// video_tick, with the frame's time (obs_get_video_frame_time): asks for renders, takes
    /// finished frames, tells the hub what is ready, and learns whether the switch is on this
    /// frame.
    void tick(std::uint64_t frameTimeNs);

    /// video_render, step 1: the frame that must go on screen on this frame (the switch is now),
    /// or nullptr when the screen keeps what it has.
    const OverlayFrame *frameToPresent() const;
    /// Step 2: that frame is on screen (`ok`), or its shared image could not be imported: then
    /// the image goes back, the recipient is rendered again (the caller stops sharing) and
    /// nothing is shown meanwhile, never an earlier recipient.
    void presented(bool ok);

    /// Step 3: how to draw this frame, or nullopt to draw nothing (hidden, held, blank while a
    /// late frame renders, an error frame, or an animation at its invisible end).
    struct Draw {
        AnimationFrame animation;
        PixelRect bounds;    ///< where the overlay sits on the canvas
        int sharedSlot = -1; ///< the shared image on screen, or -1: the uploaded texture
        /// A frame of PanLayers on screen: how far down its piece the window is on this frame
        /// (whole px); -1 otherwise.
        int panWindowY = -1;
        /// A frame of WarpLayers on screen: where its group is drawn on this frame (the
        /// corners being dragged, or the last ones dragged); unset otherwise.
        std::optional<WarpPlacement> warp;
    };
    std::optional<Draw> draw() const;

    /// Before tick, on every frame: the corners of the theme's first group while the rep drags
    /// one in OBS's Interact window (theme canvas px), nullopt when no corner is held. Asks once
    /// for the recipient on screen as WarpLayers, and from then on draw() places the group on
    /// the corners so far: a drag costs no render. Returns false when this theme cannot be
    /// drawn that way (no group, a pan, or the worker said why not): the caller then renders
    /// the theme with the new corners, as before. Once let go, the last corners stay on screen
    /// until a frame rendered with them replaces the layers.
    bool dragCorners(const std::optional<Quad> &corners);

    /// Set once, on the tick whose frame said the worker stopped sharing images, and why.
    std::string takeSharingStopped();
    /// The last finished frame's error ("" when it rendered); `changed` once per new message.
    const std::string &frameError() const { return frameError_; }
    bool takeFrameErrorChanged();

    /// Frames put on screen through each path (the first one, then every switch).
    long long sharedFramesShown() const { return sharedShown_; }
    long long uploadedFramesShown() const { return uploadedShown_; }

  private:
    bool isOnScreen(const OverlayFrame &frame) const;
    /// A theme that pans: asks for the next pan frame of the recipient on screen once the last
    /// one is in (one in flight at a time, so a slow renderer skips steps rather than queueing).
    void requestPanFrame(const SessionHub::FrameState &hub, std::uint64_t frameTimeNs);

    SessionHub &hub_;
    FrameSupplier &frames_;
    SessionHub::SourceId hubId_;
    std::shared_ptr<const Theme> theme_;
    PictureLookup pictureLookup_;
    PictureWant pictureWant_;
    PictureQueue pictureQueue_;
    std::uint64_t picturesQueueVersion_ = 0; ///< the queue prepareAll was asked for
    std::vector<std::string> pictureNotes_;
    /// Rendered with stand-in pictures for this generation: render again once they are ready.
    std::uint64_t picturesPendingGen_ = 0;
    std::optional<OverlayFrame> ready_; ///< the newest finished frame (on screen or next)
    std::uint64_t requested_ = 0;       ///< generation asked of the supplier
    std::uint64_t shown_ = 0;           ///< generation on screen
    bool presentPending_ = false;       ///< ready_ goes on screen on this frame
    bool blank_ = false;                ///< nothing on screen (late frame, error, failed import)
    bool everShown_ = false;
    bool visible_ = true;
    bool held_ = false;
    bool appearing_ = true;
    std::uint64_t animStartNs_ = 0;
    std::uint64_t panStartNs_ = 0; ///< when the recipient on screen was first shown
    bool panInFlight_ = false;     ///< a pan frame is being rendered
    bool panDone_ = false;         ///< the pan reached its end for this generation
    /// The frame on screen is PanLayers: the receiver moves the window, no pan frame is asked.
    bool panDrawn_ = false;
    int panTravel_ = 0;
    float panDuration_ = 0.0f;
    /// The corners of the group's drag: the rep's last ones (kept after they let go).
    std::optional<Quad> dragged_;
    std::uint64_t warpRequested_ = 0; ///< the generation whose WarpLayers were asked for
    std::uint64_t warpRefused_ = 0;   ///< the generation the worker could not draw so
    /// The frame on screen is WarpLayers: the receiver places the group, no render per move.
    bool warpDrawn_ = false;
    /// What draw() needs of them: the group's size, what lies under and over it, the canvas.
    WarpGeometry warpShape_;
    std::optional<WarpPlacement> warpPlacement_; ///< the last usable corners' placement
    void updateWarpPlacement();                  ///< from dragged_ (or the layers' own corners)
    bool updatePending_ = false; ///< a pan frame was taken: present it on this frame
    bool presentingUpdate_ = false;
    std::uint64_t frameTimeNs_ = 0;
    PixelRect bounds_;
    std::uint64_t shownSet_ = 0;
    int shownSlot_ = -1;
    std::string sharingStopped_;
    std::string frameError_;
    bool frameErrorChanged_ = false;
    long long sharedShown_ = 0;
    long long uploadedShown_ = 0;
};

} // namespace cuecard
