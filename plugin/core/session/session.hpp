// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The state machine a rep drives while recording: the current recipient, moving through the
/// queue, and what happened to each person (pending, recorded, skipped, retake requested) with
/// the takes recorded for them. State is keyed by the recipient's stable id, so it survives a
/// re-ordered or re-exported queue.

#include "core/queue/queue.hpp"
#include "core/util/result.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace cuecard {

enum class RecipientState { Pending, Recorded, Skipped, RetakeRequested };

const char *stateName(RecipientState state);
bool parseStateName(std::string_view name, RecipientState &out);

struct Take {
    int number = 1;
    std::string file;      ///< file name in the output folder ("" when not recorded by Cuecard)
    std::string startedAt; ///< ISO 8601, UTC
    std::string endedAt;
    /// complete, or interrupted (a crash ended it; the file holds what was written before)
    std::string status = "complete";
};

struct Progress {
    RecipientState state = RecipientState::Pending;
    std::vector<Take> takes;
};

struct SessionCounts {
    int total = 0;
    int pending = 0;
    int recorded = 0;
    int skipped = 0;
    int retake = 0;
};

/// What a live reload changed, for the status line and the log.
struct ReloadReport {
    bool applied = false; ///< false: the new queue was unusable and the old one stays
    int added = 0;
    int removed = 0;
    int changed = 0;
    bool currentChanged = false; ///< the current recipient's fields changed (re-render)
    bool currentRemoved = false;
    std::string message;
};

class Session {
  public:
    explicit Session(Queue queue);

    const Queue &queue() const { return queue_; }
    bool empty() const { return queue_.recipients.empty(); }
    /// 0-based position of the current recipient (0 when the queue is empty).
    int cursor() const { return cursor_; }
    const Recipient *current() const;
    const Recipient *at(int cursor) const;

    const Progress &progress(const std::string &id) const;
    RecipientState stateOf(const Recipient &r) const { return progress(r.id).state; }
    SessionCounts counts() const;
    /// The first recipient (0-based) still to record (pending or retake requested), or -1.
    int firstNotDone() const;

    // Navigation. Each returns false (and changes nothing) at the ends or for a bad target.
    bool next();
    bool previous();
    bool jumpTo(int index1Based);
    bool jumpToId(std::string_view id);

    // Actions on the current recipient.
    /// Marks skipped and moves on.
    void skip();
    /// Marks recorded and moves on.
    void markDone();
    /// Asks for another take of the current recipient; the cursor stays.
    void retake();
    /// A take starts for the current recipient; returns its number (1, 2…).
    int beginTake(std::string file, std::string startedAt);
    /// The take that began last for the current recipient ends: it counts as recorded.
    void endTake(std::string endedAt);
    /// Records a take found in the output folder (resume after a crash) for the recipient with
    /// `id`, unless one with the same file is known already; `recorded` marks them done. The
    /// cursor does not move. Returns whether it was added.
    bool addTake(std::string_view id, Take take, bool recorded);

    /// Live reload: the cursor stays on the same recipient by id; when that recipient is gone
    /// it moves to the next one that remains. An unusable queue is refused and the old one kept.
    ReloadReport replaceQueue(Queue queue);

    /// Called after every change (the journal saves then).
    void setOnChange(std::function<void()> onChange) { onChange_ = std::move(onChange); }

    // For the journal.
    const std::map<std::string, Progress> &allProgress() const { return progress_; }
    void restore(std::map<std::string, Progress> progress, int cursor);

  private:
    void changed();
    Progress &mutableProgress();

    Queue queue_;
    int cursor_ = 0;
    std::map<std::string, Progress> progress_; ///< by recipient id, absent = pending
    std::function<void()> onChange_;
};

} // namespace cuecard
