// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A progress line on stderr: a bar redrawn in place on a terminal, one line per step otherwise
/// (a log or a test reads every step).

#include <string>

namespace cuecard::cli {

void progressBar(int done, int total, const std::string &what);
/// Ends the bar's line on a terminal (before the next message).
void endProgressBar();

} // namespace cuecard::cli
