// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/field_aliases.hpp"

#include "queue_aliases_data.hpp" // generated from data/queue-aliases.json

#include <nlohmann/json.hpp>

#include <map>

namespace cuecard {
namespace {

struct AliasData {
    std::map<std::string, std::string, std::less<>> canonical; ///< alias → canonical
    std::map<std::string, std::string, std::less<>> onCamera;  ///< private → on-camera field
};

const AliasData &aliasData() {
    static const AliasData data = [] {
        AliasData d;
        // The embedded file is checked by a unit test; a parse failure here leaves the tables
        // empty (no aliases) rather than throwing into a caller.
        const auto doc = nlohmann::json::parse(kQueueAliasesJson, nullptr, false);
        if (!doc.is_object()) {
            return d;
        }
        if (auto a = doc.find("aliases"); a != doc.end() && a->is_object()) {
            for (const auto &[canonical, names] : a->items()) {
                if (!names.is_array()) {
                    continue;
                }
                for (const auto &n : names) {
                    if (n.is_string()) {
                        d.canonical.emplace(n.get<std::string>(), canonical);
                    }
                }
            }
        }
        if (auto p = doc.find("private"); p != doc.end() && p->is_object()) {
            for (const auto &[field, instead] : p->items()) {
                d.onCamera.emplace(field, instead.is_string() ? instead.get<std::string>() : "");
            }
        }
        return d;
    }();
    return data;
}

} // namespace

std::string canonicalField(std::string_view normalized) {
    const auto &t = aliasData().canonical;
    if (auto it = t.find(normalized); it != t.end()) {
        return it->second;
    }
    return std::string(normalized);
}

bool isSingleLineField(std::string_view f) {
    return f == "full_name" || f == "first_name" || f == "last_name" || f == "company" ||
           f == "title" || f == "email" || f == "id";
}

std::optional<std::string> privateFieldOf(std::string_view name) {
    const auto &priv = aliasData().onCamera;
    for (;;) {
        const std::string canonical = canonicalField(name);
        if (priv.find(canonical) != priv.end()) {
            return canonical;
        }
        // "notes_2", "comments_3": a further column of a private field keeps its privacy.
        const auto underscore = name.rfind('_');
        if (underscore == std::string_view::npos || underscore + 1 == name.size() ||
            name.find_first_not_of("0123456789", underscore + 1) != std::string_view::npos) {
            return std::nullopt;
        }
        name = name.substr(0, underscore);
    }
}

std::string onCameraFieldFor(std::string_view privateField) {
    const auto &priv = aliasData().onCamera;
    if (auto it = priv.find(privateField); it != priv.end()) {
        return it->second;
    }
    return {};
}

std::vector<std::string> privateFields() {
    std::vector<std::string> out;
    for (const auto &[field, instead] : aliasData().onCamera) {
        (void)instead;
        out.push_back(field);
    }
    return out;
}

} // namespace cuecard
