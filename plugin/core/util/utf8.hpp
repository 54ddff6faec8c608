// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Minimal UTF-8 helpers. Recipient data is hostile: every decoder here reports invalid
/// sequences instead of guessing, so a Windows-1252 export never turns into mojibake.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cuecard::utf8 {

/// Decodes one code point starting at `pos`; advances `pos`. Returns nullopt on an invalid,
/// overlong or truncated sequence (and advances by one byte so callers can continue).
std::optional<char32_t> decodeOne(std::string_view s, std::size_t &pos);

/// Byte offset of the first invalid sequence, or nullopt when the whole string is valid.
std::optional<std::size_t> findInvalid(std::string_view s);

/// Decodes a valid UTF-8 string into code points (invalid bytes become U+FFFD).
std::u32string decode(std::string_view s);

/// Encodes one code point and appends it.
void append(std::string &out, char32_t cp);

std::string encode(std::u32string_view s);

/// The text without a leading UTF-8 byte order mark.
std::string_view stripBom(std::string_view s);

/// 1-based line number of byte `offset` (counting '\n').
int lineOfOffset(std::string_view s, std::size_t offset);

/// Longest prefix of `s` of at most `maxBytes` bytes that does not cut a sequence in half.
std::string_view truncateBytes(std::string_view s, std::size_t maxBytes);

} // namespace cuecard::utf8
