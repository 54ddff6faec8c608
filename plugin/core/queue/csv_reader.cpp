// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/csv_reader.hpp"

#include "core/queue/queue.hpp"
#include "core/queue/text_position.hpp"
#include "core/util/utf8.hpp"

#include <algorithm>
#include <array>

namespace cuecard {
namespace {

bool isLineEnd(char c) {
    return c == '\n' || c == '\r';
}

std::size_t skipLineEnd(std::string_view text, std::size_t pos) {
    if (pos < text.size() && text[pos] == '\r') {
        ++pos;
        if (pos < text.size() && text[pos] == '\n') {
            ++pos;
        }
    } else if (pos < text.size() && text[pos] == '\n') {
        ++pos;
    }
    return pos;
}

std::string trimBlanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

const char *delimiterName(char d) {
    switch (d) {
    case ';':
        return "semicolon";
    case '\t':
        return "tab";
    default:
        return "comma";
    }
}

struct Field {
    std::string value;
    std::size_t offset = 0;
};

} // namespace

char sniffDelimiter(std::string_view text) {
    std::array<int, 3> counts{0, 0, 0};
    const char candidates[3] = {',', ';', '\t'};
    bool quoted = false;
    for (char c : text) {
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && isLineEnd(c)) {
            break;
        } else if (!quoted) {
            for (int i = 0; i < 3; ++i) {
                counts[static_cast<std::size_t>(i)] += c == candidates[i] ? 1 : 0;
            }
        }
    }
    int best = 0;
    for (int i = 1; i < 3; ++i) {
        if (counts[static_cast<std::size_t>(i)] > counts[static_cast<std::size_t>(best)]) {
            best = i;
        }
    }
    return candidates[best];
}

RawTable readCsv(std::string_view text, const std::string &source, char delimiter) {
    RawTable table;
    table.source = source;
    const LineIndex lines(text);
    std::size_t pos = 0;

    // Excel writes "sep=;" as the first line when asked to; it names the delimiter.
    if (text.size() >= 5 && (text.substr(0, 4) == "sep=" || text.substr(0, 4) == "SEP=") &&
        (text.size() == 5 || isLineEnd(text[5]))) {
        delimiter = text[4];
        pos = skipLineEnd(text, 5);
    }
    if (delimiter == 0) {
        delimiter = sniffDelimiter(text.substr(pos));
    }
    table.format = std::string("CSV (") + delimiterName(delimiter) + ")";

    std::vector<std::string> header;
    bool haveHeader = false;
    const std::size_t n = text.size();

    while (pos < n) {
        const std::size_t recordStart = pos;
        std::vector<Field> fields;
        bool broken = false;
        bool anyContent = false;
        // One record: fields until an unquoted line end.
        while (true) {
            Field f;
            std::size_t p = pos;
            while (p < n && (text[p] == ' ' || text[p] == '\t') && text[p] != delimiter) {
                ++p;
            }
            f.offset = p;
            if (p < n && text[p] == '"') {
                anyContent = true;
                const std::size_t open = p;
                ++p;
                bool closed = false;
                while (p < n) {
                    if (text[p] == '"') {
                        if (p + 1 < n && text[p + 1] == '"') {
                            f.value.push_back('"');
                            p += 2;
                            continue;
                        }
                        ++p;
                        closed = true;
                        break;
                    }
                    if (text[p] == '\r') {
                        // A quoted line break is kept as a plain '\n'.
                        f.value.push_back('\n');
                        p = skipLineEnd(text, p);
                        continue;
                    }
                    f.value.push_back(text[p]);
                    ++p;
                }
                if (!closed) {
                    table.error(lines.line(open), lines.column(open),
                                "unterminated quote (a field opens with \" and never closes); "
                                "the row was skipped");
                    broken = true;
                    // Resume on the line after the one where the broken row started.
                    pos = lines.nextLineStart(recordStart);
                    break;
                }
                const std::size_t afterQuote = p;
                while (p < n && text[p] != delimiter && !isLineEnd(text[p])) {
                    ++p;
                }
                std::string_view tail = text.substr(afterQuote, p - afterQuote);
                while (!tail.empty() && (tail.back() == ' ' || tail.back() == '\t')) {
                    tail.remove_suffix(1);
                }
                if (!trimBlanks(tail).empty()) {
                    const std::size_t at = afterQuote + (tail.size() - trimBlanks(tail).size());
                    table.warning(lines.line(at), lines.column(at),
                                  "text after a closing quote (\"" + trimBlanks(tail) +
                                      "\"); it was kept. Inside quotes, write a quote as \"\"");
                    f.value += tail;
                }
            } else {
                const std::size_t start = p;
                while (p < n && text[p] != delimiter && !isLineEnd(text[p])) {
                    ++p;
                }
                f.value = trimBlanks(text.substr(start, p - start));
                anyContent = anyContent || !f.value.empty();
            }
            fields.push_back(std::move(f));
            if (p < n && text[p] == delimiter) {
                anyContent = true;
                pos = p + 1;
                continue;
            }
            pos = skipLineEnd(text, p);
            break;
        }
        if (broken) {
            continue;
        }
        if (!anyContent) {
            continue; // blank line
        }
        const int recordLine = lines.line(recordStart);
        // Bytes that are not UTF-8 drop the row with their exact position.
        bool validUtf8 = true;
        for (const Field &f : fields) {
            if (auto bad = utf8::findInvalid(f.value)) {
                // Find the byte in the source: the field's raw text starts at f.offset.
                const std::size_t at = f.offset + (text[f.offset] == '"' ? 1 : 0) + *bad;
                table.error(lines.line(at), lines.column(at),
                            "text is not UTF-8 (a Windows-1252 or Latin-1 export?); re-export "
                            "as \"CSV UTF-8\". The row was skipped");
                validUtf8 = false;
                break;
            }
        }
        if (!haveHeader) {
            if (!validUtf8) {
                return table; // without a header nothing can be read
            }
            haveHeader = true;
            for (std::size_t c = 0; c < fields.size(); ++c) {
                std::string name = fields[c].value;
                if (name.empty()) {
                    name = "column_" + std::to_string(c + 1);
                }
                // A repeated header is its own column: "Name" twice becomes "Name" and "Name_2".
                const std::string base = name;
                for (int k = 2;
                     std::find_if(header.begin(), header.end(),
                                  [&](const auto &h) {
                                      return normalizeFieldName(h) == normalizeFieldName(name);
                                  }) != header.end();
                     ++k) {
                    name = base + "_" + std::to_string(k);
                }
                if (name != base) {
                    table.warning(lines.line(fields[c].offset), lines.column(fields[c].offset),
                                  "the header \"" + base + "\" appears twice; this column is \"" +
                                      normalizeFieldName(name) + "\"");
                }
                header.push_back(std::move(name));
            }
            // "a,b," — a trailing delimiter on the header line is not a column.
            while (header.size() > 1 && fields.back().value.empty()) {
                header.pop_back();
                fields.pop_back();
            }
            for (const auto &h : header) {
                table.keyIndex(h);
            }
            continue;
        }
        if (!validUtf8) {
            continue;
        }
        if (fields.size() > header.size()) {
            // Extra fields that are all empty are a trailing delimiter, not a ragged row.
            bool extraEmpty = true;
            for (std::size_t c = header.size(); c < fields.size(); ++c) {
                extraEmpty = extraEmpty && fields[c].value.empty();
            }
            if (!extraEmpty) {
                table.error(recordLine, lines.column(fields[header.size()].offset),
                            "row has " + std::to_string(fields.size()) +
                                " fields but the header has " + std::to_string(header.size()) +
                                "; the row was skipped (a delimiter inside an unquoted field?)");
                continue;
            }
            fields.resize(header.size());
        }
        if (fields.size() < header.size()) {
            table.warning(recordLine, 0,
                          "row has " + std::to_string(fields.size()) +
                              " fields but the header has " + std::to_string(header.size()) +
                              "; the missing ones are empty");
        }
        RawRow row;
        row.line = recordLine;
        row.column = 1;
        for (std::size_t c = 0; c < fields.size(); ++c) {
            row.fields.push_back(RawField{static_cast<int>(c), std::move(fields[c].value),
                                          lines.line(fields[c].offset),
                                          lines.column(fields[c].offset)});
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

} // namespace cuecard
