// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/publish/publish_job.hpp"

#include "core/publish/sftp_target.hpp"

#include <cstdlib>

namespace cuecard {
namespace fs = std::filesystem;

Result<std::unique_ptr<PublishTarget>> publishTarget(const std::string &to, const fs::path &sshDir,
                                                     long long maxBytesPerSecond) {
    if (isSftpAddress(to)) {
        SftpSettings ssh;
        ssh.sshDir = sshDir;
        ssh.maxBytesPerSecond = maxBytesPerSecond;
        return sftpTarget(to, ssh);
    }
    if (to.find("://") != std::string::npos) {
        return makeError("\"" + to +
                         "\": a folder or an sftp:// address "
                         "(sftp://rep@videos.example.com/srv/www/v)");
    }
    if (to.empty() || !fs::is_directory(to)) {
        return makeError("\"" + to +
                         "\" is not a folder (create it, or mount the web server's folder there)");
    }
    return folderTarget(to);
}

std::string PublishJob::start(fs::path session, PublishProfile profile, Secrets secrets,
                              std::function<void(const PublishJobStatus &)> onDone) {
    if (profile.to.empty() || profile.page.baseUrl.empty()) {
        return "say where the pages go and the address they are served at";
    }
    {
        std::lock_guard lock(mutex_);
        if (status_.running) {
            return "publishing is still running";
        }
        status_ = PublishJobStatus{};
        status_.running = true;
        status_.phase = "publishing";
    }
    thread_.post([this, session = std::move(session), profile = std::move(profile),
                  secrets = std::move(secrets), onDone = std::move(onDone)] {
        run(session, profile, secrets);
        if (onDone) {
            onDone(status());
        }
    });
    return {};
}

PublishJobStatus PublishJob::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

void PublishJob::update(const std::function<void(PublishJobStatus &)> &change) {
    std::lock_guard lock(mutex_);
    change(status_);
}

void PublishJob::run(const fs::path &session, const PublishProfile &profile,
                     const Secrets &secrets) {
    const auto failed = [&](const std::string &why) {
        update([&](PublishJobStatus &s) {
            s.running = false;
            s.phase = "failed";
            s.summary = why;
        });
    };
    auto target = publishTarget(profile.to, secrets.home / ".ssh");
    if (!target) {
        failed(target.message());
        return;
    }
    PublishOptions po;
    po.session = session;
    po.page = profile.page;
    auto published = publishSession(po, *target.value(), [&](const PublishProgress &p) {
        update([&](PublishJobStatus &s) {
            s.done = p.done;
            s.total = p.total;
            s.current = p.current;
        });
    });
    if (!published) {
        failed(published.message());
        return;
    }
    std::string summary =
        std::to_string(published->pages) + " page(s) published to " + target.value()->describe();
    update([&](PublishJobStatus &s) {
        s.errors = published->errors;
        s.outreachCsv = published->outreachCsv;
        s.summary = summary;
    });
    if (!profile.imap.empty()) {
        auto mailbox = parseMailboxAddress(profile.imap);
        if (!mailbox) {
            failed(summary + "; drafts: " + mailbox.message());
            return;
        }
        std::string password = secrets.imapPassword;
        if (password.empty()) {
            password = netrcPassword(secrets.home / ".netrc", mailbox->host, mailbox->user);
        }
        if (password.empty()) {
            if (const char *env = std::getenv("CUECARD_IMAP_PASSWORD")) {
                password = env;
            }
        }
        if (password.empty()) {
            failed(summary + "; no drafts: no password for " + mailbox->user + " at " +
                   mailbox->host + " (type it in the dialog, or put it in ~/.netrc)");
            return;
        }
        update([&](PublishJobStatus &s) {
            s.phase = "drafting";
            s.done = 0;
        });
        DraftsOptions d;
        d.session = session;
        d.draft = profile.draft;
        d.mailbox = *mailbox;
        d.password = password;
        auto drafted = makeDrafts(d, [&](const DraftsProgress &p) {
            update([&](PublishJobStatus &s) {
                s.done = p.done;
                s.total = p.total;
                s.current = p.current;
            });
        });
        if (!drafted) {
            failed(summary + "; drafts: " + drafted.message());
            return;
        }
        summary += "; " + std::to_string(drafted->added + drafted->replaced) +
                   " draft(s) made in " + drafted->folder + " (" +
                   std::to_string(drafted->unchanged) + " already there; nothing sent)";
        update([&](PublishJobStatus &s) {
            s.errors.insert(s.errors.end(), drafted->errors.begin(), drafted->errors.end());
        });
    }
    update([&](PublishJobStatus &s) {
        s.running = false;
        s.phase = "done";
        s.current.clear();
        s.summary = summary;
    });
}

} // namespace cuecard
