// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// JSON queues: an array of objects, or an object with a "recipients" array; and JSON Lines,
/// one object per line. Text, numbers and booleans become text; null is empty; nested values are
/// reported and left out. Every message carries the line and column of the recipient it is about.

#include "core/queue/raw_table.hpp"

#include <string_view>

namespace cuecard {

RawTable readJson(std::string_view text, const std::string &source);
RawTable readJsonLines(std::string_view text, const std::string &source);

/// True when the text looks like JSON Lines: the first line holds a whole object and another
/// object follows on a later line.
bool looksLikeJsonLines(std::string_view text);

} // namespace cuecard
