#pragma once
/// \file
/// The recipient queue as loaded from a CRM export, and the loader that picks the format.

#include "core/queue/recipient.hpp"
#include "core/util/result.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cuecard {

/// A problem in the queue file that did not stop the load ("recipients.csv:7: warning: row
/// has 5 fields, the header has 4; the extra fields were ignored").
struct QueueWarning {
    int line = 0;
    std::string message;
};

struct Queue {
    /// Display name of the source (the file name), used in every message.
    std::string source;
    /// Normalized column names, in file order, plus derived ones (full_name).
    std::vector<std::string> columns;
    std::vector<Recipient> recipients;
    std::vector<QueueWarning> warnings;

    bool hasColumn(std::string_view name) const;
};

/// "First Name", "first-name" and "FIRST_NAME" all become "first_name".
std::string normalizeFieldName(std::string_view header);

/// Loads CSV or JSON, chosen by extension (.csv .tsv .txt → CSV, .json → JSON) and, when the
/// extension says nothing, by the first non-blank byte.
Result<Queue> loadQueueFile(const std::filesystem::path &path);

/// Parses queue text already in memory; `source` names it in messages.
Result<Queue> parseQueue(std::string_view text, std::string source, bool json);

/// Fills derived fields (full_name from first/last), numbers rows, and records columns.
void finalizeQueue(Queue &queue);

} // namespace cuecard
