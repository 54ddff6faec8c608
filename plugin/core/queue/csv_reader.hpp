// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// CSV as CRMs and spreadsheets export it: RFC 4180 quoting (commas, line breaks and doubled
/// quotes inside quotes), the delimiter sniffed from the header (comma, semicolon or tab) or
/// given by Excel's "sep=;" line, LF, CRLF or CR line ends. A broken row is reported with its
/// line and column and dropped; the rows around it still load.

#include "core/queue/raw_table.hpp"

#include <string_view>

namespace cuecard {

/// `delimiter` 0 sniffs it from the header line.
RawTable readCsv(std::string_view text, const std::string &source, char delimiter = 0);

/// The delimiter a header line uses: whichever of , ; or tab occurs most outside quotes
/// (ties prefer , then ; then tab).
char sniffDelimiter(std::string_view text);

} // namespace cuecard
