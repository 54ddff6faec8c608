// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/session/session_hub.hpp"
// Over 400 lines: the hub is the one place where the queue, the cursor, the journal and the
// switch meet under one lock; the switch itself is SwitchClock, resuming is folder_recovery and
// session_journal, the dock's rows queue_list.

#include "core/util/atomic_file.hpp"

namespace cuecard {
namespace {

/// A queue's errors and warnings as `cuecard check` prints them; null when it has none.
std::shared_ptr<const QueueProblems> problemsOf(const Queue &queue) {
    auto problems = std::make_shared<QueueProblems>();
    for (const Diagnostic &d : queue.diagnostics) {
        if (d.severity == Severity::Error || d.severity == Severity::Warning) {
            problems->lines.push_back(d.format());
        }
        if (d.severity == Severity::Error) {
            if (problems->rowsSkipped++ == 0) {
                problems->firstSkipped = problems->lines.back();
            }
        }
    }
    return problems->lines.empty() ? nullptr : problems;
}

} // namespace

HubIo HubIo::real() {
    HubIo io;
    io.readQueue = [](const std::filesystem::path &path) { return cuecard::readQueue(path); };
    io.writeFile = [](const std::filesystem::path &path, std::string_view text) {
        return writeFileAtomically(path, text);
    };
    return io;
}

SessionHub::SessionHub(HubIo io) : io_(std::move(io)) {}

SessionHub::~SessionHub() {
    ioThread_.drain(); // the last journal state reaches the disk
}

Status SessionHub::openQueue(const std::filesystem::path &path) {
    std::uint64_t seq = 0;
    {
        std::lock_guard lock(mutex_);
        seq = ++requestSeq_;
        providedLabel_.clear();
        providedLoading_ = false;
    }
    return openQueueAs(path, seq);
}

Status SessionHub::openQueueAs(const std::filesystem::path &path, std::uint64_t seq) {
    std::optional<SessionJournal> journal;
    {
        std::lock_guard lock(mutex_);
        if (session_ && path == queuePath_) {
            return Status::success();
        }
        if (journal_) {
            journal = *journal_;
        }
    }
    // Everything that reads the disk happens here, before the lock.
    Queue queue = io_.readQueue(path);
    if (queue.recipients.empty()) {
        std::lock_guard lock(mutex_);
        if (seq != requestSeq_) {
            return Status::success(); // another queue was asked for meanwhile
        }
        error_ = queue.fatalMessage();
        return makeError(error_);
    }
    const int errors = queue.count(Severity::Error);
    const int warnings = queue.count(Severity::Warning);
    auto problems = problemsOf(queue);
    auto session = std::make_unique<Session>(std::move(queue));
    auto watcher = std::make_shared<QueueWatcher>(path);
    std::string notice =
        "loaded " + std::to_string(session->queue().recipients.size()) + " recipients";
    const std::string skipped =
        errors + warnings > 0 ? " (" + std::to_string(errors) + " row(s) skipped, " +
                                    std::to_string(warnings) + " warning(s): see the problems)"
                              : std::string();
    if (journal) {
        ResumeReport report = journal->apply(*session, journal->read());
        journal->setAsideIfAsked(report);
        notice = report.message; // a resume says where it resumed; the skipped rows still count
    }
    notice += skipped;
    {
        std::lock_guard lock(mutex_);
        if (seq != requestSeq_) {
            return Status::success(); // another queue was asked for meanwhile
        }
        session_ = std::move(session);
        watcher_ = std::move(watcher);
        queuePath_ = path;
        error_.clear();
        notice_ = std::move(notice);
        problems_ = std::move(problems);
        repChose_ = false;
        ++queueVersion_;
        bumpLocked();
    }
    return Status::success();
}

void SessionHub::openQueueInBackground(const std::filesystem::path &path) {
    std::uint64_t seq = 0;
    {
        std::lock_guard lock(mutex_);
        if (session_ && path == queuePath_ && providedLabel_.empty()) {
            return;
        }
        seq = ++requestSeq_;
        providedLabel_.clear();
        providedLoading_ = false;
        ++loading_;
    }
    ioThread_.post([this, path, seq] {
        (void)openQueueAs(path, seq); // the result is in the snapshot
        std::lock_guard lock(mutex_);
        --loading_;
    });
}

void SessionHub::expectProvidedQueue(const std::string &label) {
    std::lock_guard lock(mutex_);
    ++requestSeq_;
    providedLabel_ = label;
    providedLoading_ = !(session_ && queuePath_ == label);
}

bool SessionHub::openProvidedQueue(const std::string &label, Queue queue) {
    std::optional<SessionJournal> journal;
    {
        std::lock_guard lock(mutex_);
        if (providedLabel_ != label || queue.recipients.empty()) {
            return false;
        }
        if (journal_) {
            journal = *journal_;
        }
    }
    auto session = std::make_unique<Session>(std::move(queue));
    std::string notice = std::to_string(session->queue().recipients.size()) + " recipient(s) ready";
    if (journal) {
        ResumeReport report = journal->apply(*session, journal->read());
        journal->setAsideIfAsked(report);
        notice = report.message;
    }
    std::lock_guard lock(mutex_);
    if (providedLabel_ != label) {
        return false; // another queue was asked for meanwhile
    }
    session_ = std::move(session);
    watcher_.reset();
    queuePath_ = label;
    error_.clear();
    notice_ = std::move(notice);
    problems_.reset(); // a campaign's rows were checked when the lead imported them
    repChose_ = false;
    providedLoading_ = false;
    ++queueVersion_;
    bumpLocked();
    return true;
}

std::optional<ReloadReport> SessionHub::replaceProvidedQueue(const std::string &label,
                                                             Queue queue) {
    std::lock_guard lock(mutex_);
    if (!session_ || providedLabel_ != label || queuePath_ != label) {
        return std::nullopt;
    }
    return applyReloadLocked(std::move(queue));
}

void SessionHub::providedQueueProblem(const std::string &label, const std::string &error,
                                      const std::string &notice) {
    std::lock_guard lock(mutex_);
    if (providedLabel_ != label) {
        return;
    }
    if (!error.empty()) {
        error_ = error;
        providedLoading_ = false;
    } else if (queuePath_ == label) {
        error_.clear();
    }
    if (!notice.empty()) {
        notice_ = notice;
    }
}

bool SessionHub::providing(const std::string &label) const {
    std::lock_guard lock(mutex_);
    return !label.empty() && providedLabel_ == label;
}

void SessionHub::setOnOutcome(std::function<void(const HubOutcome &)> onOutcome) {
    std::lock_guard lock(mutex_);
    onOutcome_ = std::move(onOutcome);
}

void SessionHub::emitOutcome(const HubOutcome &outcome) {
    std::function<void(const HubOutcome &)> fn;
    {
        std::lock_guard lock(mutex_);
        fn = onOutcome_;
    }
    if (fn) {
        fn(outcome);
    }
}

void SessionHub::flush() {
    ioThread_.drain();
}

ResumeReport SessionHub::useJournal(const std::filesystem::path &folder,
                                    const FolderRecovery &recovery) {
    SessionJournal journal(folder);
    const SessionJournal::File file = journal.read(); // before the lock
    ResumeReport report;
    {
        std::lock_guard lock(mutex_);
        journal_ = std::make_unique<SessionJournal>(journal);
        if (!session_) {
            return report;
        }
        const std::string before =
            session_->current() != nullptr ? session_->current()->id : std::string();
        report = applyResume(*session_, *journal_, file, recovery);
        // The person on screen is the one the rep chose (jumped, stepped or skipped to): the
        // session starts on them, a retake when this folder has them already. Only a rep who
        // chose no one (OBS just started, the queue just opened) resumes at the first person
        // not recorded yet.
        if (repChose_ && !before.empty() && session_->jumpToId(before)) {
            const Recipient *r = session_->current();
            const std::string who = "#" + std::to_string(r->index) + " " + r->displayName();
            if (session_->stateOf(*r) == RecipientState::Recorded) {
                session_->retake();
                report.message += (report.message.empty() ? "" : "; ") + who +
                                  " is recorded in this folder already: this take is a retake";
            } else {
                report.message += std::string(report.message.empty() ? "" : "; ") + "starting on " +
                                  who + ", as chosen";
            }
        }
        repChose_ = false; // the next start without a choice resumes as usual
        notice_ = report.message;
        const std::string after =
            session_->current() != nullptr ? session_->current()->id : std::string();
        // A journal to move aside first: no write may land before the rename.
        writesHeld_ = !report.setAsideKind.empty();
        if (after != before) {
            bumpLocked(); // resumed elsewhere: show that recipient
        } else {
            persistLocked();
        }
    }
    if (!report.setAsideKind.empty()) {
        journal.setAsideIfAsked(report);
        std::lock_guard lock(mutex_);
        notice_ = report.message;
        writesHeld_ = false;
        persistLocked();
    }
    return report;
}

HubSnapshot SessionHub::snapshot() const {
    std::lock_guard lock(mutex_);
    HubSnapshot s;
    s.queuePath = queuePath_.string();
    s.error = error_;
    if (!journalError_.empty()) {
        s.error += (s.error.empty() ? "" : "; ") + journalError_;
    }
    s.loading = loading_ > 0 || providedLoading_;
    s.notice = notice_;
    s.queueProblems = problems_;
    const bool held = clock_.held() || (hiddenUntilShown_ && !currentOnScreenLocked());
    s.visible = visible_ && !held;
    s.held = held;
    s.generation = generation_;
    s.displayed = clock_.displayed();
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
    const bool held = clock_.held() || (hiddenUntilShown_ && !currentOnScreenLocked());
    f.visible = visible_ && !held;
    f.held = held;
    f.hasCurrent = session_ && session_->current() != nullptr;
    f.queueVersion = queueVersion_;
    return f;
}

std::vector<QueueListRow> SessionHub::listRows() const {
    // The slow part (names folded with ICU) is built once per queue, outside the lock the
    // graphics thread's tick takes; under it only states are read.
    std::shared_ptr<const std::vector<QueueListRow>> texts;
    std::uint64_t textsVersion = 0;
    {
        std::lock_guard lock(rowTextsMutex_);
        texts = rowTexts_;
        textsVersion = rowTextsVersion_;
    }
    std::vector<QueueListRow> rows;
    std::vector<Recipient> changed; // the recipients, when the cached texts are of another queue
    std::uint64_t version = 0;
    {
        std::lock_guard lock(mutex_);
        if (!session_) {
            return {};
        }
        version = queueVersion_;
        const auto &recipients = session_->queue().recipients;
        const bool stale = !texts || textsVersion != version || texts->size() != recipients.size();
        if (stale && recipients.empty()) {
            texts = std::make_shared<const std::vector<QueueListRow>>();
        } else if (stale) {
            changed = recipients;
        }
        rows.resize(recipients.size());
        for (std::size_t i = 0; i < recipients.size(); ++i) {
            setListRowState(rows[i], *session_, i);
        }
    }
    if (!changed.empty()) {
        auto built = std::make_shared<std::vector<QueueListRow>>();
        built->reserve(changed.size());
        for (const Recipient &r : changed) {
            built->push_back(listRowText(r));
        }
        texts = built;
        std::lock_guard lock(rowTextsMutex_);
        rowTexts_ = texts;
        rowTextsVersion_ = version;
    }
    for (std::size_t i = 0; i < rows.size() && i < texts->size(); ++i) {
        const QueueListRow &t = (*texts)[i];
        rows[i].name = t.name;
        rows[i].company = t.company;
        rows[i].email = t.email;
        rows[i].folded = t.folded;
    }
    return rows;
}

std::vector<Recipient> SessionHub::recipients() const {
    std::lock_guard lock(mutex_);
    return session_ ? session_->queue().recipients : std::vector<Recipient>{};
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
    if (!journal_ || !session_) {
        return;
    }
    // Only a copy under the lock (the ids once per queue, then who was recorded or skipped);
    // the JSON is made on the writer thread.
    if (!journalIds_ || journalIdsVersion_ != queueVersion_ ||
        journalIds_->size() != session_->queue().recipients.size()) {
        journalIds_ = SessionJournal::queueIds(*session_);
        journalIdsVersion_ = queueVersion_;
    }
    pendingWrites_[journal_->path()] = SessionJournal::state(*session_, journalIds_);
    if (!writePosted_ && !writesHeld_) {
        writePosted_ = true;
        ioThread_.post([this] { writeJournals(); });
    }
}

void SessionHub::writeJournals() {
    std::map<std::filesystem::path, SessionJournal::State> writes;
    {
        std::lock_guard lock(mutex_);
        writes.swap(pendingWrites_);
        writePosted_ = false;
    }
    for (const auto &[path, journalState] : writes) {
        // No lock held: neither the JSON nor the disk holds up a switch.
        const Status st = io_.writeFile(path, SessionJournal::serialize(journalState));
        std::lock_guard lock(mutex_);
        journalError_ =
            st ? std::string() : "the session journal could not be saved: " + st.message();
    }
}

template <class F> bool SessionHub::switchTo(F move) {
    std::function<void()> onHold;
    bool ok = false;
    {
        std::lock_guard lock(mutex_);
        if (!session_) {
            return false;
        }
        const int before = session_->cursor();
        ok = move(*session_);
        if (session_->cursor() != before) {
            if (afterHeld_) {
                clock_.holdSwitch(); // before the bump: no tick can flip in between
                onHold = onHold_;
            }
            bumpLocked(); // another recipient: the sources render them
        } else {
            persistLocked();
        }
    }
    if (onHold) {
        onHold();
    }
    return ok;
}

bool SessionHub::next() {
    return chose(switchTo([](Session &s) { return s.next(); }));
}

bool SessionHub::previous() {
    return chose(switchTo([](Session &s) { return s.previous(); }));
}

bool SessionHub::jump(int index1Based) {
    return chose(switchTo([&](Session &s) { return s.jumpTo(index1Based); }));
}

bool SessionHub::chose(bool moved) {
    if (moved) {
        std::lock_guard lock(mutex_);
        repChose_ = true;
    }
    return moved;
}

bool SessionHub::jumpToId(const std::string &id) {
    return switchTo([&](Session &s) { return s.jumpToId(id); });
}

bool SessionHub::skip() {
    std::string skipped;
    std::string queue;
    const bool ok = switchTo([&](Session &s) {
        if (const Recipient *r = s.current();
            r != nullptr && s.stateOf(*r) != RecipientState::Recorded) {
            skipped = r->id; // a recorded person stays recorded wherever else they are counted
            queue = queuePath_.string();
        }
        s.skip();
        return true;
    });
    chose(ok);
    if (!skipped.empty()) {
        HubOutcome o;
        o.recipientId = skipped;
        o.queue = queue;
        o.outcome = "skipped";
        o.startedAt = o.endedAt = utcIso8601();
        emitOutcome(o);
    }
    return ok;
}

bool SessionHub::markDone() {
    return chose(switchTo([](Session &s) {
        s.markDone();
        return true;
    }));
}

bool SessionHub::retake() {
    std::lock_guard lock(mutex_);
    if (!session_) {
        return false;
    }
    session_->retake();
    persistLocked();
    return true;
}

bool SessionHub::rerender() {
    std::lock_guard lock(mutex_);
    if (!session_ || session_->current() == nullptr) {
        return false;
    }
    bumpLocked();
    return true;
}

bool SessionHub::toggle() {
    std::lock_guard lock(mutex_);
    visible_ = !visible_;
    return visible_;
}

std::optional<ReloadReport> SessionHub::pollQueueFile() {
    std::shared_ptr<QueueWatcher> watcher;
    {
        std::lock_guard lock(mutex_);
        watcher = watcher_;
    }
    if (!watcher) {
        return std::nullopt;
    }
    auto queue = watcher->poll(); // reads the file: outside the lock
    if (!queue) {
        return std::nullopt;
    }
    auto problems = problemsOf(*queue);
    std::lock_guard lock(mutex_);
    if (!session_ || watcher != watcher_) {
        return std::nullopt; // another queue was opened meanwhile
    }
    ReloadReport report = applyReloadLocked(std::move(*queue));
    if (report.applied) {
        problems_ = std::move(problems);
    }
    return report;
}

ReloadReport SessionHub::applyReloadLocked(Queue queue) {
    ReloadReport report = session_->replaceQueue(std::move(queue));
    if (report.applied) {
        error_.clear();
        notice_ = report.message;
        ++queueVersion_;
        if (report.currentChanged) {
            bumpLocked();
        } else {
            persistLocked();
        }
    } else {
        error_ = report.message;
    }
    return report;
}

SessionHub::SourceId SessionHub::registerSource() {
    std::lock_guard lock(mutex_);
    return clock_.addSource();
}

void SessionHub::unregisterSource(SourceId id) {
    std::lock_guard lock(mutex_);
    clock_.removeSource(id);
}

void SessionHub::sourceReady(SourceId id, std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    clock_.sourceReady(id, generation);
}

std::uint64_t SessionHub::tick(std::uint64_t frameTimeNs) {
    std::optional<Boundary> published;
    std::optional<Recipient> onScreen;
    int take = 1;
    BoundaryFn callback;
    std::function<void()> afterHeld;
    SwitchClock::Frame frame;
    {
        std::lock_guard lock(mutex_);
        frame = clock_.tick(frameTimeNs, generation_);
        if (frame.releaseHeld) {
            afterHeld = afterHeld_;
        }
        if (frame.switched) {
            hiddenUntilShown_ = false; // the current recipient is on screen from this frame
            Boundary b;
            b.frameTimeNs = frameTimeNs;
            b.generation = generation_;
            b.queue = queuePath_.string();
            if (session_ && session_->current() != nullptr) {
                b.recipientId = session_->current()->id;
                b.index = session_->current()->index;
            }
            published = std::move(b);
        }
        // A re-render of the same person (an edit, a resume) is not a new file; the same id
        // from another queue is (their take belongs to the queue it was recorded from).
        if (published && session_ && session_->current() != nullptr &&
            clock_.show(session_->current()->id, queuePath_.string())) {
            onScreen = *session_->current();
            take = static_cast<int>(session_->progress(onScreen->id).takes.size()) + 1;
            callback = onBoundary_;
        }
    }
    if (callback && published && onScreen) {
        callback(*published, *onScreen, take);
    }
    if (afterHeld) {
        afterHeld();
    }
    return frame.displayed;
}

void SessionHub::setHold(bool hold) {
    std::lock_guard lock(mutex_);
    clock_.setHold(hold);
    // A release never reveals the previous recipient: until the switch to the current one is on
    // screen, the sources stay hidden.
    hiddenUntilShown_ = !hold && !currentOnScreenLocked();
}

void SessionHub::setHoldOnSwitch(int frames, std::function<void()> afterHeld,
                                 std::function<void()> onHold) {
    std::lock_guard lock(mutex_);
    clock_.setHoldOnSwitch(frames);
    afterHeld_ = std::move(afterHeld);
    onHold_ = afterHeld_ ? std::move(onHold) : std::function<void()>{};
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
    return !clock_.hasSources() || clock_.showing(session_->current()->id, queuePath_.string());
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
    std::lock_guard lock(mutex_);
    hiddenUntilShown_ = !currentOnScreenLocked();
}

std::optional<std::pair<Recipient, int>> SessionHub::currentWithTake() const {
    std::lock_guard lock(mutex_);
    return currentWithTakeLocked();
}

std::string SessionHub::queueLabel() const {
    std::lock_guard lock(mutex_);
    return session_ ? queuePath_.string() : std::string();
}

void SessionHub::recordTake(const std::string &recipientId, const std::string &file,
                            const std::string &startedAt, const std::string &endedAt,
                            const TakeFacts &facts, const std::string &fromQueue) {
    std::string queue = fromQueue;
    {
        std::lock_guard lock(mutex_);
        if (!session_) {
            return;
        }
        if (queue.empty()) {
            queue = queuePath_.string();
        }
        // Record against that recipient without moving the rep's cursor; a take from a queue
        // the rep has left since (it closed late) is not this queue's, even for the same id.
        const int cursor = session_->cursor();
        if (queue == queuePath_.native() && session_->jumpToId(recipientId)) {
            session_->beginTake(file, startedAt);
            session_->endTake(endedAt);
            session_->jumpTo(cursor + 1);
        }
        persistLocked();
    }
    HubOutcome o;
    o.recipientId = recipientId;
    o.queue = queue;
    o.file = file;
    o.startedAt = startedAt;
    o.endedAt = endedAt;
    o.duration = facts.duration;
    o.frames = facts.frames;
    o.status = facts.status;
    emitOutcome(o);
}

} // namespace cuecard
