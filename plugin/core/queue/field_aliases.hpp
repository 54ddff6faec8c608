#pragma once
/// \file
/// CRM column names → Cuecard's canonical fields (first_name, last_name, full_name, company,
/// title, email, notes, id). The table is data: data/queue-aliases.json, embedded at build time.

#include <string>
#include <string_view>

namespace cuecard {

/// The canonical field for a normalized column name, or the name itself when no alias matches.
std::string canonicalField(std::string_view normalized);

/// True for the fields a theme shows on one line (names, company, title).
bool isSingleLineField(std::string_view canonical);

} // namespace cuecard
