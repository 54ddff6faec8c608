// SPDX-License-Identifier: GPL-2.0-or-later
// The hostile-queue corpus: every file in tests/queue-corpus/ is loaded and its outcome (format,
// columns, every diagnostic, every recipient with id and fields) must equal NAME.expected exactly.
// huge-field.csv (a 10 MB field) is generated here rather than committed.
// CUECARD_UPDATE_CORPUS=1 rewrites the .expected files; review the diff before committing.

#include "core/queue/queue.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace cuecard;

namespace {

const std::filesystem::path kCorpus = CUECARD_QUEUE_CORPUS_DIR;

std::string escape(std::string_view s, bool cut = true) {
    std::string out;
    for (char c : s) {
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else {
            out.push_back(c);
        }
    }
    if (cut && out.size() > 120) {
        out = out.substr(0, 100) + "…(" + std::to_string(s.size()) + " bytes)";
    }
    return out;
}

std::string describe(const Queue &q) {
    std::ostringstream os;
    os << "format: " << q.format << "\n";
    os << "columns:";
    for (const auto &c : q.columns) {
        os << " " << c;
    }
    os << "\ndiagnostics: " << q.diagnostics.size() << "\n";
    for (const auto &d : q.diagnostics) {
        os << "  " << escape(d.format(), false) << "\n";
    }
    os << "recipients: " << q.recipients.size() << "\n";
    for (const auto &r : q.recipients) {
        os << "  #" << r.index << " line " << r.line << " id=" << escape(r.id) << "\n";
        for (const auto &[k, v] : r.fields) {
            os << "    " << k << "=" << escape(v) << "\n";
        }
    }
    return os.str();
}

std::string readAll(const std::filesystem::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

void checkCase(const std::filesystem::path &input, const std::filesystem::path &expectedFile) {
    CAPTURE(input.filename().string());
    const std::string actual = describe(readQueue(input));
    const char *update = std::getenv("CUECARD_UPDATE_CORPUS");
    if (update != nullptr && std::string(update) == "1") {
        std::ofstream(expectedFile, std::ios::binary) << actual;
        return;
    }
    REQUIRE_MESSAGE(std::filesystem::exists(expectedFile),
                    expectedFile.string() << " is missing (CUECARD_UPDATE_CORPUS=1 creates it)");
    CHECK(actual == readAll(expectedFile));
}

} // namespace

TEST_CASE("queue corpus: every hostile file has its exact expected outcome") {
    int cases = 0;
    std::vector<std::filesystem::path> inputs;
    for (const auto &entry : std::filesystem::directory_iterator(kCorpus)) {
        if (entry.path().extension() != ".expected") {
            inputs.push_back(entry.path());
        }
    }
    std::sort(inputs.begin(), inputs.end());
    for (const auto &input : inputs) {
        checkCase(input, input.string() + ".expected");
        ++cases;
    }
    // Generated: 10 MB in one field.
    const auto huge = test::outputDir() / "huge-field.csv";
    {
        std::ofstream out(huge, std::ios::binary);
        out << "full_name,notes\nJane Doe,\"";
        const std::string chunk(1024, 'x');
        for (int i = 0; i < 10 * 1024; ++i) {
            out << chunk;
        }
        out << "\"\n" << std::string(10 * 1024 * 1024, 'A') << ",short\nSam Lee,ok\n";
    }
    checkCase(huge, kCorpus / "generated-huge-field.csv.expected");
    ++cases;
    CHECK(cases >= 40);
}
