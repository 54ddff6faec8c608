// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// One recording session, the same in OBS and in `cuecard session` (file queue or team
/// campaign): the session hub's switches cut the recording into one file per recipient.
///
/// Starting one prepares the folder (creates it, describes files a crash interrupted, resumes
/// the hub's journal there), opens the frame-exact recorder and listens to the hub: every switch
/// that becomes visible starts the next recipient's file on that frame, with the take number the
/// hub gives. Each closed file is recorded as a take in the hub (journal, outcomes for a team
/// campaign) and handed to the asset worker. Standby mode writes nothing between recipients
/// until roll(). The caller owns the clock: OBS's frame times, or the CLI's synthetic one (the
/// CLI ticks the hub with its own timestamps and pushes its frames with the same).
///
/// start() reads and writes the disk: never on OBS's graphics, audio, UI or hotkey threads.
/// The rest is cheap and thread-safe (the hub's tick calls in on the graphics thread; OBS's
/// video and audio threads push frames), except in `encodeOnCaller` mode, where frames are
/// encoded by the thread that pushes them (the CLI: one thread does everything).

#include "core/record/asset_worker.hpp"
#include "core/record/async_recorder.hpp"
#include "core/record/frame_health.hpp"
#include "core/record/segment_recorder.hpp"
#include "core/session/folder_recovery.hpp"
#include "core/session/session_hub.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace cuecard {

struct RecordingSessionOptions {
    RecorderOptions recorder; ///< the folder and the encoder
    /// Nothing is written between recipients until roll() (reading the next person's notes).
    bool standby = false;
    /// Resume from the folder's journal and files, and keep the hub's journal there. Off for a
    /// team campaign, whose claims say who is next.
    bool resume = true;
    /// Encode on the thread that pushes frames (the CLI); else on a thread of the session's own
    /// (OBS: its video and audio threads only copy a frame).
    bool encodeOnCaller = false;
    /// Each closed file's poster, preview and snippet are made here (nullptr: none).
    AssetWorker *assets = nullptr;
    /// Seconds into a new file until the overlay is fully in (its in-animation), for the poster.
    std::function<double()> overlayIn;
    /// The session's clock now (OBS: os_gettime_ns), for how long a take started "from the first
    /// frame" has run; empty: such a take counts from 0.
    std::function<std::uint64_t()> clock;
    /// OBS's frame counters (rendering and encoding lag) now; empty: no frame warning.
    std::function<FrameCounters()> frameCounters;
    /// Called after each file closes and its take is recorded (the encoding thread).
    std::function<void(const ManifestEntry &)> onFileClosed;
};

/// Whose file is being written now.
struct OnAir {
    Recipient recipient;
    int take = 1;
    std::uint64_t sinceNs = 0; ///< the session's clock at the file's first frame
};

class RecordingSession : public std::enable_shared_from_this<RecordingSession> {
  public:
    /// Prepares the folder, opens the recorder and listens to `hub`'s switches. The recipient
    /// on screen owns the first frame (unless standby); when the hub's cursor moved and the
    /// switch to them is not on screen yet (a resumed session), their file starts on the frame
    /// where it is. `hub` must outlive the session.
    static Result<std::shared_ptr<RecordingSession>> start(SessionHub &hub,
                                                           RecordingSessionOptions options);
    /// Stops (see stop()).
    ~RecordingSession();
    RecordingSession(const RecordingSession &) = delete;
    RecordingSession &operator=(const RecordingSession &) = delete;

    /// What resuming into the folder found (files a crash interrupted, who is next).
    const FolderRecovery &recovery() const { return recovery_; }
    const ResumeReport &resumed() const { return resumed_; }
    const RecordingSessionOptions &options() const { return options_; }

    /// A frame at the session's clock (the same clock the hub is ticked with).
    Status pushVideo(const VideoInput &frame);
    Status pushAudio(std::uint64_t timestampNs, const float *const *planes, int frames);

    /// Standby: the current recipient's file starts at `nowNs` (or, while the switch to them is
    /// not on screen yet, on that switch's frame). "" or why not.
    std::string roll(std::uint64_t nowNs);
    /// A chapter from `nowNs` in the file being written then; an empty title is "Chapter N".
    /// Returns the title used.
    std::string chapter(std::uint64_t nowNs, const std::string &title);

    /// Stops listening to the hub, finishes the file being written and the manifest, and waits
    /// for the journal's writes. The first error the recording met, if any.
    Status stop();

    std::optional<OnAir> onAir() const;
    bool waitingForRoll() const;
    /// The first error the encoder met ("" while none).
    std::string error() const;
    /// "" while OBS keeps up; else what is lost and what to do. `fresh` (when given) says whether
    /// this take's warning is new since the last call that asked (for a log line once per take).
    std::string frameWarning(bool *fresh = nullptr);
    /// Files this session wrote (closed).
    std::size_t filesWritten() const;

  private:
    RecordingSession(SessionHub &hub, RecordingSessionOptions options);
    /// The hub made a switch visible (its tick's thread).
    void onBoundary(const Boundary &b, const Recipient &r, int take);
    /// `recipient`'s file starts at `atNs`.
    void startFile(std::uint64_t atNs, const Recipient &recipient, int take,
                   const std::string &queue);
    void fileClosed(const ManifestEntry &e);
    FrameCounters counters() const;

    SessionHub &hub_;
    RecordingSessionOptions options_;
    FolderRecovery recovery_;
    ResumeReport resumed_;
    std::unique_ptr<SegmentRecorder> direct_; ///< encodeOnCaller
    std::unique_ptr<AsyncRecorder> threaded_; ///< otherwise

    mutable std::mutex mutex_;
    bool stopped_ = false;
    bool waitingForRoll_ = false;
    bool rollPending_ = false; ///< roll pressed before the current recipient was on screen
    int chapters_ = 0;
    std::optional<OnAir> onAir_;
    FrameHealth health_;
    bool saidLosing_ = false;
    std::size_t files_ = 0;
    std::string error_; ///< encodeOnCaller: the first error a frame met
};

} // namespace cuecard
