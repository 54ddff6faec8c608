// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// What every queue reader produces before field names and values are normalized: rows of
/// (column as written in the file, value, position). The builder turns this into a Queue.

#include "core/queue/diagnostic.hpp"

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cuecard {

struct RawField {
    int key = 0; ///< index into RawTable::keys (the column name as the file writes it)
    std::string value;
    int line = 0;
    int column = 0;
};

struct RawRow {
    int line = 0;
    int column = 0;
    std::vector<RawField> fields;
};

struct RawTable {
    std::string source;
    std::string format;            ///< "CSV (comma)", "JSON Lines"… for messages
    std::vector<std::string> keys; ///< columns in first-seen order
    std::vector<RawRow> rows;
    std::vector<Diagnostic> diagnostics;

    /// Index of `key` in `keys`, added when new.
    int keyIndex(const std::string &key) {
        auto [it, added] = keyIndices_.try_emplace(key, static_cast<int>(keys.size()));
        if (added) {
            keys.push_back(key);
        }
        return it->second;
    }

    void error(int line, int column, std::string message) {
        diagnostics.push_back({source, line, column, Severity::Error, std::move(message)});
    }
    void warning(int line, int column, std::string message) {
        diagnostics.push_back({source, line, column, Severity::Warning, std::move(message)});
    }

  private:
    std::unordered_map<std::string, int> keyIndices_;
};

} // namespace cuecard
