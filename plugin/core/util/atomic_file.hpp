// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// State files are replaced atomically: write a temporary file next to the target, fsync it,
/// rename it over the target, fsync the folder. A crash or kill at any moment leaves either the
/// old file or the new one, never half of one.

#include "core/util/result.hpp"

#include <filesystem>
#include <string_view>

namespace cuecard {

Status writeFileAtomically(const std::filesystem::path &path, std::string_view content);

/// Renames `from` to `to`, or to `to` with "-2", "-3"… before the extension when taken; never
/// replaces an existing file. Returns the name used.
Result<std::filesystem::path> renameWithoutReplacing(const std::filesystem::path &from,
                                                     const std::filesystem::path &to);

/// "20261128-123456" in UTC, for file names.
std::string utcStamp();
/// "2026-11-28T12:34:56Z".
std::string utcIso8601();

} // namespace cuecard
