// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/recipient.hpp"

namespace cuecard {

const std::string *Recipient::find(std::string_view name) const {
    for (const auto &[key, value] : fields) {
        if (key == name) {
            return &value;
        }
    }
    return nullptr;
}

std::string_view Recipient::get(std::string_view name) const {
    const std::string *v = find(name);
    return v ? std::string_view(*v) : std::string_view();
}

void Recipient::set(std::string name, std::string value) {
    for (auto &[key, v] : fields) {
        if (key == name) {
            v = std::move(value);
            return;
        }
    }
    fields.emplace_back(std::move(name), std::move(value));
}

std::string Recipient::displayName() const {
    if (auto v = get("full_name"); !v.empty()) {
        return std::string(v);
    }
    std::string joined(get("first_name"));
    if (auto last = get("last_name"); !last.empty()) {
        if (!joined.empty()) {
            joined += ' ';
        }
        joined += last;
    }
    if (!joined.empty()) {
        return joined;
    }
    if (auto v = get("email"); !v.empty()) {
        return std::string(v);
    }
    return "Recipient " + std::to_string(index);
}

} // namespace cuecard
