// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/util/version.hpp"

#include "cuecard_build_info.hpp" // written at build time by cmake/build_info.cmake

namespace cuecard {

const char *version() {
    return kCuecardVersion;
}

const char *buildCommit() {
    return kCuecardCommit;
}

std::string versionLine() {
    const std::string commit = buildCommit();
    return std::string(version()) + (commit.empty() ? "" : " (git " + commit + ")");
}

} // namespace cuecard
