// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// "Publish and draft…" in OBS: `cuecard publish` and then `cuecard drafts` for a session
/// folder, on a thread of the job's own, with a status the dock and obs-websocket read at any
/// time (a copy under a lock: no OBS thread ever waits on the network). The profile (where pages
/// go, the page's and the email's templates, the mailbox) is saved with the scene collection;
/// secrets never are: the IMAP password is given per run, or comes from ~/.netrc or
/// CUECARD_IMAP_PASSWORD, and SFTP uses the rep's key.

#include "core/publish/imap_drafts.hpp"
#include "core/publish/publisher.hpp"
#include "core/util/task_thread.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cuecard {

struct PublishProfile {
    std::string to; ///< a folder or sftp://user@host/path
    PageOptions page;
    std::string imap; ///< imaps://you@mail.example.com ("" : pages only, no drafts)
    DraftOptions draft;
};

/// A folder or an sftp:// destination (`sshDir`: the rep's ~/.ssh); the error says what to fix.
Result<std::unique_ptr<PublishTarget>> publishTarget(const std::string &to,
                                                     const std::filesystem::path &sshDir,
                                                     long long maxBytesPerSecond = 0);

struct PublishJobStatus {
    bool running = false;
    std::string phase; ///< "", "publishing", "drafting", "done", "failed"
    int done = 0;
    int total = 0;
    std::string current;               ///< who is being published or drafted now
    std::string summary;               ///< the last run's outcome in a line
    std::vector<std::string> errors;   ///< recipients that failed, and why
    std::filesystem::path outreachCsv; ///< after a run that published
};

class PublishJob {
  public:
    struct Secrets {
        std::string imapPassword;   ///< "" : ~/.netrc, then CUECARD_IMAP_PASSWORD
        std::filesystem::path home; ///< for ~/.ssh and ~/.netrc
    };
    PublishJob() = default;
    PublishJob(const PublishJob &) = delete;
    PublishJob &operator=(const PublishJob &) = delete;

    /// Starts on the job's thread; "" or why not (one is running, the profile is incomplete).
    /// `onDone` (optional) is called on the job's thread with the final status (for a log).
    std::string start(std::filesystem::path session, PublishProfile profile, Secrets secrets,
                      std::function<void(const PublishJobStatus &)> onDone = {});
    PublishJobStatus status() const;
    /// Waits until the job's thread is idle (tests, shutdown; never OBS's threads).
    void wait() { thread_.drain(); }

  private:
    void run(const std::filesystem::path &session, const PublishProfile &profile,
             const Secrets &secrets);
    void update(const std::function<void(PublishJobStatus &)> &change);

    mutable std::mutex mutex_;
    PublishJobStatus status_;
    TaskThread thread_; ///< last: joined first
};

} // namespace cuecard
