// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/session/switch_clock.hpp"

namespace cuecard {

SwitchClock::SourceId SwitchClock::addSource() {
    const SourceId id = nextId_++;
    ready_[id] = 0;
    return id;
}

void SwitchClock::removeSource(SourceId id) {
    ready_.erase(id);
}

void SwitchClock::sourceReady(SourceId id, std::uint64_t generation) {
    auto it = ready_.find(id);
    if (it != ready_.end() && generation > it->second) {
        it->second = generation;
    }
}

SwitchClock::Frame SwitchClock::tick(std::uint64_t frameTimeNs, std::uint64_t generation) {
    Frame f;
    if (lastTickNs_ == frameTimeNs) {
        f.displayed = displayed_; // already decided for this frame
        return f;
    }
    lastTickNs_ = frameTimeNs;
    if (held_) {
        ++heldFrames_; // no switch becomes visible while held
        if (releaseDue_ && heldFrames_ >= static_cast<std::uint64_t>(holdFrames_)) {
            releaseDue_ = false; // enough hidden frames went out: the held switch may go on
            f.releaseHeld = true;
        }
    } else if (displayed_ == generation) {
        pendingSinceNs_.reset();
    } else {
        if (!pendingSinceNs_) {
            pendingSinceNs_ = frameTimeNs;
        }
        bool allReady = true;
        for (const auto &[id, gen] : ready_) {
            (void)id;
            allReady = allReady && gen >= generation;
        }
        if (allReady || frameTimeNs - *pendingSinceNs_ > kMaxSwitchWaitNs) {
            displayed_ = generation;
            pendingSinceNs_.reset();
            f.switched = true;
        }
    }
    f.displayed = displayed_;
    return f;
}

bool SwitchClock::show(const std::string &id, const std::string &queue) {
    if (showing(id, queue)) {
        return false;
    }
    shownId_ = id;
    shownQueue_ = queue;
    return true;
}

void SwitchClock::setHold(bool hold) {
    held_ = hold;
    heldFrames_ = 0;
    if (!hold) {
        releaseDue_ = false;
    }
}

void SwitchClock::setHoldOnSwitch(int frames) {
    holdFrames_ = frames;
    releaseDue_ = false;
}

void SwitchClock::holdSwitch() {
    held_ = true;
    heldFrames_ = 0;
    releaseDue_ = true;
}

} // namespace cuecard
