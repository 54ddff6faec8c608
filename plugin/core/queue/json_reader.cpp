// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/json_reader.hpp"

#include "core/queue/text_position.hpp"
#include "core/util/utf8.hpp"

#include <nlohmann/json.hpp>

namespace cuecard {
namespace {

using Json = nlohmann::ordered_json;

std::size_t skipWs(std::string_view t, std::size_t p) {
    while (p < t.size() && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' || t[p] == '\r')) {
        ++p;
    }
    return p;
}

std::size_t skipString(std::string_view t, std::size_t p) {
    ++p; // opening quote
    while (p < t.size() && t[p] != '"') {
        p += t[p] == '\\' ? 2 : 1;
    }
    return p + 1;
}

/// Past the JSON value at p (the text is known to be valid JSON).
std::size_t skipValue(std::string_view t, std::size_t p) {
    if (p >= t.size()) {
        return p;
    }
    if (t[p] == '"') {
        return skipString(t, p);
    }
    if (t[p] == '{' || t[p] == '[') {
        int depth = 0;
        while (p < t.size()) {
            const char c = t[p];
            if (c == '"') {
                p = skipString(t, p);
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    return p + 1;
                }
            }
            ++p;
        }
        return p;
    }
    while (p < t.size() && t[p] != ',' && t[p] != '}' && t[p] != ']' && t[p] != ' ' &&
           t[p] != '\n' && t[p] != '\r' && t[p] != '\t') {
        ++p;
    }
    return p;
}

/// Offsets where each element of the array at `p` starts.
std::vector<std::size_t> elementOffsets(std::string_view t, std::size_t p) {
    std::vector<std::size_t> out;
    p = skipWs(t, p + 1);
    while (p < t.size() && t[p] != ']') {
        out.push_back(p);
        p = skipWs(t, skipValue(t, p));
        if (p < t.size() && t[p] == ',') {
            p = skipWs(t, p + 1);
        }
    }
    return out;
}

/// Offset of the value of "recipients" in the top-level object at p, or npos.
std::size_t recipientsOffset(std::string_view t, std::size_t p) {
    p = skipWs(t, p + 1);
    while (p < t.size() && t[p] == '"') {
        const std::size_t keyEnd = skipString(t, p);
        const std::string_view key = t.substr(p + 1, keyEnd - p - 2);
        p = skipWs(t, keyEnd);
        p = skipWs(t, p + 1); // ':'
        if (key == "recipients") {
            return p;
        }
        p = skipWs(t, skipValue(t, p));
        if (p < t.size() && t[p] == ',') {
            p = skipWs(t, p + 1);
        }
    }
    return std::string_view::npos;
}

std::string parseErrorText(const nlohmann::json::exception &e) {
    std::string what = e.what();
    if (auto colon = what.rfind(": "); colon != std::string::npos) {
        what = what.substr(colon + 2);
    }
    return what;
}

void addItem(RawTable &table, const Json &item, int line, int column, const std::string &label) {
    if (!item.is_object()) {
        table.error(line, column, label + " is not an object ({…}); it was skipped");
        return;
    }
    RawRow row;
    row.line = line;
    row.column = column;
    for (const auto &[key, value] : item.items()) {
        std::string text;
        if (value.is_string()) {
            text = value.get<std::string>();
        } else if (value.is_number_integer() || value.is_number_unsigned()) {
            text = value.dump();
        } else if (value.is_number()) {
            text = value.dump();
        } else if (value.is_boolean()) {
            text = value.get<bool>() ? "true" : "false";
        } else if (value.is_null()) {
            text.clear();
        } else {
            table.warning(line, column,
                          label + " field \"" + key +
                              "\" is a list or object, not text; it was "
                              "left out");
            continue;
        }
        row.fields.push_back(RawField{table.keyIndex(key), std::move(text), line, column});
    }
    table.rows.push_back(std::move(row));
}

} // namespace

RawTable readJson(std::string_view text, const std::string &source) {
    RawTable table;
    table.source = source;
    table.format = "JSON";
    const LineIndex lines(text);
    if (auto bad = utf8::findInvalid(text)) {
        table.error(lines.line(*bad), lines.column(*bad),
                    "the file is not UTF-8; save it as UTF-8");
        return table;
    }
    Json doc;
    try {
        doc = Json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error &e) {
        const std::size_t at = e.byte > 0 ? e.byte - 1 : 0;
        table.error(lines.line(at), lines.column(at), "invalid JSON: " + parseErrorText(e));
        return table;
    } catch (const nlohmann::json::exception &e) {
        // out_of_range: a number too large for a double.
        table.error(0, 0, "invalid JSON: " + parseErrorText(e));
        return table;
    }
    const std::size_t top = skipWs(text, 0);
    const Json *list = nullptr;
    std::size_t listAt = top;
    if (doc.is_array()) {
        list = &doc;
    } else if (doc.is_object()) {
        auto it = doc.find("recipients");
        if (it != doc.end() && it->is_array()) {
            list = &*it;
            listAt = recipientsOffset(text, top);
        }
    }
    if (list == nullptr) {
        table.error(lines.line(top), lines.column(top),
                    "expected an array of recipients, or an object with a \"recipients\" array");
        return table;
    }
    const std::vector<std::size_t> offsets = elementOffsets(text, listAt);
    std::size_t i = 0;
    for (const auto &item : *list) {
        const std::size_t at = i < offsets.size() ? offsets[i] : top;
        addItem(table, item, lines.line(at), lines.column(at),
                "recipient " + std::to_string(i + 1));
        ++i;
    }
    return table;
}

RawTable readJsonLines(std::string_view text, const std::string &source) {
    RawTable table;
    table.source = source;
    table.format = "JSON Lines";
    const LineIndex lines(text);
    std::size_t pos = 0;
    int count = 0;
    while (pos < text.size()) {
        const std::size_t end = lines.nextLineStart(pos);
        std::string_view line = text.substr(pos, end - pos);
        const std::size_t start = pos;
        pos = end;
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
            line.remove_suffix(1);
        }
        const std::size_t first = skipWs(line, 0);
        if (first >= line.size()) {
            continue;
        }
        ++count;
        const int lineNo = lines.line(start);
        if (auto bad = utf8::findInvalid(line)) {
            table.error(lineNo, lines.column(start + *bad),
                        "text is not UTF-8; the line was skipped");
            continue;
        }
        Json item;
        try {
            item = Json::parse(line.begin(), line.end());
        } catch (const nlohmann::json::parse_error &e) {
            const std::size_t at = start + (e.byte > 0 ? e.byte - 1 : 0);
            table.error(lineNo, lines.column(std::min(at, text.size())),
                        "invalid JSON: " + parseErrorText(e) + "; the line was skipped");
            continue;
        } catch (const nlohmann::json::exception &e) {
            table.error(lineNo, 0, "invalid JSON: " + parseErrorText(e) + "; the line was skipped");
            continue;
        }
        addItem(table, item, lineNo, lines.column(start + first),
                "recipient " + std::to_string(count));
    }
    return table;
}

bool looksLikeJsonLines(std::string_view text) {
    const std::size_t first = skipWs(text, 0);
    if (first >= text.size() || text[first] != '{') {
        return false;
    }
    const std::size_t end = skipValue(text, first);
    // Only blanks (no newline) may follow on the first object's last line; then another object.
    std::size_t p = end;
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) {
        ++p;
    }
    if (p >= text.size() || (text[p] != '\n' && text[p] != '\r')) {
        return false;
    }
    p = skipWs(text, p);
    return p < text.size() && text[p] == '{';
}

} // namespace cuecard
