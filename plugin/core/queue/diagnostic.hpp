// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A problem found in a queue file, in the format compilers use so editors and CI can jump to it:
/// "recipients.csv:14:7: error: unterminated quote". Errors drop the row they are on; warnings
/// keep it. Neither stops the other rows from loading.

#include <string>
#include <vector>

namespace cuecard {

enum class Severity { Warning, Error };

struct Diagnostic {
    std::string file;
    int line = 0;   ///< 1-based; 0 when the problem concerns the whole file
    int column = 0; ///< 1-based, in characters; 0 when unknown
    Severity severity = Severity::Error;
    std::string message;

    /// "FILE:LINE:COLUMN: error: message" (LINE and COLUMN left out when 0).
    std::string format() const;
};

/// Counts for an exit code: 0 clean, 1 warnings only, 2 errors.
int diagnosticsExitCode(const std::vector<Diagnostic> &diagnostics);

} // namespace cuecard
