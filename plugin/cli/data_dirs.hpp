// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Where the CLI finds themes, samples and fonts: $CUECARD_DATA_DIR, then next to the installed
/// binary (../share/cuecard), then the build tree's staged data, then the install prefix.

#include <filesystem>
#include <vector>

namespace cuecard::cli {

std::vector<std::filesystem::path> dataDirs();

/// `<dir>/fonts` for every data dir that has one.
std::vector<std::filesystem::path> fontDirs(const std::vector<std::filesystem::path> &dirs);

} // namespace cuecard::cli
