#pragma once
/// \file
/// What every queue reader produces before field names and values are normalized: rows of
/// (column as written in the file, value, position). The builder turns this into a Queue.

#include "core/queue/diagnostic.hpp"

#include <string>
#include <utility>
#include <vector>

namespace cuecard {

struct RawField {
    std::string key; ///< column name as the file writes it
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

    void error(int line, int column, std::string message) {
        diagnostics.push_back({source, line, column, Severity::Error, std::move(message)});
    }
    void warning(int line, int column, std::string message) {
        diagnostics.push_back({source, line, column, Severity::Warning, std::move(message)});
    }
};

} // namespace cuecard
