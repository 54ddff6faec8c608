// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/text/line_break.hpp"

#include <unicode/ubrk.h>
#include <unicode/uloc.h>

#include <string>

namespace cuecard {

namespace {

/// `text` in UTF-16 for ICU, with the code point index of each unit (and the end's).
struct Utf16 {
    std::u16string units;
    std::vector<std::size_t> codePointAt;
};

Utf16 toUtf16(std::u32string_view text) {
    Utf16 out;
    out.units.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char32_t c = text[i];
        if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
            c = 0xFFFD;
        }
        if (c >= 0x10000) {
            const char32_t v = c - 0x10000;
            out.units.push_back(static_cast<char16_t>(0xD800 + (v >> 10)));
            out.units.push_back(static_cast<char16_t>(0xDC00 + (v & 0x3FF)));
            out.codePointAt.push_back(i);
            out.codePointAt.push_back(i);
        } else {
            out.units.push_back(static_cast<char16_t>(c));
            out.codePointAt.push_back(i);
        }
    }
    out.codePointAt.push_back(text.size());
    return out;
}

} // namespace

std::vector<LineBreakOpportunity> lineBreaks(std::u32string_view text) {
    std::vector<LineBreakOpportunity> out;
    if (text.empty()) {
        return out;
    }
    // ICU speaks UTF-16: convert, remembering which code point each unit belongs to.
    const Utf16 u = toUtf16(text);
    const std::u16string &utf16 = u.units;
    const std::vector<std::size_t> &codePointAt = u.codePointAt;
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *it = ubrk_open(UBRK_LINE, uloc_getDefault(), utf16.data(),
                                   static_cast<int32_t>(utf16.size()), &status);
    if (U_FAILURE(status) || it == nullptr) {
        // No ICU data: fall back to breaking after spaces only (never a wrong break).
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == U' ' || text[i] == U'\n') {
                out.push_back({i + 1, text[i] == U'\n'});
            }
        }
        if (out.empty() || out.back().position != text.size()) {
            out.push_back({text.size(), false});
        }
        return out;
    }
    for (int32_t b = ubrk_first(it); b != UBRK_DONE; b = ubrk_next(it)) {
        if (b == 0) {
            continue;
        }
        const int32_t rule = ubrk_getRuleStatus(it);
        const bool hard = rule >= UBRK_LINE_HARD && rule < UBRK_LINE_HARD_LIMIT;
        out.push_back({codePointAt[static_cast<std::size_t>(b)], hard});
    }
    ubrk_close(it);
    return out;
}

std::vector<bool> graphemeStarts(std::u32string_view text) {
    std::vector<bool> starts(text.size() + 1, false);
    starts[0] = true;
    starts[text.size()] = true;
    if (text.empty()) {
        return starts;
    }
    const Utf16 u = toUtf16(text);
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *it = ubrk_open(UBRK_CHARACTER, uloc_getDefault(), u.units.data(),
                                   static_cast<int32_t>(u.units.size()), &status);
    if (U_FAILURE(status) || it == nullptr) {
        // No ICU data: every code point but a mark, a joiner or what follows one, a variation
        // selector or a skin tone starts one (never tears the common cases).
        for (std::size_t i = 1; i < text.size(); ++i) {
            const char32_t c = text[i];
            const bool joined = c == 0x200D || text[i - 1] == 0x200D ||
                                (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x1F3FB && c <= 0x1F3FF) ||
                                (c >= 0x0300 && c <= 0x036F) || c == 0x20E3;
            starts[i] = !joined;
        }
        return starts;
    }
    for (int32_t b = ubrk_first(it); b != UBRK_DONE; b = ubrk_next(it)) {
        starts[u.codePointAt[static_cast<std::size_t>(b)]] = true;
    }
    ubrk_close(it);
    return starts;
}

} // namespace cuecard
