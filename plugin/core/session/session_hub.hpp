// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The one session every Cuecard source in OBS shares: the queue, the cursor, visibility, live
/// reload, and the frame-exact switch. A switch becomes visible on a single frame for every
/// source at once: each source prepares the new recipient's image in the background and says
/// so; at the first frame tick where all are ready, the hub flips and records that frame's
/// timestamp as the boundary (the recorder cuts there). Thread-safe: hotkeys, obs-websocket and
/// the graphics thread all call in.
///
/// The hub's lock never covers a disk: queue files and the journal are read before it is taken
/// and applied under it; journal writes go to a thread of the hub's own (TaskThread), newest
/// state first. So a slow disk never stalls a source's video_tick or OBS's UI thread.

#include "core/queue/queue_watcher.hpp"
#include "core/session/folder_recovery.hpp"
#include "core/session/queue_list.hpp"
#include "core/session/session.hpp"
#include "core/session/session_journal.hpp"
#include "core/session/switch_clock.hpp"
#include "core/util/result.hpp"
#include "core/util/task_thread.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cuecard {

/// What loading a queue skipped or changed (rows left out, a Windows-1252 export, duplicates,
/// missing names).
struct QueueProblems {
    std::vector<std::string> lines; ///< errors and warnings as `cuecard check` prints them
    int rowsSkipped = 0;            ///< how many of them left a row out (the errors)
    std::string firstSkipped;       ///< the first of those, "" when none
};

struct HubSnapshot {
    bool loaded = false;
    std::string queuePath;
    std::vector<std::string> columns; ///< the queue's field names
    std::string error;                ///< why there is no usable queue, or the last failed reload
    std::string notice;               ///< the last reload or resume message
    /// What loading the queue skipped or changed; built once per load and shared by every
    /// snapshot. Null when there was nothing.
    std::shared_ptr<const QueueProblems> queueProblems;
    int rowsSkipped() const { return queueProblems ? queueProblems->rowsSkipped : 0; }
    std::optional<Recipient> current;
    std::optional<Recipient> next;
    int index = 0; ///< 1-based position of the current recipient
    SessionCounts counts;
    RecipientState state = RecipientState::Pending;
    bool visible = true;
    bool held = false;    ///< hidden at once, no animation (OBS-recording mode, between files)
    bool loading = false; ///< a queue is being read in the background
    std::uint64_t generation = 0; ///< what the sources should show
    std::uint64_t displayed = 0;  ///< what they show now
};

/// A recipient switch that became visible: from this frame on, the new recipient is on screen.
struct Boundary {
    std::uint64_t frameTimeNs = 0;
    std::uint64_t generation = 0;
    std::string recipientId;
    int index = 0;
    std::string queue; ///< the queue they come from (its path or provided label)
};

/// An outcome the hub learned of: a take recorded (its file closed) or a recipient skipped.
struct HubOutcome {
    std::string recipientId;
    /// The queue they were on screen from (its path or provided label): a take that closes
    /// after the rep opened another queue still belongs to the one it was recorded from.
    std::string queue;
    std::string outcome = "recorded"; ///< recorded, skipped
    std::string file;
    std::string startedAt;
    std::string endedAt;
    double duration = 0.0;
    long long frames = 0;
    std::string status; ///< the recorder's ("complete"…), "" when OBS wrote the file
};

/// What the recorder knows of a take beyond its file and times.
struct TakeFacts {
    double duration = 0.0;
    long long frames = 0;
    std::string status;
};

/// The disk as the hub uses it; tests replace it (a slow or failing disk).
struct HubIo {
    std::function<Queue(const std::filesystem::path &)> readQueue;
    std::function<Status(const std::filesystem::path &, std::string_view)> writeFile;
    static HubIo real();
};

class SessionHub {
  public:
    using SourceId = SwitchClock::SourceId;

    explicit SessionHub(HubIo io = HubIo::real());
    /// Finishes the journal writes still queued.
    ~SessionHub();
    SessionHub(const SessionHub &) = delete;
    SessionHub &operator=(const SessionHub &) = delete;

    /// Opens the queue (a no-op when it is already the open one), reading it on the calling
    /// thread. On failure the previous session stays and the error is in the snapshot.
    Status openQueue(const std::filesystem::path &path);
    /// The same on the hub's own thread (OBS's UI thread never waits on a disk); the snapshot
    /// says `loading` meanwhile, then the result.
    void openQueueInBackground(const std::filesystem::path &path);
    /// A queue that is not a file (a team campaign): its provider (on a thread of its own)
    /// announces it under `label` first (the snapshot says `loading`; a file queue opened after
    /// that supersedes it), then hands over the recipients it has. Returns false, changing
    /// nothing, when the hub moved on to another queue meanwhile.
    void expectProvidedQueue(const std::string &label);
    bool openProvidedQueue(const std::string &label, Queue queue);
    /// The provider's recipients changed (more claimed, some lost): applied like a reload,
    /// keeping the cursor on the same person. nullopt when `label` is not the open queue.
    std::optional<ReloadReport> replaceProvidedQueue(const std::string &label, Queue queue);
    /// The provider could not give a queue (or lost something): the message in the snapshot's
    /// error (or notice), when `label` is still the queue asked for.
    void providedQueueProblem(const std::string &label, const std::string &error,
                              const std::string &notice = {});
    /// Whether `label` is the provided queue the hub waits for or shows.
    bool providing(const std::string &label) const;

    /// Called (outside the lock) for every take recorded and every recipient skipped; one
    /// listener (the team campaign's feed). An empty function turns it off.
    void setOnOutcome(std::function<void(const HubOutcome &)> onOutcome);

    /// Waits until the queue loads and journal writes asked for so far are done (CLI, tests;
    /// never from OBS's graphics, audio or UI thread).
    void flush();

    /// Keeps the journal in `folder` from now on, resuming from it and from the folder's files
    /// (`recovery`, from recoverRecordingFolder, which reads the disk and so runs before, outside
    /// the hub's lock; the journal too is read on the calling thread before the lock is taken).
    /// When the cursor moves, the sources render the resumed recipient; until that is on
    /// screen, onScreenWithTake() says so.
    ResumeReport useJournal(const std::filesystem::path &folder, const FolderRecovery &recovery);

    HubSnapshot snapshot() const;

    /// What a source needs every frame, without copying recipients (the graphics thread's hot
    /// path): the generation to show, visibility, hold.
    struct FrameState {
        std::uint64_t generation = 0;
        bool visible = true;
        bool held = false;
        bool hasCurrent = false;
        std::uint64_t queueVersion = 0; ///< changes when a queue is opened or reloaded
    };
    FrameState frameState() const;
    /// The queue as the dock lists it (see queue_list.hpp); empty when no queue is loaded.
    std::vector<QueueListRow> listRows() const;
    /// A copy of every recipient in the queue, in order (for preparing their pictures; never
    /// on OBS's graphics thread for a big queue).
    std::vector<Recipient> recipients() const;
    /// The recipient on screen now (copied only when a source needs to render them).
    std::optional<Recipient> currentRecipient() const;
    /// The one after them, whose glyphs a source can prepare ahead.
    std::optional<Recipient> nextRecipient() const;

    bool next();
    bool previous();
    bool jump(int index1Based);
    bool jumpToId(const std::string &id);
    bool skip();
    bool retake();
    bool markDone();
    /// Shows or hides every Cuecard source; returns the new visibility.
    bool toggle();
    /// Every source renders the current recipient again (their pictures became ready); it is
    /// the same person, so no recording boundary and no new file. False without a queue.
    bool rerender();

    /// Reads the queue file again when it changed on disk (call about once a second, from a
    /// thread of its own: the file is read outside the hub's lock, the result applied under it).
    std::optional<ReloadReport> pollQueueFile();

    // Frame-exact switching.
    SourceId registerSource();
    void unregisterSource(SourceId id);
    /// The source has the image for `generation` ready to show.
    void sourceReady(SourceId id, std::uint64_t generation);
    /// Called by each source on each video tick with obs_get_video_frame_time(); the first
    /// call of a frame decides whether the switch becomes visible on it. Returns the generation
    /// to display on this frame.
    std::uint64_t tick(std::uint64_t frameTimeNs);

    /// A switch waits at most this long for a slow source; after it, that source shows nothing
    /// (never the previous recipient) until its frame is ready.
    static constexpr std::uint64_t kMaxSwitchWaitNs = SwitchClock::kMaxSwitchWaitNs;

    /// Called (outside the lock, on the thread that ticked) when a switch becomes visible, with
    /// the recipient now on screen and the take number their next recording gets.
    using BoundaryFn = std::function<void(const Boundary &, const Recipient &, int take)>;
    void setOnBoundary(BoundaryFn onBoundary);

    /// The current recipient and the take number their next recording gets.
    std::optional<std::pair<Recipient, int>> currentWithTake() const;
    /// The same, but only while the current recipient is the one on screen. nullopt while a
    /// switch to them is still pending (the cursor moved, e.g. by a resumed journal, and the
    /// sources still draw the previous person): a recording then starts at that switch (the
    /// boundary callback), never on a frame that shows someone else.
    std::optional<std::pair<Recipient, int>> onScreenWithTake() const;
    /// Every source draws nothing until the current recipient is on screen; the switch itself
    /// still happens on its frame (OBS-recording mode, whose file cannot wait for it).
    void hideUntilCurrentShown();

    /// Holding: every Cuecard source shows nothing and no switch becomes visible until released
    /// (OBS-recording mode hides the overlay while OBS opens the next file).
    void setHold(bool hold);

    /// When set, every move to another recipient also holds (in the same step, so no frame can
    /// show the new recipient first); once `frames` frames have been ticked while held (drawn
    /// hidden), the tick that counted the last one calls `afterHeld` outside the lock. Nobody
    /// waits: the hold is a state the ticks advance. A move that goes nowhere (next at the end)
    /// neither holds nor calls. OBS-recording mode uses it (`afterHeld` asks OBS for a new file
    /// on a thread of its own). An empty function turns it off. `onHold`, when set, is called
    /// right after each such move began holding, on the thread that moved, outside the lock
    /// (OBS-recording mode notes where OBS's video stood then).
    void setHoldOnSwitch(int frames, std::function<void()> afterHeld,
                         std::function<void()> onHold = {});

    /// A take was recorded for `recipientId` (the recorder closed its file).
    /// `queue`: the one the take was recorded from (Boundary::queue, queueLabel() when it
    /// started); a take from a queue the rep has left since is not marked in the open one, even
    /// for the same id, and its outcome names its own queue. "" for the open queue.
    void recordTake(const std::string &recipientId, const std::string &file,
                    const std::string &startedAt, const std::string &endedAt,
                    const TakeFacts &facts = {}, const std::string &queue = {});
    /// The open queue's path or provided label ("" when none).
    std::string queueLabel() const;

  private:
    Status openQueueAs(const std::filesystem::path &path, std::uint64_t seq);
    /// Applies a new version of the open queue (a file changed, a provider's update).
    ReloadReport applyReloadLocked(Queue queue);
    /// Notes that the rep moved the cursor themselves (when `moved`); returns `moved`.
    bool chose(bool moved);
    void emitOutcome(const HubOutcome &outcome);
    /// Runs a cursor move under the lock: re-render when the recipient changed, save the
    /// journal either way.
    template <class F> bool switchTo(F move);
    void bumpLocked();
    bool currentOnScreenLocked() const;
    std::optional<std::pair<Recipient, int>> currentWithTakeLocked() const;
    /// Queues the journal's new text for the I/O thread (nothing is written under the lock).
    void persistLocked();
    void writeJournals();

    HubIo io_;
    mutable std::mutex mutex_;
    std::unique_ptr<Session> session_;
    std::shared_ptr<QueueWatcher> watcher_; ///< polled outside the lock
    std::unique_ptr<SessionJournal> journal_;
    std::filesystem::path queuePath_;
    std::uint64_t requestSeq_ = 0; ///< each queue asked for; an older load never lands after
    std::string providedLabel_;    ///< the provided queue asked for ("" for a file queue)
    bool providedLoading_ = false;
    std::function<void(const HubOutcome &)> onOutcome_;
    std::string error_;
    std::string notice_;
    std::shared_ptr<const QueueProblems> problems_;
    /// The rep moved to the recipient on screen (next, previous, jump, skip, done) since the
    /// queue opened or the last session started: a session starts on them.
    bool repChose_ = false;
    std::string journalError_; ///< the last journal write that failed (cleared by a good one)
    int loading_ = 0;          ///< background queue loads not finished
    bool visible_ = true;
    std::uint64_t generation_ = 0;
    std::uint64_t queueVersion_ = 0;
    /// listRows' names, companies and folded search text, for queue version rowTextsVersion_
    /// (its own lock: built outside mutex_).
    mutable std::mutex rowTextsMutex_;
    mutable std::shared_ptr<const std::vector<QueueListRow>> rowTexts_;
    mutable std::uint64_t rowTextsVersion_ = 0;
    SwitchClock clock_; ///< the frame-exact switch and holding
    BoundaryFn onBoundary_;
    std::function<void()> afterHeld_; ///< set: every move holds first (setHoldOnSwitch)
    std::function<void()> onHold_;    ///< called when such a move began holding
    bool hiddenUntilShown_ = false;
    // Journal texts waiting for the I/O thread, newest per file; writes are held back while a
    // journal is being moved aside.
    /// What each journal must say next, serialized by the writer thread outside the lock.
    std::map<std::filesystem::path, SessionJournal::State> pendingWrites_;
    /// The current queue's ids for the journal, for queue version journalIdsVersion_.
    std::shared_ptr<const std::vector<std::string>> journalIds_;
    std::uint64_t journalIdsVersion_ = 0;
    bool writePosted_ = false;
    bool writesHeld_ = false;
    TaskThread ioThread_; ///< last: stops (running what is queued) before the rest goes
};

} // namespace cuecard
