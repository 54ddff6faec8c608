// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// One row of the recipient queue: named text fields, in the order the queue gave them, and the
/// stable id that the session journal keys its state by.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cuecard {

struct Recipient {
    /// Field name (canonical or normalized) and value (valid UTF-8, cleaned).
    std::vector<std::pair<std::string, std::string>> fields;
    /// Stable across re-ordering and re-exports: the id column, else the e-mail address, else a
    /// hash of the name, company and title ("h:…").
    std::string id;
    /// 1-based line in the source file where this row starts (0 when the format has none).
    int line = 0;
    /// 1-based position in the queue.
    int index = 0;

    /// The field's value, or nullptr when the row has no such field.
    const std::string *find(std::string_view name) const;
    /// The field's value, or "" when absent.
    std::string_view get(std::string_view name) const;
    void set(std::string name, std::string value);

    /// The name a rep would call this person: full_name, else first + last, else email, else
    /// "Recipient N".
    std::string displayName() const;
};

} // namespace cuecard
