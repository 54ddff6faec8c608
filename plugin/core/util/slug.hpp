// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Recipient names become file-name parts only through here: letters and digits of any script
/// are kept, everything else (path separators, dots, control and bidi-override characters)
/// becomes a single '-' or disappears, and the length is capped in bytes without cutting a
/// UTF-8 sequence.

#include <cstddef>
#include <string>
#include <string_view>

namespace cuecard {

/// "Zoë O'Brien / ACME" → "zoë-o-brien-acme". Never empty: "recipient" when nothing is left.
std::string slugify(std::string_view name, std::size_t maxBytes = 60);

} // namespace cuecard
