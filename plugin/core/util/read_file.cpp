// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/util/read_file.hpp"

#include <fstream>
#include <sstream>

namespace cuecard {

std::optional<std::string> readFile(const std::filesystem::path &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace cuecard
