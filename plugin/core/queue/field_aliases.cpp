#include "core/queue/field_aliases.hpp"

#include "queue_aliases_data.hpp" // generated from data/queue-aliases.json

#include <nlohmann/json.hpp>

#include <map>

namespace cuecard {
namespace {

const std::map<std::string, std::string, std::less<>> &aliasTable() {
    static const std::map<std::string, std::string, std::less<>> table = [] {
        std::map<std::string, std::string, std::less<>> t;
        // The embedded file is checked by a unit test; a parse failure here leaves the table
        // empty (no aliases) rather than throwing into a caller.
        const auto doc = nlohmann::json::parse(kQueueAliasesJson, nullptr, false);
        if (doc.is_object() && doc.contains("aliases") && doc["aliases"].is_object()) {
            for (const auto &[canonical, names] : doc["aliases"].items()) {
                if (!names.is_array()) {
                    continue;
                }
                for (const auto &n : names) {
                    if (n.is_string()) {
                        t.emplace(n.get<std::string>(), canonical);
                    }
                }
            }
        }
        return t;
    }();
    return table;
}

} // namespace

std::string canonicalField(std::string_view normalized) {
    const auto &t = aliasTable();
    if (auto it = t.find(normalized); it != t.end()) {
        return it->second;
    }
    return std::string(normalized);
}

bool isSingleLineField(std::string_view f) {
    return f == "full_name" || f == "first_name" || f == "last_name" || f == "company" ||
           f == "title" || f == "email" || f == "id";
}

} // namespace cuecard
