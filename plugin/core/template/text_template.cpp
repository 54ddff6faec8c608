#include "core/template/text_template.hpp"

#include "core/queue/queue.hpp"

namespace cuecard {
namespace {

bool validFieldChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ' ';
}

} // namespace

Result<TextTemplate> TextTemplate::parse(std::string_view text) {
    TextTemplate t;
    t.source_ = std::string(text);
    std::string literal;
    auto flush = [&] {
        if (!literal.empty()) {
            t.segments_.push_back(Segment{false, literal, false, {}});
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
            return makeError("template \"" + t.source_ + "\" position " + std::to_string(i + 1) +
                             ": '}' without '{' (write }} for a literal brace)");
        }
        if (c != '{') {
            literal.push_back(c);
            ++i;
            continue;
        }
        const std::size_t close = text.find('}', i + 1);
        if (close == std::string_view::npos) {
            return makeError("template \"" + t.source_ + "\" position " + std::to_string(i + 1) +
                             ": '{' is never closed (write {{ for a literal brace)");
        }
        std::string_view inner = text.substr(i + 1, close - i - 1);
        if (inner.find('{') != std::string_view::npos) {
            return makeError("template \"" + t.source_ + "\" position " + std::to_string(i + 1) +
                             ": '{' inside a field");
        }
        Segment seg;
        seg.isField = true;
        const std::size_t bar = inner.find('|');
        std::string_view name = inner.substr(0, bar);
        if (bar != std::string_view::npos) {
            seg.hasFallback = true;
            seg.fallback = std::string(inner.substr(bar + 1));
        }
        while (!name.empty() && name.front() == ' ') {
            name.remove_prefix(1);
        }
        while (!name.empty() && name.back() == ' ') {
            name.remove_suffix(1);
        }
        if (name.empty()) {
            return makeError("template \"" + t.source_ + "\" position " + std::to_string(i + 1) +
                             ": empty field name");
        }
        for (char fc : name) {
            if (!validFieldChar(fc)) {
                return makeError("template \"" + t.source_ + "\" position " +
                                 std::to_string(i + 1) + ": invalid character '" +
                                 std::string(1, fc) + "' in field name");
            }
        }
        seg.text = normalizeFieldName(name);
        flush();
        t.segments_.push_back(std::move(seg));
        i = close + 1;
    }
    flush();
    return t;
}

Status TextTemplate::check(const std::vector<std::string> &columns) const {
    for (const auto &seg : segments_) {
        if (!seg.isField || seg.hasFallback) {
            continue;
        }
        bool found = false;
        for (const auto &c : columns) {
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

std::string TextTemplate::expand(const Recipient &recipient) const {
    std::string out;
    for (const auto &seg : segments_) {
        if (!seg.isField) {
            out += seg.text;
            continue;
        }
        const std::string_view v = recipient.get(seg.text);
        out += v.empty() ? std::string_view(seg.fallback) : v;
    }
    return out;
}

bool TextTemplate::usesFallback(const Recipient &recipient) const {
    for (const auto &seg : segments_) {
        if (seg.isField && recipient.get(seg.text).empty()) {
            return true;
        }
    }
    return false;
}

} // namespace cuecard
