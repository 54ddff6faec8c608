// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A publish destination on the team's server over SFTP (libcurl with libssh2): key-based only,
/// the server's key checked against ~/.ssh/known_hosts (never skipped: an unknown or changed key
/// is refused, with what to do). Each file goes up under a temporary name, resumed from where an
/// interrupted upload stopped, then renamed into place.

#include "core/publish/publisher.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace cuecard {

struct SftpSettings {
    /// The user's ssh folder (~/.ssh): the key (id_ed25519, else id_ecdsa) and known_hosts.
    std::filesystem::path sshDir;
    /// Upload speed limit in bytes per second (0: none), for a slow link.
    long long maxBytesPerSecond = 0;
};

/// Whether `dest` is an sftp:// address.
bool isSftpAddress(const std::string &dest);

/// The destination `sftp://[user@]host[:port]/path` (the path on the server; `/~/www` is `www`
/// in the user's home). Checks the address, the key and known_hosts before anything connects;
/// the error says what to fix.
Result<std::unique_ptr<PublishTarget>> sftpTarget(const std::string &address,
                                                  const SftpSettings &settings);

} // namespace cuecard
