// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/queue.hpp"
#include "core/util/read_file.hpp"

#include "core/queue/csv_reader.hpp"
#include "core/queue/field_aliases.hpp"
#include "core/queue/json_reader.hpp"
#include "core/queue/value_cleaner.hpp"
#include "core/util/utf8.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

namespace cuecard {
namespace {

std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (auto &c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::string hashId(const Recipient &r) {
    // FNV-1a over the fields that identify a person on screen, case-folded (ASCII).
    std::uint64_t h = 1469598103934665603ull;
    for (const char *key : {"full_name", "company", "title"}) {
        for (char c : lowerAscii(r.get(key))) {
            h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        }
        h = (h ^ 0x1Fu) * 1099511628211ull;
    }
    char buf[24];
    std::snprintf(buf, sizeof buf, "h:%016llx", static_cast<unsigned long long>(h));
    return buf;
}

/// UTF-16 with a byte order mark (Excel's "Unicode Text") becomes UTF-8; nullopt when broken.
std::optional<std::string> utf16ToUtf8(std::string_view bytes, bool littleEndian) {
    std::string out;
    out.reserve(bytes.size());
    const auto unit = [&](std::size_t i) -> char32_t {
        const auto a = static_cast<unsigned char>(bytes[i]);
        const auto b = static_cast<unsigned char>(bytes[i + 1]);
        return littleEndian ? static_cast<char32_t>(a | (b << 8))
                            : static_cast<char32_t>((a << 8) | b);
    };
    for (std::size_t i = 2; i + 1 < bytes.size(); i += 2) {
        char32_t c = unit(i);
        if (c >= 0xD800 && c <= 0xDBFF) {
            if (i + 3 >= bytes.size()) {
                return std::nullopt;
            }
            const char32_t lo = unit(i + 2);
            if (lo < 0xDC00 || lo > 0xDFFF) {
                return std::nullopt;
            }
            c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
        } else if (c >= 0xDC00 && c <= 0xDFFF) {
            return std::nullopt;
        }
        utf8::append(out, c);
    }
    return out;
}

} // namespace

bool Queue::hasColumn(std::string_view name) const {
    for (const auto &c : columns) {
        if (c == name) {
            return true;
        }
    }
    return false;
}

const Recipient *Queue::findById(std::string_view id) const {
    for (const auto &r : recipients) {
        if (r.id == id) {
            return &r;
        }
    }
    return nullptr;
}

int Queue::count(Severity severity) const {
    int n = 0;
    for (const auto &d : diagnostics) {
        n += d.severity == severity ? 1 : 0;
    }
    return n;
}

std::string normalizeFieldName(std::string_view header) {
    std::string out;
    bool pendingSep = false;
    for (std::size_t i = 0; i < header.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(header[i]);
        const bool upper = c >= 'A' && c <= 'Z';
        const bool alnum = upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (!alnum) {
            pendingSep = !out.empty();
            continue;
        }
        // camelCase boundary: "FirstName" -> "first_name".
        if (upper && i > 0) {
            const unsigned char prev = static_cast<unsigned char>(header[i - 1]);
            if (prev >= 'a' && prev <= 'z') {
                pendingSep = true;
            }
        }
        if (pendingSep && !out.empty()) {
            out.push_back('_');
        }
        pendingSep = false;
        out.push_back(upper ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
    }
    return out;
}

Queue buildQueue(RawTable table) {
    Queue queue;
    queue.source = table.source;
    queue.format = table.format;
    queue.diagnostics = std::move(table.diagnostics);
    const auto warn = [&](int line, int column, std::string message) {
        queue.diagnostics.push_back(
            {queue.source, line, column, Severity::Warning, std::move(message)});
    };

    // 1. Column names: normalized, then CRM aliases to canonical fields.
    std::vector<std::string> nameOf(table.keys.size()); // key index -> field name
    std::map<std::string, std::string> byNormalized; // "Full Name" and "full_name" are one column
    std::set<std::string> taken;
    for (std::size_t c = 0; c < table.keys.size(); ++c) {
        const std::string &key = table.keys[c];
        std::string normalized = normalizeFieldName(key);
        if (normalized.empty()) {
            normalized = "column_" + std::to_string(c + 1);
        }
        if (auto it = byNormalized.find(normalized); it != byNormalized.end()) {
            nameOf[c] = it->second;
            continue;
        }
        std::string name = canonicalField(normalized);
        if (taken.count(name) != 0) {
            std::string alt = normalized;
            for (int k = 2; taken.count(alt) != 0; ++k) {
                alt = normalized + "_" + std::to_string(k);
            }
            warn(0, 0,
                 "column \"" + key + "\" also means \"" + name + "\"; it is kept as \"" + alt +
                     "\" and the first such column is used");
            name = alt;
        }
        taken.insert(name);
        if (normalized != name) {
            queue.headerFields.emplace_back(key, name);
        }
        nameOf[c] = name;
        byNormalized[normalized] = name;
        queue.columns.push_back(name);
    }

    // 2. Rows: cleaned values, derived full_name.
    const bool canDerive = taken.count("first_name") != 0 || taken.count("last_name") != 0;
    if (canDerive && taken.count("full_name") == 0) {
        queue.columns.push_back("full_name");
    }
    std::unordered_map<std::string, int> idLines;
    idLines.reserve(table.rows.size());
    queue.recipients.reserve(table.rows.size());
    for (RawRow &row : table.rows) {
        Recipient r;
        r.line = row.line;
        bool anyValue = false;
        for (RawField &f : row.fields) {
            const std::string &name = nameOf[static_cast<std::size_t>(f.key)];
            CleanResult clean = cleanValue(std::move(f.value), isSingleLineField(name));
            for (const auto &note : clean.notes) {
                warn(f.line, f.column, "field \"" + name + "\": " + note);
            }
            if (!clean.value.empty() && clean.value.front() == '=' && isSingleLineField(name)) {
                warn(f.line, f.column,
                     "field \"" + name +
                         "\" starts with '=' (a spreadsheet formula?); it is shown as plain "
                         "text and never evaluated");
            }
            anyValue = anyValue || !clean.value.empty();
            r.set(name, std::move(clean.value));
        }
        if (!anyValue) {
            warn(row.line, 0, "row has no values; it was skipped");
            continue;
        }
        if (canDerive && r.get("full_name").empty()) {
            std::string joined(r.get("first_name"));
            if (auto last = r.get("last_name"); !last.empty()) {
                joined += joined.empty() ? "" : " ";
                joined += last;
            }
            r.set("full_name", std::move(joined));
        }

        // 3. A stable id.
        if (auto id = r.get("id"); !id.empty()) {
            r.id = std::string(id);
        } else if (auto email = r.get("email"); !email.empty()) {
            r.id = lowerAscii(email);
        } else {
            r.id = hashId(r);
        }
        if (auto [it, added] = idLines.try_emplace(r.id, row.line); !added) {
            std::string unique;
            for (int k = 2;; ++k) {
                unique = r.id + "#" + std::to_string(k);
                if (idLines.count(unique) == 0) {
                    break;
                }
            }
            warn(row.line, row.column,
                 "duplicate recipient id \"" + r.id + "\" (first on line " +
                     std::to_string(it->second) + "); this row is kept as \"" + unique + "\"");
            r.id = unique;
            idLines.emplace(r.id, row.line);
        }
        r.index = static_cast<int>(queue.recipients.size()) + 1;
        queue.recipients.push_back(std::move(r));
    }
    return queue;
}

Queue readQueueText(std::string_view bytes, const std::string &source, std::string_view extension) {
    const auto fatal = [&](std::string message) {
        Queue q;
        q.source = source;
        q.diagnostics.push_back({source, 0, 0, Severity::Error, std::move(message)});
        return q;
    };
    std::string converted;
    std::string_view text = bytes;
    if (text.size() >= 2 && (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF")) {
        auto utf8 = utf16ToUtf8(text, text[0] == '\xFF');
        if (!utf8) {
            return fatal("the file is UTF-16 but damaged; export it again as \"CSV UTF-8\"");
        }
        converted = std::move(*utf8);
        text = converted;
    }
    text = utf8::stripBom(text);
    if (text.find('\0') != std::string_view::npos) {
        return fatal("the file contains NUL bytes (UTF-16 without a byte order mark, or not a "
                     "text file?); export it as \"CSV UTF-8\"");
    }
    bool blank = true;
    for (char c : text) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            blank = false;
            break;
        }
    }
    if (blank) {
        return fatal("the file is empty; a queue needs a header row and at least one recipient");
    }

    std::string ext = lowerAscii(extension);
    RawTable table;
    char first = 0;
    for (char c : text) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            first = c;
            break;
        }
    }
    if (ext == ".json") {
        table = looksLikeJsonLines(text) ? readJsonLines(text, source) : readJson(text, source);
    } else if (ext == ".jsonl" || ext == ".ndjson") {
        table = readJsonLines(text, source);
    } else if (ext == ".tsv" || ext == ".tab") {
        table = readCsv(text, source, '\t');
    } else if (ext == ".csv" || ext == ".txt") {
        table = readCsv(text, source);
    } else if (first == '[') {
        table = readJson(text, source);
    } else if (first == '{') {
        table = looksLikeJsonLines(text) ? readJsonLines(text, source) : readJson(text, source);
    } else {
        table = readCsv(text, source);
    }
    const bool isCsv = table.format.rfind("CSV", 0) == 0;
    const bool headerOnly = table.rows.empty() && !table.keys.empty() && table.diagnostics.empty();
    const bool jsonEmpty = table.rows.empty() && table.keys.empty() && table.diagnostics.empty();
    Queue queue = buildQueue(std::move(table));
    if (headerOnly && isCsv) {
        queue.diagnostics.push_back(
            {source, 0, 0, Severity::Error, "only a header row, no recipients"});
    } else if (jsonEmpty) {
        queue.diagnostics.push_back({source, 0, 0, Severity::Error, "the recipient list is empty"});
    }
    if (queue.recipients.empty() && queue.count(Severity::Error) == 0) {
        queue.diagnostics.push_back(
            {source, 0, 0, Severity::Error, "no recipient could be loaded"});
    }
    return queue;
}

Queue readQueue(const std::filesystem::path &path) {
    const std::string source = path.filename().string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        Queue q;
        q.source = source;
        q.diagnostics.push_back({path.string(), 0, 0, Severity::Error, "no such queue file"});
        return q;
    }
    const std::optional<std::string> text = readFile(path);
    if (!text) {
        Queue q;
        q.source = source;
        q.diagnostics.push_back(
            {path.string(), 0, 0, Severity::Error, "cannot be read (check its permissions)"});
        return q;
    }
    return readQueueText(*text, source, path.extension().string());
}

std::string Queue::fatalMessage() const {
    std::string message = source + ": error";
    for (const auto &d : diagnostics) {
        if (d.severity == Severity::Error) {
            message = d.format();
            break;
        }
    }
    if (message.find("no recipient could be loaded") == std::string::npos) {
        message += "; no recipient could be loaded";
    }
    return message;
}

Result<Queue> loadQueueFile(const std::filesystem::path &path) {
    Queue queue = readQueue(path);
    if (queue.recipients.empty()) {
        return makeError(queue.fatalMessage());
    }
    return queue;
}

} // namespace cuecard
