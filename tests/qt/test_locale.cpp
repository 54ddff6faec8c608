// SPDX-License-Identifier: GPL-2.0-or-later
// The OBS module's words come from its locale file: every "Cuecard.…" key the module's code asks
// obs_module_text for is in data/locale/en-US.ini (a missing one shows as the bare key in OBS).

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {
std::string readAll(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}
} // namespace

TEST_CASE("locale: every key the OBS module asks for is in en-US.ini") {
    const fs::path root = CUECARD_SOURCE_DIR;
    std::set<std::string> defined;
    std::istringstream ini(readAll(root / "data/locale/en-US.ini"));
    for (std::string line; std::getline(ini, line);) {
        if (const auto eq = line.find('=');
            eq != std::string::npos && line.rfind("Cuecard.", 0) == 0) {
            defined.insert(line.substr(0, eq));
        }
    }
    REQUIRE(defined.size() > 40);
    const std::regex key(R"re("(Cuecard\.[A-Za-z]+(?:\.[A-Za-z]+)*)")re");
    int asked = 0;
    for (const auto &entry : fs::directory_iterator(root / "plugin/obs")) {
        if (entry.path().extension() != ".cpp") {
            continue;
        }
        const std::string code = readAll(entry.path());
        for (std::sregex_iterator it(code.begin(), code.end(), key), end; it != end; ++it) {
            ++asked;
            INFO(entry.path().filename().string() << " asks for " << (*it)[1].str());
            CHECK(defined.count((*it)[1].str()) == 1);
        }
    }
    CHECK(asked > 40);
}
