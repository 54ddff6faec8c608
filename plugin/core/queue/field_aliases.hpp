// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// CRM column names → Cuecard's canonical fields (first_name, last_name, full_name, company,
/// title, email, notes, talking_points, id), and which fields are private. The table is data:
/// data/queue-aliases.json, embedded at build time.
///
/// Private fields (`notes`: what a rep writes for themselves, "budget approved", "keep it
/// casual") are read by the rep in the dock and never reach a recipient: a theme or a file name
/// that names one, or any of its aliases, is refused when it is loaded. What a rep wants the
/// recipient to see goes into the on-camera field the table names for it (`talking_points`).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cuecard {

/// The canonical field for a normalized column name, or the name itself when no alias matches.
std::string canonicalField(std::string_view normalized);

/// True for the fields a theme shows on one line (names, company, title).
bool isSingleLineField(std::string_view canonical);

/// The private field a normalized name stands for ("notes" for "notes", "comments",
/// "notes_2"…: a second private column is kept as notes_2, see buildQueue), or nullopt when the
/// name is not private.
std::optional<std::string> privateFieldOf(std::string_view normalized);

/// The on-camera field to use instead of a private one ("talking_points" for "notes").
std::string onCameraFieldFor(std::string_view privateField);

/// Every private canonical field ("notes").
std::vector<std::string> privateFields();

} // namespace cuecard
