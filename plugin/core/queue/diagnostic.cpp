// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/diagnostic.hpp"

#include <algorithm>

namespace cuecard {

std::string Diagnostic::format() const {
    std::string out = file;
    if (line > 0) {
        out += ":" + std::to_string(line);
        if (column > 0) {
            out += ":" + std::to_string(column);
        }
    }
    out += severity == Severity::Error ? ": error: " : ": warning: ";
    out += message;
    return out;
}

int diagnosticsExitCode(const std::vector<Diagnostic> &diagnostics) {
    int code = 0;
    for (const auto &d : diagnostics) {
        code = std::max(code, d.severity == Severity::Error ? 2 : 1);
    }
    return code;
}

} // namespace cuecard
