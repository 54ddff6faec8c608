// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/text/line_break.hpp"

#include <unicode/ubrk.h>
#include <unicode/uloc.h>

#include <string>

namespace cuecard {

std::vector<LineBreakOpportunity> lineBreaks(std::u32string_view text) {
    std::vector<LineBreakOpportunity> out;
    if (text.empty()) {
        return out;
    }
    // ICU speaks UTF-16: convert, remembering which code point each unit belongs to.
    std::u16string utf16;
    std::vector<std::size_t> codePointAt; // UTF-16 index -> code point index
    utf16.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char32_t c = text[i];
        if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
            c = 0xFFFD;
        }
        if (c >= 0x10000) {
            const char32_t v = c - 0x10000;
            utf16.push_back(static_cast<char16_t>(0xD800 + (v >> 10)));
            utf16.push_back(static_cast<char16_t>(0xDC00 + (v & 0x3FF)));
            codePointAt.push_back(i);
            codePointAt.push_back(i);
        } else {
            utf16.push_back(static_cast<char16_t>(c));
            codePointAt.push_back(i);
        }
    }
    codePointAt.push_back(text.size());
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

} // namespace cuecard
