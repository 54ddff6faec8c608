#pragma once
/// \file
/// RFC 4180 CSV: quoted commas and newlines, doubled quotes, UTF-8 with or without a BOM, CRLF
/// or LF line ends. Every error names the source and the line where the problem starts.

#include "core/queue/queue.hpp"
#include "core/util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cuecard {

struct CsvRecord {
    std::vector<std::string> fields;
    int line = 0; ///< 1-based line where the record starts
};

/// Splits CSV text into records. Blank lines are skipped. Fails on an unterminated quote, text
/// after a closing quote, or bytes that are not UTF-8.
Result<std::vector<CsvRecord>> parseCsvRecords(std::string_view text, const std::string &source,
                                               char delimiter = ',');

/// Parses CSV with a header row into a queue.
Result<Queue> parseCsvQueue(std::string_view text, std::string source);

} // namespace cuecard
