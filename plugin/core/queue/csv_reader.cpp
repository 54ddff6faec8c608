#include "core/queue/csv_reader.hpp"

#include "core/util/utf8.hpp"

namespace cuecard {
namespace {

std::string trim(std::string_view s) {
    const auto isSpace = [](char c) { return c == ' ' || c == '\t'; };
    while (!s.empty() && isSpace(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && isSpace(s.back())) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

} // namespace

Result<std::vector<CsvRecord>> parseCsvRecords(std::string_view text, const std::string &source,
                                               char delimiter) {
    text = utf8::stripBom(text);
    if (auto bad = utf8::findInvalid(text)) {
        return makeError(source + " line " + std::to_string(utf8::lineOfOffset(text, *bad)) +
                         ": the file is not UTF-8 (byte offset " + std::to_string(*bad) +
                         "); export it from your CRM or spreadsheet as \"CSV UTF-8\"");
    }

    std::vector<CsvRecord> records;
    CsvRecord current;
    std::string field;
    bool fieldQuoted = false;
    bool recordHasContent = false;
    int line = 1;
    current.line = 1;

    auto endField = [&] {
        current.fields.push_back(fieldQuoted ? field : trim(field));
        field.clear();
        fieldQuoted = false;
    };
    auto endRecord = [&](int nextLine) {
        endField();
        const bool blank =
            current.fields.size() == 1 && current.fields[0].empty() && !recordHasContent;
        if (!blank) {
            records.push_back(std::move(current));
        }
        current = CsvRecord{};
        current.line = nextLine;
        recordHasContent = false;
    };

    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        const char c = text[i];
        if (c == '"' && trim(field).empty() && !fieldQuoted) {
            // Opening quote (leading blanks before it are dropped).
            field.clear();
            fieldQuoted = true;
            recordHasContent = true;
            const int openLine = line;
            ++i;
            bool closed = false;
            while (i < n) {
                const char q = text[i];
                if (q == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        field.push_back('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                if (q == '\n') {
                    ++line;
                }
                if (q == '\r' && i + 1 < n && text[i + 1] == '\n') {
                    // Keep quoted line breaks as a plain '\n'.
                    ++i;
                    continue;
                }
                field.push_back(q);
                ++i;
            }
            if (!closed) {
                return makeError(source + " line " + std::to_string(openLine) +
                                 ": unterminated quote (a field opens with \" and never closes)");
            }
            // After a closing quote only blanks, the delimiter or a line end may follow.
            while (i < n && (text[i] == ' ' || text[i] == '\t') && text[i] != delimiter) {
                ++i;
            }
            if (i < n && text[i] != delimiter && text[i] != '\n' && text[i] != '\r') {
                return makeError(source + " line " + std::to_string(line) +
                                 ": unexpected text after a closing quote; a quote inside a "
                                 "quoted field must be doubled (\"\")");
            }
            continue;
        }
        if (c == delimiter) {
            endField();
            recordHasContent = true;
            ++i;
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < n && text[i + 1] == '\n') {
                ++i;
            }
            ++i;
            ++line;
            endRecord(line);
            continue;
        }
        if (fieldQuoted) {
            // Unreachable: after a quoted field we always stop at a delimiter or line end.
            ++i;
            continue;
        }
        field.push_back(c);
        if (c != ' ' && c != '\t') {
            recordHasContent = true;
        }
        ++i;
    }
    if (recordHasContent || !field.empty() || !current.fields.empty()) {
        endRecord(line);
    }
    return records;
}

Result<Queue> parseCsvQueue(std::string_view text, std::string source) {
    auto parsed = parseCsvRecords(text, source);
    if (!parsed) {
        return parsed.error();
    }
    auto &records = parsed.value();
    if (records.empty()) {
        return makeError(source + ": the file is empty; a queue needs a header row and at "
                                  "least one recipient");
    }
    Queue queue;
    queue.source = std::move(source);
    const CsvRecord &header = records.front();
    std::vector<std::string> names;
    for (std::size_t c = 0; c < header.fields.size(); ++c) {
        std::string name = normalizeFieldName(header.fields[c]);
        if (name.empty()) {
            name = "column_" + std::to_string(c + 1);
        }
        names.push_back(std::move(name));
    }
    if (records.size() == 1) {
        return makeError(queue.source + ": only a header row, no recipients");
    }
    for (std::size_t r = 1; r < records.size(); ++r) {
        const CsvRecord &rec = records[r];
        if (rec.fields.size() > names.size()) {
            queue.warnings.push_back({rec.line, "row has " + std::to_string(rec.fields.size()) +
                                                    " fields but the header has " +
                                                    std::to_string(names.size()) +
                                                    "; the row was skipped"});
            continue;
        }
        if (rec.fields.size() < names.size()) {
            queue.warnings.push_back({rec.line, "row has " + std::to_string(rec.fields.size()) +
                                                    " fields but the header has " +
                                                    std::to_string(names.size()) +
                                                    "; the missing ones are empty"});
        }
        Recipient recipient;
        recipient.line = rec.line;
        for (std::size_t c = 0; c < names.size(); ++c) {
            recipient.set(names[c], c < rec.fields.size() ? rec.fields[c] : std::string());
        }
        queue.recipients.push_back(std::move(recipient));
    }
    queue.columns = names;
    finalizeQueue(queue);
    if (queue.recipients.empty()) {
        return makeError(queue.source + ": no usable recipient rows");
    }
    return queue;
}

} // namespace cuecard
