// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/stage/source_presenter.hpp"

#include <cmath>

namespace cuecard {

SourcePresenter::SourcePresenter(SessionHub &hub, FrameSupplier &frames)
    : hub_(hub), frames_(frames), hubId_(hub.registerSource()) {}

SourcePresenter::~SourcePresenter() {
    hub_.unregisterSource(hubId_);
}

void SourcePresenter::setTheme(std::shared_ptr<const Theme> theme) {
    theme_ = std::move(theme);
    requested_ = 0;
    picturesQueueVersion_ = 0; // the prefetcher starts afresh with a new theme
}

void SourcePresenter::tick(std::uint64_t frameTimeNs) {
    const SessionHub::FrameState hub = hub_.frameState();
    if (pictureQueue_ && hub.queueVersion != 0 && hub.queueVersion != picturesQueueVersion_) {
        picturesQueueVersion_ = hub.queueVersion;
        SessionHub *sessions = &hub_;
        pictureQueue_([sessions] { return sessions->recipients(); }); // copied on its thread
    }
    if (picturesPendingGen_ != 0) {
        // Rendered with the theme's stand-ins: once the recipient's own pictures are ready, all
        // sources render them again (the same person: no new file).
        if (hub.generation != picturesPendingGen_) {
            picturesPendingGen_ = 0;
        } else if (auto current = hub_.currentRecipient(); current && pictureLookup_) {
            if (auto p = pictureLookup_(*current); !p || p->complete) {
                picturesPendingGen_ = 0;
                hub_.rerender();
            }
        }
    }
    if (theme_ && hub.hasCurrent && hub.generation != requested_) {
        // Copy the recipient only when there is something new to render.
        auto current = hub_.currentRecipient();
        auto next = hub_.nextRecipient();
        if (pictureWant_ && current) {
            // Their pictures first, then the next person's, on the prefetcher's thread.
            std::vector<Recipient> wanted{*current};
            if (next) {
                wanted.push_back(*next);
            }
            pictureWant_(wanted);
        }
        if (current) {
            std::shared_ptr<const RecipientPictures> pictures;
            if (pictureLookup_) {
                pictures = pictureLookup_(*current); // what is ready now; never waits
                pictureNotes_ = pictures ? pictures->notes : std::vector<std::string>{};
                picturesPendingGen_ = pictures && !pictures->complete ? hub.generation : 0;
            }
            // The same person again (a new theme, new corners, zero-copy given up): shown as
            // soon as it is rendered, with no switch, their pan carrying on where it is.
            const bool again = everShown_ && hub.generation == shown_;
            const double panSeconds =
                again ? static_cast<double>(frameTimeNs - panStartNs_) / 1'000'000'000.0 : 0.0;
            frames_.request(theme_, std::move(*current), theme_->width, theme_->height,
                            hub.generation, std::move(pictures), panSeconds, again);
        }
        // Prepare the next person's glyphs in the background: their switch then never waits
        // on FreeType.
        if (next) {
            std::shared_ptr<const RecipientPictures> nextPictures =
                pictureLookup_ ? pictureLookup_(*next) : nullptr;
            frames_.prepare(theme_, std::move(*next), theme_->width, theme_->height,
                            std::move(nextPictures));
        }
        requested_ = hub.generation;
        panInFlight_ = false;
        panDone_ = false;
    } else if (!hub.hasCurrent || !theme_) {
        hub_.sourceReady(hubId_, hub.generation); // nothing to render: never block a switch
    }
    if (auto frame = frames_.take(ready_ ? ready_->generation : 0)) {
        if (!frame->sharingStopped.empty()) {
            sharingStopped_ = frame->sharingStopped;
        }
        if (ready_ && ready_->sharedSlot >= 0 && !isOnScreen(*ready_)) {
            // Replaced before it was ever drawn: OpenGL never touched it.
            frames_.releaseSharedImage(ready_->sharedSet->id, ready_->sharedSlot);
        }
        frameErrorChanged_ = frameErrorChanged_ || frame->error != frameError_;
        frameError_ = frame->error;
        hub_.sourceReady(hubId_, frame->generation);
        if (frame->update && !frame->warpRefused.empty()) {
            warpRefused_ = frame->generation; // dragged as before: rendered per move
        }
        if (frame->update) {
            panInFlight_ = false;
            // The next frame of a pan for the recipient on screen: shown at once, no switch.
            updatePending_ = frame->generation == shown_ && shown_ == hub.generation;
        }
        ready_ = std::move(frame);
    }
    requestPanFrame(hub, frameTimeNs);
    const std::uint64_t displayed = hub_.tick(frameTimeNs);
    if (ready_ && ready_->generation == displayed && displayed != shown_) {
        presentPending_ = true;
        updatePending_ = false;
    }
    if (displayed != shown_ && !presentPending_) {
        // The switch happened but this source's frame is late: show nothing rather than the
        // previous recipient.
        blank_ = true;
    }
    // Visibility and animations (a hold is not animated).
    if (hub.visible != visible_ && !hub.held && !held_) {
        visible_ = hub.visible;
        animStartNs_ = frameTimeNs;
        appearing_ = visible_;
    }
    if (presentPending_ && visible_) {
        animStartNs_ = frameTimeNs; // each new recipient animates in
        appearing_ = true;
    }
    if (updatePending_) {
        presentPending_ = true; // a pan step: not a new recipient, no animation
        updatePending_ = false;
        presentingUpdate_ = true;
    }
    frameTimeNs_ = frameTimeNs;
    held_ = hub.held;
}

void SourcePresenter::requestPanFrame(const SessionHub::FrameState &hub,
                                      std::uint64_t frameTimeNs) {
    const double duration = theme_ ? static_cast<double>(theme_->longestPan()) : 0.0;
    if (duration <= 0.0 || panInFlight_ || panDone_ || panDrawn_ || !everShown_ || blank_ ||
        shown_ != hub.generation || requested_ != hub.generation || presentPending_) {
        return;
    }
    auto current = hub_.currentRecipient();
    if (!current) {
        return;
    }
    // Where the pan is on this frame; the last step lands exactly on its end.
    double seconds = static_cast<double>(frameTimeNs - panStartNs_) / 1'000'000'000.0;
    if (seconds >= duration) {
        seconds = duration;
        panDone_ = true;
    }
    std::shared_ptr<const RecipientPictures> pictures;
    if (pictureLookup_) {
        pictures = pictureLookup_(*current);
    }
    frames_.request(theme_, std::move(*current), theme_->width, theme_->height, hub.generation,
                    std::move(pictures), seconds, true);
    panInFlight_ = true;
}

const OverlayFrame *SourcePresenter::frameToPresent() const {
    return presentPending_ && ready_ ? &*ready_ : nullptr;
}

void SourcePresenter::presented(bool ok) {
    if (!presentPending_ || !ready_) {
        return;
    }
    presentPending_ = false;
    const bool update = std::exchange(presentingUpdate_, false);
    if (!ok) {
        // The shared image could not be imported: give it back, render this recipient again
        // (the caller has stopped sharing), and show nothing meanwhile.
        if (ready_->sharedSlot >= 0) {
            frames_.releaseSharedImage(ready_->sharedSet->id, ready_->sharedSlot);
        }
        ready_.reset();
        requested_ = 0;
        blank_ = true;
        shownSlot_ = -1;
        return;
    }
    if (ready_->sharedSlot >= 0) {
        shownSet_ = ready_->sharedSet->id;
        shownSlot_ = ready_->sharedSlot;
        blank_ = false;
        ++sharedShown_;
    } else {
        shownSlot_ = -1;
        // An error frame: nothing rather than something wrong.
        blank_ = ready_->image.width <= 0 && !ready_->pan && !ready_->warp;
        uploadedShown_ += blank_ ? 0 : 1;
        ready_->image = Image{}; // the pixels live in the caller's texture now
    }
    panDrawn_ = ready_->pan != nullptr;
    if (panDrawn_) {
        panTravel_ = ready_->pan->travel();
        panDuration_ = ready_->pan->duration;
        ready_->pan.reset(); // in the caller's textures now
    }
    warpDrawn_ = ready_->warp != nullptr;
    if (warpDrawn_) {
        // The pictures are in the caller's textures now; only the geometry is kept.
        warpShape_ = static_cast<const WarpGeometry &>(*ready_->warp);
        ready_->warp.reset();
        warpPlacement_.reset();
        updateWarpPlacement();
    } else {
        warpRequested_ = 0; // a later drag asks again
    }
    everShown_ = everShown_ || !blank_;
    bounds_ = ready_->bounds;
    shown_ = ready_->generation;
    if (!update) {
        panStartNs_ = frameTimeNs_; // a new recipient: their pans start from the top
    }
}

std::optional<SourcePresenter::Draw> SourcePresenter::draw() const {
    if (!everShown_ || blank_ || !theme_ || held_) {
        return std::nullopt; // held: hidden at once, no fade that could straddle a file split
    }
    const double seconds = static_cast<double>(frameTimeNs_ - animStartNs_) / 1'000'000'000.0;
    const AnimationKind kind = appearing_ ? theme_->animation.in : theme_->animation.out;
    Draw d;
    d.animation = animationAt(kind, theme_->animation.duration, seconds, appearing_,
                              static_cast<float>(theme_->height) * 0.06f);
    if (d.animation.opacity <= 0.0f || d.animation.reveal <= 0.0f) {
        return std::nullopt;
    }
    d.bounds = bounds_;
    d.sharedSlot = shownSlot_;
    if (warpDrawn_ && warpPlacement_) {
        d.warp = warpPlacement_;
        d.bounds = warpShape_.bounds(*warpPlacement_);
    }
    if (panDrawn_) {
        const double onScreen = static_cast<double>(frameTimeNs_ - panStartNs_) / 1'000'000'000.0;
        d.panWindowY =
            static_cast<int>(std::lround(panWindowY(panTravel_, panDuration_, onScreen)));
    }
    return d;
}

bool SourcePresenter::dragCorners(const std::optional<Quad> &corners) {
    if (!corners) {
        return true; // let go: the last corners stay until a frame rendered with them comes
    }
    dragged_ = corners;
    if (warpDrawn_) {
        updateWarpPlacement();
        return true;
    }
    if (!theme_ || theme_->layers.empty() || !theme_->layers.front().placement() ||
        theme_->longestPan() > 0.0f || (warpRefused_ != 0 && warpRefused_ == shown_)) {
        return false;
    }
    const SessionHub::FrameState hub = hub_.frameState();
    if (warpRequested_ == hub.generation || !everShown_ || blank_ || shown_ != hub.generation ||
        requested_ != hub.generation || presentPending_) {
        return true; // on their way, or asked for once this recipient is on screen
    }
    auto current = hub_.currentRecipient();
    if (!current) {
        return true;
    }
    std::shared_ptr<const RecipientPictures> pictures;
    if (pictureLookup_) {
        pictures = pictureLookup_(*current);
    }
    frames_.requestWarpLayers(theme_, std::move(*current), theme_->width, theme_->height,
                              hub.generation, std::move(pictures));
    warpRequested_ = hub.generation;
    return true;
}

void SourcePresenter::updateWarpPlacement() {
    if (auto p = warpShape_.place(dragged_ ? *dragged_ : warpShape_.corners)) {
        warpPlacement_ = p; // unusable corners: the group stays where it last was
    }
}

std::string SourcePresenter::takeSharingStopped() {
    return std::exchange(sharingStopped_, std::string());
}

bool SourcePresenter::takeFrameErrorChanged() {
    return std::exchange(frameErrorChanged_, false);
}

bool SourcePresenter::isOnScreen(const OverlayFrame &frame) const {
    return frame.sharedSlot == shownSlot_ && frame.sharedSet && frame.sharedSet->id == shownSet_;
}

} // namespace cuecard
