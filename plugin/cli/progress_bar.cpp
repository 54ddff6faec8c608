// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/progress_bar.hpp"

#include <cstdio>
#include <unistd.h>

namespace cuecard::cli {

void progressBar(int done, int total, const std::string &what) {
    constexpr int kWidth = 30;
    const int filled = total > 0 ? done * kWidth / total : kWidth;
    if (isatty(STDERR_FILENO) != 0) {
        std::fprintf(stderr, "\r[%s%s] %d/%d %-40.40s", std::string(filled, '#').c_str(),
                     std::string(kWidth - filled, ' ').c_str(), done, total, what.c_str());
    } else {
        std::fprintf(stderr, "[%d/%d] %s\n", done, total, what.c_str());
    }
    std::fflush(stderr);
}

void endProgressBar() {
    if (isatty(STDERR_FILENO) != 0) {
        std::fputc('\n', stderr);
    }
}

} // namespace cuecard::cli
