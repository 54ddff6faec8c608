// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The invisible characters recipient data may smuggle in, classified once for every place that
/// cleans text: queue values, file names, preview slugs.

namespace cuecard::unicode {

/// Explicit embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder
/// what is shown.
inline bool isBidiControl(char32_t c) {
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/// Zero-width space, word joiner, a BOM inside text.
inline bool isZeroWidth(char32_t c) {
    return c == 0x200B || c == 0x2060 || c == 0xFEFF;
}

/// What never belongs in a file name: C0/C1 controls other than tab and line breaks (callers
/// treat those as separators), zero-width and direction marks, bidi controls, variation
/// selectors, the replacement character.
inline bool isInvisibleInName(char32_t c) {
    const bool lineOrTab = c == 0x09 || c == 0x0A || c == 0x0D;
    return (c < 0x20 && !lineOrTab) || c == 0x7F || (c >= 0x80 && c < 0xA0) ||
           (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF || (c >= 0xFE00 && c <= 0xFE0F) ||
           c == 0xFFFD;
}

} // namespace cuecard::unicode
