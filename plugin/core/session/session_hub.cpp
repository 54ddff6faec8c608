#include "core/session/session_hub.hpp"

#include <chrono>
#include <thread>

namespace cuecard {

Status SessionHub::openQueue(const std::filesystem::path &path) {
    {
        std::lock_guard lock(mutex_);
        if (session_ && path == queuePath_) {
            return Status::success();
        }
        Queue queue = readQueue(path);
        if (queue.recipients.empty()) {
            error_ = queue.fatalMessage();
            return makeError(error_);
        }
        const int errors = queue.count(Severity::Error);
        const int warnings = queue.count(Severity::Warning);
        session_ = std::make_unique<Session>(std::move(queue));
        watcher_ = std::make_unique<QueueWatcher>(path);
        queuePath_ = path;
        error_.clear();
        notice_ = "loaded " + std::to_string(session_->queue().recipients.size()) + " recipients";
        if (errors + warnings > 0) {
            notice_ += " (" + std::to_string(errors) + " row(s) skipped, " +
                       std::to_string(warnings) + " warning(s); run cuecard check)";
        }
        if (journal_) {
            notice_ = journal_->restore(*session_).message;
        }
        bumpLocked();
    }
    notify();
    return Status::success();
}

ResumeReport SessionHub::useJournal(const std::filesystem::path &folder,
                                    const FolderRecovery &recovery) {
    ResumeReport report;
    {
        std::lock_guard lock(mutex_);
        journal_ = std::make_unique<SessionJournal>(folder);
        if (session_) {
            const std::string before =
                session_->current() != nullptr ? session_->current()->id : std::string();
            report = resumeFromFolder(*session_, *journal_, recovery);
            notice_ = report.message;
            const std::string after =
                session_->current() != nullptr ? session_->current()->id : std::string();
            if (after != before) {
                bumpLocked(); // resumed elsewhere: show that recipient
            } else {
                persistLocked();
            }
        }
    }
    notify();
    return report;
}

HubSnapshot SessionHub::snapshot() const {
    std::lock_guard lock(mutex_);
    HubSnapshot s;
    s.queuePath = queuePath_.string();
    s.error = error_;
    s.notice = notice_;
    const bool held = held_ || (hiddenUntilShown_ && !currentOnScreenLocked());
    s.visible = visible_ && !held;
    s.held = held;
    s.generation = generation_;
    s.displayed = displayed_;
    if (session_) {
        s.loaded = true;
        s.columns = session_->queue().columns;
        if (const Recipient *r = session_->current()) {
            s.current = *r;
            s.state = session_->stateOf(*r);
            s.index = r->index;
        }
        if (const Recipient *n = session_->at(session_->cursor() + 1)) {
            s.next = *n;
        }
        s.counts = session_->counts();
    }
    return s;
}

SessionHub::FrameState SessionHub::frameState() const {
    std::lock_guard lock(mutex_);
    FrameState f;
    f.generation = generation_;
    const bool held = held_ || (hiddenUntilShown_ && !currentOnScreenLocked());
    f.visible = visible_ && !held;
    f.held = held;
    f.hasCurrent = session_ && session_->current() != nullptr;
    return f;
}

std::optional<Recipient> SessionHub::currentRecipient() const {
    std::lock_guard lock(mutex_);
    if (!session_ || session_->current() == nullptr) {
        return std::nullopt;
    }
    return *session_->current();
}

std::optional<Recipient> SessionHub::nextRecipient() const {
    std::lock_guard lock(mutex_);
    if (!session_) {
        return std::nullopt;
    }
    const Recipient *n = session_->at(session_->cursor() + 1);
    return n != nullptr ? std::optional<Recipient>(*n) : std::nullopt;
}

void SessionHub::bumpLocked() {
    ++generation_;
    persistLocked();
}

void SessionHub::persistLocked() {
    if (journal_ && session_) {
        if (Status st = journal_->save(*session_); !st) {
            error_ = st.message();
        }
    }
}

void SessionHub::notify() {
    std::function<void()> cb;
    {
        std::lock_guard lock(mutex_);
        cb = onChange_;
    }
    if (cb) {
        cb();
    }
}

void SessionHub::setOnChange(std::function<void()> onChange) {
    std::lock_guard lock(mutex_);
    onChange_ = std::move(onChange);
}

template <class F> bool SessionHub::switchTo(F move) {
    bool ok = false;
    std::function<void()> afterHold;
    {
        std::lock_guard lock(mutex_);
        if (session_) {
            const int before = session_->cursor();
            ok = move(*session_);
            if (session_->cursor() != before) {
                if (afterHeldSwitch_) {
                    held_ = true; // before the bump: no tick can flip in between
                    heldFrames_ = 0;
                    afterHold = afterHeldSwitch_;
                }
                bumpLocked(); // another recipient: the sources render them
            } else {
                persistLocked();
            }
        }
    }
    notify();
    if (afterHold) {
        afterHold();
    }
    return ok;
}

bool SessionHub::next() {
    return switchTo([](Session &s) { return s.next(); });
}

bool SessionHub::previous() {
    return switchTo([](Session &s) { return s.previous(); });
}

bool SessionHub::jump(int index1Based) {
    return switchTo([&](Session &s) { return s.jumpTo(index1Based); });
}

bool SessionHub::jumpToId(const std::string &id) {
    return switchTo([&](Session &s) { return s.jumpToId(id); });
}

bool SessionHub::skip() {
    return switchTo([](Session &s) {
        s.skip();
        return true;
    });
}

bool SessionHub::markDone() {
    return switchTo([](Session &s) {
        s.markDone();
        return true;
    });
}

bool SessionHub::retake() {
    bool ok = false;
    {
        std::lock_guard lock(mutex_);
        if (session_) {
            session_->retake();
            persistLocked();
            ok = true;
        }
    }
    notify();
    return ok;
}

bool SessionHub::toggle() {
    bool visible = false;
    {
        std::lock_guard lock(mutex_);
        visible_ = !visible_;
        visible = visible_;
    }
    notify();
    return visible;
}

std::optional<ReloadReport> SessionHub::pollQueueFile() {
    std::optional<ReloadReport> report;
    {
        std::lock_guard lock(mutex_);
        if (!watcher_ || !session_) {
            return std::nullopt;
        }
        auto queue = watcher_->poll();
        if (!queue) {
            return std::nullopt;
        }
        report = session_->replaceQueue(std::move(*queue));
        if (report->applied) {
            error_.clear();
            notice_ = report->message;
            if (report->currentChanged) {
                bumpLocked();
            } else {
                persistLocked();
            }
        } else {
            error_ = report->message;
        }
    }
    notify();
    return report;
}

SessionHub::SourceId SessionHub::registerSource() {
    std::lock_guard lock(mutex_);
    const SourceId id = nextSourceId_++;
    ready_[id] = 0;
    return id;
}

void SessionHub::unregisterSource(SourceId id) {
    std::lock_guard lock(mutex_);
    ready_.erase(id);
}

void SessionHub::sourceReady(SourceId id, std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    auto it = ready_.find(id);
    if (it != ready_.end() && generation > it->second) {
        it->second = generation;
    }
}

std::uint64_t SessionHub::tick(std::uint64_t frameTimeNs) {
    std::optional<Boundary> published;
    std::optional<Recipient> onScreen;
    int take = 1;
    BoundaryFn callback;
    std::uint64_t displayed = 0;
    {
        std::lock_guard lock(mutex_);
        displayed = tickLocked(frameTimeNs, published);
        if (published) {
            hiddenUntilShown_ = false; // the current recipient is on screen from this frame
        }
        // A re-render of the same person (an edit, a resume) is not a new file.
        if (published && session_ && session_->current() != nullptr &&
            session_->current()->id != lastBoundaryId_) {
            onScreen = *session_->current();
            lastBoundaryId_ = onScreen->id;
            take = static_cast<int>(session_->progress(onScreen->id).takes.size()) + 1;
            callback = onBoundary_;
        }
    }
    if (callback && published && onScreen) {
        callback(*published, *onScreen, take);
    }
    return displayed;
}

std::uint64_t SessionHub::tickLocked(std::uint64_t frameTimeNs,
                                     std::optional<Boundary> &published) {
    if (frameTimeNs == lastTickNs_) {
        return displayed_; // already decided for this frame
    }
    if (held_) {
        lastTickNs_ = frameTimeNs;
        ++heldFrames_;
        return displayed_; // no switch becomes visible while held
    }
    lastTickNs_ = frameTimeNs;
    if (displayed_ == generation_) {
        pendingSinceNs_ = 0;
        return displayed_;
    }
    if (pendingSinceNs_ == 0) {
        pendingSinceNs_ = frameTimeNs;
    }
    bool allReady = true;
    for (const auto &[id, gen] : ready_) {
        (void)id;
        allReady = allReady && gen >= generation_;
    }
    if (allReady || frameTimeNs - pendingSinceNs_ > kMaxSwitchWaitNs) {
        displayed_ = generation_;
        pendingSinceNs_ = 0;
        Boundary b;
        b.frameTimeNs = frameTimeNs;
        b.generation = generation_;
        if (session_ && session_->current() != nullptr) {
            b.recipientId = session_->current()->id;
            b.index = session_->current()->index;
        }
        boundaries_.push_back(b);
        published = std::move(b);
    }
    return displayed_;
}

void SessionHub::setHold(bool hold) {
    {
        std::lock_guard lock(mutex_);
        held_ = hold;
        heldFrames_ = 0;
        // A release never reveals the previous recipient: until the switch to the current one
        // is on screen, the sources stay hidden.
        hiddenUntilShown_ = !hold && !currentOnScreenLocked();
    }
    notify();
}

bool SessionHub::waitForHeldFrames(int frames, int timeoutMs) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (!held_ || heldFrames_ >= static_cast<std::uint64_t>(frames)) {
                return held_;
            }
        }
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void SessionHub::setHoldOnSwitch(std::function<void()> afterHeldSwitch) {
    std::lock_guard lock(mutex_);
    afterHeldSwitch_ = std::move(afterHeldSwitch);
}

void SessionHub::setOnBoundary(BoundaryFn onBoundary) {
    std::lock_guard lock(mutex_);
    onBoundary_ = std::move(onBoundary);
}

bool SessionHub::currentOnScreenLocked() const {
    if (!session_ || session_->current() == nullptr) {
        return false;
    }
    // With no source at all nothing draws anyone, so no frame can show someone else.
    return ready_.empty() || session_->current()->id == lastBoundaryId_;
}

std::optional<std::pair<Recipient, int>> SessionHub::currentWithTakeLocked() const {
    if (!session_ || session_->current() == nullptr) {
        return std::nullopt;
    }
    const Recipient &r = *session_->current();
    return std::make_pair(r, static_cast<int>(session_->progress(r.id).takes.size()) + 1);
}

std::optional<std::pair<Recipient, int>> SessionHub::onScreenWithTake() const {
    std::lock_guard lock(mutex_);
    return currentOnScreenLocked() ? currentWithTakeLocked() : std::nullopt;
}

void SessionHub::hideUntilCurrentShown() {
    {
        std::lock_guard lock(mutex_);
        hiddenUntilShown_ = !currentOnScreenLocked();
    }
    notify();
}

std::optional<std::pair<Recipient, int>> SessionHub::currentWithTake() const {
    std::lock_guard lock(mutex_);
    return currentWithTakeLocked();
}

void SessionHub::recordTake(const std::string &recipientId, const std::string &file,
                            const std::string &startedAt, const std::string &endedAt) {
    {
        std::lock_guard lock(mutex_);
        if (!session_) {
            return;
        }
        // Record against that recipient without moving the rep's cursor.
        const int cursor = session_->cursor();
        if (session_->jumpToId(recipientId)) {
            session_->beginTake(file, startedAt);
            session_->endTake(endedAt);
            session_->jumpTo(cursor + 1);
        }
        persistLocked();
    }
    notify();
}

std::uint64_t SessionHub::displayedGeneration() const {
    std::lock_guard lock(mutex_);
    return displayed_;
}

std::vector<Boundary> SessionHub::boundaries() const {
    std::lock_guard lock(mutex_);
    return boundaries_;
}

} // namespace cuecard
