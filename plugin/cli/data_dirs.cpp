// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/data_dirs.hpp"

#include <cstdlib>

namespace cuecard::cli {

std::vector<std::filesystem::path> dataDirs() {
    namespace fs = std::filesystem;
    std::vector<fs::path> dirs;
    std::error_code ec;
    const auto add = [&](const fs::path &p) {
        if (!p.empty() && fs::is_directory(p, ec)) {
            for (const auto &d : dirs) {
                if (fs::equivalent(d, p, ec)) {
                    return;
                }
            }
            dirs.push_back(p);
        }
    };
    if (const char *env = std::getenv("CUECARD_DATA_DIR")) {
        add(env);
    }
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        add(exe.parent_path().parent_path() / "share" / "cuecard");
    }
    add(CUECARD_BUILD_DATA_DIR);
    add(CUECARD_INSTALL_DATA_DIR);
    return dirs;
}

std::vector<std::filesystem::path> fontDirs(const std::vector<std::filesystem::path> &dirs) {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto &d : dirs) {
        if (std::filesystem::is_directory(d / "fonts", ec)) {
            out.push_back(d / "fonts");
        }
    }
    return out;
}

} // namespace cuecard::cli
