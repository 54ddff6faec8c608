// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Which Cuecard this is: CMake's project version (the one place it is written) and the git
/// commit it was built from, for `cuecard --version`, OBS's log, get_state, the dock and every
/// manifest Cuecard writes, so a team lead can tell whether everyone runs the same build.

#include <string>

namespace cuecard {

/// The project version, "0.1.0".
const char *version();
/// The commit it was built from (12 hex digits, "+dirty" when the checkout had changes), or ""
/// when built from neither a checkout nor a release tarball.
const char *buildCommit();
/// "0.1.0 (git 1a2b3c4d5e6f)", or "0.1.0" without a commit.
std::string versionLine();

} // namespace cuecard
