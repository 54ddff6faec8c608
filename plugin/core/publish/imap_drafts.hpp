// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// `cuecard drafts`: one draft per published recipient in the rep's own mailbox (IMAP APPEND,
/// flagged \Draft), never sent: the rep opens each, adds a line if they like, and sends it. A
/// second run adds nothing (each draft's Message-ID names the recipient's page token and take); a
/// new take replaces that recipient's older draft. imaps:// always; imap:// without TLS only to
/// this machine (a test server, a local bridge). The password never comes from the command line.
/// Blocking: a CLI or a thread of its own.

#include "core/publish/email_draft.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace cuecard {

struct MailboxAddress {
    bool tls = true;
    std::string user;
    std::string host;
    int port = 993;
    std::string folder; ///< "" : the folder the server marks \Drafts (else "Drafts")
};

/// imaps://user@host[:port][/Folder]; refuses a password in it and plain imap:// to another
/// machine. The error says what to do instead.
Result<MailboxAddress> parseMailboxAddress(const std::string &url);

/// The password `user` has for `host` in a netrc file (curl's format), "" when none.
std::string netrcPassword(const std::filesystem::path &netrc, const std::string &host,
                          const std::string &user);

struct DraftsOptions {
    std::filesystem::path session; ///< published with `cuecard publish` first
    std::filesystem::path queue;   ///< optional: every column for the templates
    DraftOptions draft;
    MailboxAddress mailbox;
    std::string password;
    std::filesystem::path caFile; ///< a CA bundle for the server's certificate ("" : the system's)
};

struct DraftsReport {
    std::string folder; ///< the mailbox folder the drafts are in
    int added = 0;
    int replaced = 0;                 ///< an older take's draft removed for the new one
    int unchanged = 0;                ///< already there
    std::vector<std::string> skipped; ///< not published yet, and why
    std::vector<std::string> errors;
};

struct DraftsProgress {
    int done = 0;
    int total = 0;
    std::string current;
};

Result<DraftsReport> makeDrafts(const DraftsOptions &options,
                                const std::function<void(const DraftsProgress &)> &progress);

} // namespace cuecard
