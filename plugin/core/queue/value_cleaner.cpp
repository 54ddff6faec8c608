// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/value_cleaner.hpp"

#include "core/util/unicode_class.hpp"
#include "core/util/utf8.hpp"

namespace cuecard {
namespace {

bool isControl(char32_t c, bool singleLine) {
    if (c == '\n' || c == '\t') {
        return false; // handled as whitespace
    }
    (void)singleLine;
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0);
}
bool isSpace(char32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x00A0 || c == 0x2028 || c == 0x2029 ||
           c == 0x3000 || (c >= 0x2000 && c <= 0x200A);
}

/// True when cleaning cannot change the value: no control bytes, none of the lead bytes that
/// start an invisible or special space character (C2: C1 controls and NBSP; E2: U+2000–U+206F;
/// E3: U+3000; EF: U+FEFF), no doubled or edge spaces on a one-line field, within the cap.
bool alreadyClean(const std::string &value, bool singleLine, std::size_t cap) {
    if (value.size() > cap) {
        return false;
    }
    if (!value.empty() && (value.front() == ' ' || value.back() == ' ' || value.front() == '\n' ||
                           value.back() == '\n')) {
        return false;
    }
    char prev = 0;
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20) {
            if (singleLine || (c != '\n' && c != '\t')) {
                return false;
            }
        } else if (c == 0x7F || c == 0xC2 || c == 0xE2 || c == 0xE3 || c == 0xEF) {
            return false;
        } else if (singleLine && c == ' ' && prev == ' ') {
            return false;
        }
        prev = ch;
    }
    return true;
}

} // namespace

CleanResult cleanValue(std::string value, bool singleLine) {
    CleanResult r;
    if (alreadyClean(value, singleLine, singleLine ? kMaxSingleLineBytes : kMaxFieldBytes)) {
        r.value = std::move(value);
        return r;
    }
    const std::size_t cap = singleLine ? kMaxSingleLineBytes : kMaxFieldBytes;
    // Decode no more than could survive the cap (a 10 MB field costs nothing extra).
    const std::string_view head = utf8::truncateBytes(value, cap * 4 + 64);
    const std::u32string in = utf8::decode(head);
    std::u32string out;
    out.reserve(in.size());
    int bidi = 0;
    int zeroWidth = 0;
    int control = 0;
    bool collapsed = false;
    for (char32_t c : in) {
        if (unicode::isBidiControl(c)) {
            ++bidi;
            continue;
        }
        if (unicode::isZeroWidth(c)) {
            ++zeroWidth;
            continue;
        }
        if (isControl(c, singleLine)) {
            ++control;
            continue;
        }
        if (singleLine && isSpace(c)) {
            if (c == '\n' || c == '\t') {
                collapsed = true;
            }
            if (!out.empty() && out.back() != U' ') {
                out.push_back(U' ');
            } else if (!out.empty()) {
                collapsed = true;
            }
            continue;
        }
        out.push_back(c);
    }
    while (!out.empty() && (out.back() == U' ' || out.back() == U'\n' || out.back() == U'\t')) {
        out.pop_back();
    }
    std::size_t lead = 0;
    while (lead < out.size() && (out[lead] == U' ' || out[lead] == U'\n' || out[lead] == U'\t')) {
        ++lead;
    }
    out.erase(0, lead);
    r.value = utf8::encode(out);
    if (bidi > 0) {
        r.notes.push_back("removed " + std::to_string(bidi) +
                          " invisible text-direction control character(s) (they can reorder "
                          "what is shown)");
    }
    if (zeroWidth > 0) {
        r.notes.push_back("removed " + std::to_string(zeroWidth) + " zero-width character(s)");
    }
    if (control > 0) {
        r.notes.push_back("removed " + std::to_string(control) + " control character(s)");
    }
    if (collapsed && singleLine) {
        r.notes.push_back("line breaks or repeated spaces were joined into single spaces");
    }
    if (r.value.size() > cap) {
        r.notes.push_back("the value is " + std::to_string(value.size()) +
                          " bytes long; it was cut to " + std::to_string(cap));
        r.value = std::string(utf8::truncateBytes(r.value, cap));
    }
    return r;
}

} // namespace cuecard
