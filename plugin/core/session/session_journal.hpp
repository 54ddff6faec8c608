// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The session journal: cuecard-session.json next to the recordings, rewritten atomically on
/// every change, so a crash, a kill or a power cut never costs the record of who was done. On
/// start it resumes at the first recipient not yet done. A journal that is corrupt or belongs to
/// another queue is reported and moved aside, never silently overwritten.

#include "core/session/session.hpp"
#include "core/util/result.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cuecard {

inline constexpr const char *kJournalFileName = "cuecard-session.json";

struct ResumeReport {
    bool resumed = false; ///< a journal for this queue was found and applied
    std::string setAside; ///< where a corrupt or foreign journal was moved, if any
    /// From apply(): the journal must be moved aside as "corrupt" or "other-queue" (done by
    /// setAsideIfAsked, which touches the disk).
    std::string setAsideKind;
    std::string message; ///< one line for the status and the log
};

class SessionJournal {
  public:
    explicit SessionJournal(std::filesystem::path folder);

    const std::filesystem::path &path() const { return path_; }

    /// Writes the session's state atomically.
    Status save(const Session &session) const;

    /// Reads the journal (if any) into `session` and puts the cursor on the first recipient not
    /// yet done; a corrupt or foreign journal is moved aside. read() + apply() + setAsideIfAsked().
    ResumeReport restore(Session &session) const;

    /// The journal file as it is on disk (the only step of restore that reads the disk).
    struct File {
        bool exists = false;
        std::string text;
    };
    File read() const;
    /// Applies what read() found to `session` (no disk access): a caller holding a lock reads
    /// first, applies under the lock, and sets aside after it.
    ResumeReport apply(Session &session, const File &file) const;
    /// Moves the journal aside when apply() asked for it, and says so in the report.
    void setAsideIfAsked(ResumeReport &report) const;

    /// What the journal records, copied out of a session: the hub copies it under its lock
    /// (the ids are shared per queue, the progress is only who was recorded or skipped) and
    /// makes the JSON on its writer thread, outside the lock.
    struct State {
        std::string source;
        std::shared_ptr<const std::vector<std::string>> ids; ///< the queue's ids, in order
        std::string cursorId;
        std::map<std::string, Progress> progress;
    };
    /// `ids` when the caller keeps them for this queue already; else they are collected.
    static State state(const Session &session,
                       std::shared_ptr<const std::vector<std::string>> ids = nullptr);
    /// The queue's ids in order (what State::ids holds).
    static std::shared_ptr<const std::vector<std::string>> queueIds(const Session &session);

    /// The JSON text save() writes (exposed for tests).
    static std::string serialize(const Session &session);
    static std::string serialize(const State &state);

  private:
    std::filesystem::path folder_;
    std::filesystem::path path_;
};

} // namespace cuecard
