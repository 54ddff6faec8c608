// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/util/slug.hpp"

#include "core/util/unicode_class.hpp"
#include "core/util/utf8.hpp"

#include <hb.h>

namespace cuecard {
namespace {

bool keepNonAscii(char32_t cp) {
    switch (hb_unicode_general_category(hb_unicode_funcs_get_default(), cp)) {
    case HB_UNICODE_GENERAL_CATEGORY_LOWERCASE_LETTER:
    case HB_UNICODE_GENERAL_CATEGORY_UPPERCASE_LETTER:
    case HB_UNICODE_GENERAL_CATEGORY_TITLECASE_LETTER:
    case HB_UNICODE_GENERAL_CATEGORY_MODIFIER_LETTER:
    case HB_UNICODE_GENERAL_CATEGORY_OTHER_LETTER:
    case HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_DECIMAL_NUMBER:
        return true;
    default:
        return false;
    }
}

} // namespace

std::string slugify(std::string_view name, std::size_t maxBytes) {
    std::string out;
    bool pendingDash = false;
    for (char32_t cp : utf8::decode(name)) {
        if (unicode::isInvisibleInName(cp)) {
            continue;
        }
        const bool asciiAlnum =
            (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        if (!asciiAlnum && (cp < 0x80 || !keepNonAscii(cp))) {
            pendingDash = !out.empty();
            continue;
        }
        if (pendingDash) {
            out.push_back('-');
            pendingDash = false;
        }
        if (cp >= 'A' && cp <= 'Z') {
            cp = cp - 'A' + 'a';
        }
        utf8::append(out, cp);
    }
    std::string capped(utf8::truncateBytes(out, maxBytes));
    while (!capped.empty() && capped.back() == '-') {
        capped.pop_back();
    }
    return capped.empty() ? "recipient" : capped;
}

} // namespace cuecard
