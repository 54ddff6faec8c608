// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/template/text_template.hpp"

#include "core/queue/field_aliases.hpp"
#include "core/queue/queue.hpp"
#include "core/util/utf8.hpp"

#include <clocale>
#include <cwctype>
#include <locale.h>

namespace cuecard {
namespace {

bool validFieldChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ' ';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') {
        s.remove_prefix(1);
    }
    while (!s.empty() && s.back() == ' ') {
        s.remove_suffix(1);
    }
    return s;
}

bool parseFilter(std::string_view name, TextFilter &out) {
    if (name == "upper") {
        out = TextFilter::Upper;
    } else if (name == "lower") {
        out = TextFilter::Lower;
    } else if (name == "title") {
        out = TextFilter::Title;
    } else if (name == "first") {
        out = TextFilter::First;
    } else {
        return false;
    }
    return true;
}

/// glibc's Unicode case tables through a private C.UTF-8 locale: the process locale (OBS's)
/// is never touched.
locale_t utf8Locale() {
    static locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    return loc;
}

char32_t mapCase(char32_t c, bool upper) {
    if (c < 0x80) {
        if (upper && c >= 'a' && c <= 'z') {
            return c - 'a' + 'A';
        }
        if (!upper && c >= 'A' && c <= 'Z') {
            return c - 'A' + 'a';
        }
        return c;
    }
    locale_t loc = utf8Locale();
    if (loc == static_cast<locale_t>(nullptr)) {
        return c;
    }
    const wint_t w = static_cast<wint_t>(c);
    return static_cast<char32_t>(upper ? towupper_l(w, loc) : towlower_l(w, loc));
}

bool isSpace(char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\n' || c == 0x00A0;
}

} // namespace

std::string applyFilter(TextFilter filter, std::string_view text) {
    std::u32string s = utf8::decode(text);
    switch (filter) {
    case TextFilter::Upper:
    case TextFilter::Lower:
        for (auto &c : s) {
            c = mapCase(c, filter == TextFilter::Upper);
        }
        break;
    case TextFilter::Title: {
        bool startOfWord = true;
        for (auto &c : s) {
            c = mapCase(c, startOfWord);
            startOfWord = isSpace(c) || c == U'-';
        }
        break;
    }
    case TextFilter::First: {
        std::size_t start = 0;
        while (start < s.size() && isSpace(s[start])) {
            ++start;
        }
        std::size_t end = start;
        while (end < s.size() && !isSpace(s[end])) {
            ++end;
        }
        s = s.substr(start, end - start);
        break;
    }
    }
    return utf8::encode(s);
}

Result<TextTemplate> TextTemplate::parse(std::string_view text) {
    TextTemplate t;
    t.source_ = std::string(text);
    const auto error = [&](std::size_t pos, const std::string &what) {
        return makeError("template \"" + t.source_ + "\" position " + std::to_string(pos + 1) +
                         ": " + what);
    };
    std::string literal;
    auto flush = [&] {
        if (!literal.empty()) {
            t.segments_.push_back(Segment{false, literal, false, {}, {}, 0});
            literal.clear();
        }
    };
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
            literal.push_back('{');
            i += 2;
            continue;
        }
        if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
            literal.push_back('}');
            i += 2;
            continue;
        }
        if (c == '}') {
            return error(i, "'}' without '{' (write }} for a literal brace)");
        }
        if (c != '{') {
            literal.push_back(c);
            ++i;
            continue;
        }
        const std::size_t close = text.find('}', i + 1);
        if (close == std::string_view::npos) {
            return error(i, "'{' is never closed (write {{ for a literal brace)");
        }
        std::string_view inner = text.substr(i + 1, close - i - 1);
        if (inner.find('{') != std::string_view::npos) {
            return error(i, "'{' inside a field");
        }
        Segment seg;
        seg.isField = true;
        // name[:spec] then |parts
        std::size_t bar = inner.find('|');
        std::string_view head = inner.substr(0, bar);
        std::string_view spec;
        if (auto colon = head.find(':'); colon != std::string_view::npos) {
            spec = head.substr(colon + 1);
            head = head.substr(0, colon);
        }
        const std::string_view name = trim(head);
        if (name.empty()) {
            return error(i, "empty field name");
        }
        for (char fc : name) {
            if (!validFieldChar(fc)) {
                return error(i, "invalid character '" + std::string(1, fc) + "' in field name");
            }
        }
        if (!spec.empty()) {
            if (spec.size() < 2 || spec[0] != '0' ||
                spec.find_first_not_of("0123456789") != std::string_view::npos || spec.size() > 3) {
                return error(i, "unknown format \":" + std::string(spec) +
                                    "\" (use :03 for a number padded to 3 digits)");
            }
            seg.zeroPad = std::stoi(std::string(spec.substr(1)));
        }
        while (bar != std::string_view::npos) {
            const std::size_t next = inner.find('|', bar + 1);
            const std::string_view part = inner.substr(
                bar + 1, next == std::string_view::npos ? std::string_view::npos : next - bar - 1);
            bar = next;
            TextFilter filter{};
            if (parseFilter(trim(part), filter)) {
                seg.filters.push_back(filter);
                continue;
            }
            if (seg.hasFallback) {
                return error(i, "more than one fallback (a filter is one of upper, lower, "
                                "title, first)");
            }
            seg.hasFallback = true;
            std::string_view fb = part;
            if (trim(fb).size() >= 2 && trim(fb).front() == '"' && trim(fb).back() == '"') {
                fb = trim(fb).substr(1, trim(fb).size() - 2);
            }
            seg.fallback = std::string(fb);
        }
        seg.text = normalizeFieldName(name);
        flush();
        t.segments_.push_back(std::move(seg));
        i = close + 1;
    }
    flush();
    return t;
}

namespace {

/// The queue's name for a template's field: the field itself, or the canonical field its name is
/// an alias of ({job_title} → title), as the queue's columns were named.
std::string canonicalFor(std::string_view field) {
    return canonicalField(normalizeFieldName(field));
}

} // namespace

std::string fieldValue(const Recipient &recipient, std::string_view field) {
    std::string_view v = recipient.get(field);
    if (v.empty()) {
        if (const std::string canonical = canonicalFor(field); canonical != field) {
            return fieldValue(recipient, canonical);
        }
    }
    if (v.empty() && field == "first_name") {
        return applyFilter(TextFilter::First, recipient.get("full_name"));
    }
    return std::string(v);
}

bool queueProvides(const std::vector<std::string> &columns, std::string_view field) {
    const std::string canonical = canonicalFor(field);
    for (const auto &c : columns) {
        if (c == field || c == canonical ||
            ((field == "first_name" || canonical == "first_name") && c == "full_name")) {
            return true;
        }
    }
    return false;
}

Status TextTemplate::check(const std::vector<std::string> &columns,
                           const std::vector<std::string> &extraNames) const {
    for (const auto &seg : segments_) {
        if (!seg.isField || seg.hasFallback) {
            continue;
        }
        bool found = queueProvides(columns, seg.text);
        for (const auto &c : extraNames) {
            found = found || c == seg.text;
        }
        if (!found) {
            std::string have;
            for (const auto &c : columns) {
                have += have.empty() ? "" : ", ";
                have += c;
            }
            return makeError("template \"" + source_ + "\" uses the field {" + seg.text +
                             "}, which the queue does not have (it has: " + have +
                             "); add the column or give a fallback like {" + seg.text + "|text}");
        }
    }
    return Status::success();
}

Status TextTemplate::checkNotPrivate() const {
    for (const auto &seg : segments_) {
        if (!seg.isField) {
            continue;
        }
        if (const auto priv = privateFieldOf(seg.text)) {
            const std::string instead = onCameraFieldFor(*priv);
            return makeError("template \"" + source_ + "\" uses {" + seg.text +
                             "}, the rep's private " + *priv + " (column \"" + *priv +
                             "\" or one of its aliases), which never appears in a video or a "
                             "file name; put what the recipient should see in a \"" +
                             instead + "\" column and write {" + instead + "} instead");
        }
    }
    return Status::success();
}

std::string TextTemplate::expand(const Recipient &recipient, const TemplateExtras &extras) const {
    std::string out;
    for (const auto &seg : segments_) {
        if (!seg.isField) {
            out += seg.text;
            continue;
        }
        std::string v;
        bool isExtra = false;
        for (const auto &[k, value] : extras) {
            if (k == seg.text) {
                v = value;
                isExtra = true;
                break;
            }
        }
        if (!isExtra) {
            v = fieldValue(recipient, seg.text);
        }
        std::string value = v.empty() ? seg.fallback : std::move(v);
        for (TextFilter f : seg.filters) {
            value = applyFilter(f, value);
        }
        if (seg.zeroPad > 0 && !value.empty() &&
            value.find_first_not_of("0123456789") == std::string::npos &&
            value.size() < static_cast<std::size_t>(seg.zeroPad)) {
            value.insert(0, static_cast<std::size_t>(seg.zeroPad) - value.size(), '0');
        }
        out += value;
    }
    return out;
}

bool TextTemplate::usesFallback(const Recipient &recipient) const {
    for (const auto &seg : segments_) {
        if (seg.isField && fieldValue(recipient, seg.text).empty()) {
            return true;
        }
    }
    return false;
}

} // namespace cuecard
