// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The recipient queue as loaded from a CRM export, and the loader that picks the format.

#include "core/queue/diagnostic.hpp"
#include "core/queue/raw_table.hpp"
#include "core/queue/recipient.hpp"
#include "core/util/result.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cuecard {

struct Queue {
    /// Display name of the source (the file name), used in every message.
    std::string source;
    /// "CSV (semicolon)", "JSON", "JSON Lines"…
    std::string format;
    /// Field names in file order (canonical where an alias matched), plus derived ones.
    std::vector<std::string> columns;
    /// Each header the CRM names its own way, as the file spells it, and the canonical field it
    /// became ("Job Title" → title): a template may use either name.
    std::vector<std::pair<std::string, std::string>> headerFields;
    std::vector<Recipient> recipients;
    /// Every problem found; rows with an error are not in `recipients`.
    std::vector<Diagnostic> diagnostics;

    bool hasColumn(std::string_view name) const;
    const Recipient *findById(std::string_view id) const;
    int count(Severity severity) const;
    /// For a queue with no recipients: its first error and "no recipient could be loaded".
    std::string fatalMessage() const;
};

/// "First Name", "first-name" and "FirstName" all become "first_name".
std::string normalizeFieldName(std::string_view header);

/// Reads a queue file and reports every problem in `diagnostics`. Never fails: an unreadable,
/// empty or unusable file gives a queue with no recipients and an error saying why.
Queue readQueue(const std::filesystem::path &path);

/// The same for text already in memory; `source` names it, `extension` (".csv", ".json"…) picks
/// the format when given.
Queue readQueueText(std::string_view bytes, const std::string &source,
                    std::string_view extension = {});

/// For callers that need recipients: the queue, or an error made of its first error (and
/// "no recipient could be loaded").
Result<Queue> loadQueueFile(const std::filesystem::path &path);

/// Turns a reader's raw table into a queue: canonical field names (CRM aliases), cleaned values,
/// derived full_name, stable ids, duplicate ids reported.
Queue buildQueue(RawTable table);

} // namespace cuecard
