#include "core/queue/queue.hpp"

#include "core/queue/csv_reader.hpp"
#include "core/queue/json_reader.hpp"

#include <fstream>
#include <sstream>

namespace cuecard {

bool Queue::hasColumn(std::string_view name) const {
    for (const auto &c : columns) {
        if (c == name) {
            return true;
        }
    }
    return false;
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

void finalizeQueue(Queue &queue) {
    const bool hasFull = queue.hasColumn("full_name");
    const bool canDerive = queue.hasColumn("first_name") || queue.hasColumn("last_name");
    int index = 0;
    for (auto &r : queue.recipients) {
        r.index = ++index;
        if (canDerive && r.get("full_name").empty()) {
            std::string joined(r.get("first_name"));
            if (auto last = r.get("last_name"); !last.empty()) {
                joined += joined.empty() ? "" : " ";
                joined += last;
            }
            r.set("full_name", std::move(joined));
        }
    }
    if (canDerive && !hasFull) {
        queue.columns.push_back("full_name");
    }
}

Result<Queue> parseQueue(std::string_view text, std::string source, bool json) {
    return json ? parseJsonQueue(text, std::move(source)) : parseCsvQueue(text, std::move(source));
}

Result<Queue> loadQueueFile(const std::filesystem::path &path) {
    const std::string source = path.filename().string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return makeError(path.string() + ": no such queue file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return makeError(path.string() + ": cannot be read (check its permissions)");
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();

    std::string ext = path.extension().string();
    for (auto &c : ext) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    bool json = ext == ".json";
    if (ext != ".json" && ext != ".csv" && ext != ".tsv" && ext != ".txt") {
        for (char c : text) {
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                continue;
            }
            json = c == '[' || c == '{';
            break;
        }
    }
    return parseQueue(text, source, json);
}

} // namespace cuecard
