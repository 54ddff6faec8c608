#include "core/util/slug.hpp"

#include "core/util/utf8.hpp"

#include <hb.h>

namespace cuecard {
namespace {

bool invisible(char32_t cp) {
    const bool whitespace = cp == 0x09 || cp == 0x0A || cp == 0x0D;
    return (cp < 0x20 && !whitespace) || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF || (cp >= 0xFE00 && cp <= 0xFE0F);
}

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
        if (invisible(cp) || cp == 0xFFFD) {
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
