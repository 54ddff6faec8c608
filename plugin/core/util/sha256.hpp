// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// SHA-256 (FIPS 180-4), for content-addressed cache keys.

#include <string>
#include <string_view>

namespace cuecard {

/// The digest of `data` as 64 lowercase hex digits.
std::string sha256Hex(std::string_view data);

} // namespace cuecard
