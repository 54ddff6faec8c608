// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The one way the core reads a whole file.

#include <filesystem>
#include <optional>
#include <string>

namespace cuecard {

/// The file's bytes; nullopt when it cannot be opened (missing, a folder, no permission).
std::optional<std::string> readFile(const std::filesystem::path &path);

} // namespace cuecard
