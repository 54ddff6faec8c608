// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The cuecard subcommands. Each returns the process exit code and prints one-line reasons to
/// stderr.

#include <string>
#include <vector>

namespace cuecard {
struct TeamQueue;
}

namespace cuecard::cli {

int renderCommand(const std::vector<std::string> &args);

/// Exit 0 clean, 1 warnings only, 2 errors, 3 wrong command line.
int checkCommand(const std::vector<std::string> &args);

/// Fetches and decodes every picture the theme needs for the queue into the picture cache.
/// Exit 0 all ready, 1 warnings (fallbacks used), 2 errors, 3 wrong command line.
int prepareCommand(const std::vector<std::string> &args);

/// Records a composited input split per recipient. Exit 0 done, 1 failed, 2 command line.
int sessionCommand(const std::vector<std::string> &args);

/// A team lead's commands for a campaign on PostgreSQL. Exit 0 done, 1 failed, 2 command line.
int teamCommand(const std::vector<std::string> &args);

/// A rep's session on a team campaign (session's --queue is a postgresql:// URI).
int teamSessionCommand(const std::vector<std::string> &args, const TeamQueue &team);

/// Makes the missing email assets of a session folder. Exit 0 done, 1 failed, 2 command line.
int assetsCommand(const std::vector<std::string> &args);

/// A landing page per recipient of a session folder, and outreach.csv. Exit 0 all published,
/// 1 some recipients failed (the rest published), 2 nothing published, 3 wrong command line.
int publishCommand(const std::vector<std::string> &args);

/// A draft per published recipient in the rep's mailbox over IMAP (nothing is sent). Exit 0 done,
/// 1 some failed, 2 nothing done (the mailbox, a bad option), 3 wrong command line.
int draftsCommand(const std::vector<std::string> &args);

} // namespace cuecard::cli
