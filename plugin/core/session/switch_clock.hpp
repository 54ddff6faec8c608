// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The frame-exact switch of every Cuecard source at once, as the session hub keeps it: which
/// generation (the hub's count of "show someone else") each source has ready, which one is on
/// screen, the frame a switch became visible on, and holding (OBS-recording mode hides the
/// overlay while OBS opens the next file). Frames come from whoever ticks: OBS's frame times, or
/// a CLI's synthetic clock that starts at 0. Not thread-safe: the hub calls it under its lock.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace cuecard {

class SwitchClock {
  public:
    using SourceId = std::uint64_t;

    /// A switch waits at most this long for a slow source; after it, that source shows nothing
    /// (never the previous recipient) until its frame is ready.
    static constexpr std::uint64_t kMaxSwitchWaitNs = 2'000'000'000ull;

    SourceId addSource();
    void removeSource(SourceId id);
    /// The source has the image for `generation` ready to show.
    void sourceReady(SourceId id, std::uint64_t generation);
    bool hasSources() const { return !ready_.empty(); }

    /// What a frame decided.
    struct Frame {
        std::uint64_t displayed = 0; ///< the generation to show on it
        bool switched = false;       ///< `displayed` became visible on this frame
        bool releaseHeld = false;    ///< a held switch has had its hidden frames (see holdSwitch)
    };
    /// Frame `frameTimeNs` wants `generation` shown. The first call of a frame decides; later
    /// calls of the same frame get the same answer. While held, nothing becomes visible.
    Frame tick(std::uint64_t frameTimeNs, std::uint64_t generation);
    std::uint64_t displayed() const { return displayed_; }

    /// Who the last switch that showed someone new showed (`id` from `queue`). Returns whether
    /// that is someone else than before (the same person rendered again is not a new take).
    bool show(const std::string &id, const std::string &queue);
    bool showing(const std::string &id, const std::string &queue) const {
        return id == shownId_ && queue == shownQueue_;
    }

    /// Holding: no switch becomes visible until released.
    void setHold(bool hold);
    bool held() const { return held_; }
    /// Every move to another recipient holds for `frames` frames first (0: never).
    void setHoldOnSwitch(int frames);
    /// A move happened while switches hold: hold now (before the generation changes, so no tick
    /// can flip in between); the tick that counts the last held frame says releaseHeld.
    void holdSwitch();

  private:
    SourceId nextId_ = 1;
    std::map<SourceId, std::uint64_t> ready_; ///< per source: newest generation it has ready
    std::uint64_t displayed_ = 0;
    std::optional<std::uint64_t> pendingSinceNs_; ///< when the switch waiting now was asked for
    std::optional<std::uint64_t> lastTickNs_;     ///< the frame decided last
    std::string shownId_;                         ///< recipient of the last published switch
    std::string shownQueue_;                      ///< and the queue they came from
    int holdFrames_ = 0;
    bool held_ = false;
    bool releaseDue_ = false; ///< a held switch waits for its frames
    std::uint64_t heldFrames_ = 0;
};

} // namespace cuecard
