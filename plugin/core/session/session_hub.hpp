#pragma once
/// \file
/// The one session every Cuecard source in OBS shares: the queue, the cursor, visibility, live
/// reload, and the frame-exact switch. A switch becomes visible on a single frame for every
/// source at once: each source prepares the new recipient's image in the background and says
/// so; at the first frame tick where all are ready, the hub flips and records that frame's
/// timestamp as the boundary (the recorder cuts there). Thread-safe: hotkeys, obs-websocket and
/// the graphics thread all call in.

#include "core/queue/queue_watcher.hpp"
#include "core/record/folder_recovery.hpp"
#include "core/session/session.hpp"
#include "core/session/session_journal.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cuecard {

struct HubSnapshot {
    bool loaded = false;
    std::string queuePath;
    std::vector<std::string> columns; ///< the queue's field names
    std::string error;                ///< why there is no usable queue, or the last failed reload
    std::string notice;               ///< the last reload or resume message
    std::optional<Recipient> current;
    std::optional<Recipient> next;
    int index = 0; ///< 1-based position of the current recipient
    SessionCounts counts;
    RecipientState state = RecipientState::Pending;
    bool visible = true;
    bool held = false; ///< hidden at once, no animation (OBS-recording mode, between files)
    std::uint64_t generation = 0; ///< what the sources should show
    std::uint64_t displayed = 0;  ///< what they show now
};

/// A recipient switch that became visible: from this frame on, the new recipient is on screen.
struct Boundary {
    std::uint64_t frameTimeNs = 0;
    std::uint64_t generation = 0;
    std::string recipientId;
    int index = 0;
};

class SessionHub {
  public:
    using SourceId = std::uint64_t;

    /// Opens the queue (a no-op when it is already the open one). On failure the previous
    /// session stays and the error is in the snapshot.
    Status openQueue(const std::filesystem::path &path);

    /// Keeps the journal in `folder` from now on, resuming from it and from the folder's files
    /// (`recovery`, from recoverRecordingFolder, which reads the disk and so runs before, outside
    /// the hub's lock). When the cursor moves, the sources render the resumed recipient; until
    /// that is on screen, onScreenWithTake() says so.
    ResumeReport useJournal(const std::filesystem::path &folder, const FolderRecovery &recovery);

    HubSnapshot snapshot() const;

    /// What a source needs every frame, without copying recipients (the graphics thread's hot
    /// path): the generation to show, visibility, hold.
    struct FrameState {
        std::uint64_t generation = 0;
        bool visible = true;
        bool held = false;
        bool hasCurrent = false;
    };
    FrameState frameState() const;
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

    /// Reads the queue file again when it changed on disk (call about once a second).
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
    std::uint64_t displayedGeneration() const;
    std::vector<Boundary> boundaries() const;

    /// A switch waits at most this long for a slow source; after it, that source shows nothing
    /// (never the previous recipient) until its frame is ready.
    static constexpr std::uint64_t kMaxSwitchWaitNs = 2'000'000'000ull;

    /// Called (outside the lock) after any change, e.g. to refresh a dock.
    void setOnChange(std::function<void()> onChange);

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
    /// Waits until `frames` frames have been ticked while held (so they were drawn hidden);
    /// false on timeout.
    bool waitForHeldFrames(int frames, int timeoutMs) const;

    /// When set, every move to another recipient also holds (in the same step, so no frame can
    /// show the new recipient first), then calls `afterHeldSwitch` outside the lock. A move that
    /// goes nowhere (next at the end) neither holds nor calls. OBS-recording mode uses it.
    void setHoldOnSwitch(std::function<void()> afterHeldSwitch);

    /// A take was recorded for `recipientId` (the recorder closed its file).
    void recordTake(const std::string &recipientId, const std::string &file,
                    const std::string &startedAt, const std::string &endedAt);

  private:
    /// Runs a cursor move under the lock: re-render when the recipient changed, save the
    /// journal either way, tell listeners.
    template <class F> bool switchTo(F move);
    std::uint64_t tickLocked(std::uint64_t frameTimeNs, std::optional<Boundary> &published);
    void bumpLocked();
    bool currentOnScreenLocked() const;
    std::optional<std::pair<Recipient, int>> currentWithTakeLocked() const;
    void persistLocked();
    void notify();

    mutable std::mutex mutex_;
    std::unique_ptr<Session> session_;
    std::unique_ptr<QueueWatcher> watcher_;
    std::unique_ptr<SessionJournal> journal_;
    std::filesystem::path queuePath_;
    std::string error_;
    std::string notice_;
    bool visible_ = true;
    std::uint64_t generation_ = 0;
    std::uint64_t displayed_ = 0;
    std::uint64_t pendingSinceNs_ = 0;
    std::uint64_t lastTickNs_ = 0;
    SourceId nextSourceId_ = 1;
    std::map<SourceId, std::uint64_t> ready_; ///< per source: newest generation it has ready
    std::vector<Boundary> boundaries_;
    std::string lastBoundaryId_; ///< recipient of the last published switch
    std::function<void()> onChange_;
    BoundaryFn onBoundary_;
    std::function<void()> afterHeldSwitch_;
    bool held_ = false;
    bool hiddenUntilShown_ = false;
    std::uint64_t heldFrames_ = 0;
};

} // namespace cuecard
