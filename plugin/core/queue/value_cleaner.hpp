// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Field values are hostile until proven otherwise. Invisible characters that can reorder or hide
/// text on screen (bidi overrides and isolates, zero-width spaces, stray BOMs, control
/// characters) are removed; one-line fields get their whitespace collapsed; absurdly long values
/// are cut. Each change is reported so a rep can fix the CRM.

#include <string>
#include <vector>

namespace cuecard {

constexpr std::size_t kMaxSingleLineBytes = 1024;
constexpr std::size_t kMaxFieldBytes = 64 * 1024;

struct CleanResult {
    std::string value;
    std::vector<std::string> notes; ///< what was changed, for warnings
};

CleanResult cleanValue(std::string value, bool singleLine);

} // namespace cuecard
