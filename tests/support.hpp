// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Shared helpers for the test suites.

#include "core/queue/queue.hpp"
#include "core/render/overlay_composer.hpp"
#include "core/text/font_collection.hpp"
#include "core/text/glyph_cache.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <sys/wait.h>

namespace cuecard::test {

/// A folder the build compiled in, unless the variable of the same name says otherwise (a
/// bundle of the GPU tests, scripts/gpu-bundle.sh, runs far from the build folder).
inline std::filesystem::path builtOrEnv(const char *variable, const char *built) {
    const char *v = std::getenv(variable);
    return v != nullptr && *v != '\0' ? std::filesystem::path(v) : std::filesystem::path(built);
}
inline std::filesystem::path dataDir() {
    return builtOrEnv("CUECARD_TEST_DATA_DIR", CUECARD_TEST_DATA_DIR);
}
inline std::filesystem::path inputsDir() {
    return builtOrEnv("CUECARD_TEST_INPUTS_DIR", CUECARD_TEST_INPUTS_DIR);
}
inline std::filesystem::path outputDir() {
    std::filesystem::path p = builtOrEnv("CUECARD_TEST_OUTPUT_DIR", CUECARD_TEST_OUTPUT_DIR);
    std::filesystem::create_directories(p);
    return p;
}

/// In CI (CI=true, as .ci/run runs) a test whose precondition is missing fails instead of
/// skipping: a suite that ran nothing must not look green.
inline bool inCi() {
    const char *ci = std::getenv("CI");
    return ci != nullptr && (std::string(ci) == "true" || std::string(ci) == "1");
}

/// A command's exit code and its output (stdout and stderr together).
struct CommandRun {
    int code = -1;
    std::string output;
};
inline CommandRun runCommand(const std::string &command) {
    CommandRun r;
    FILE *p = popen((command + " 2>&1").c_str(), "r");
    std::array<char, 512> buf{};
    while (p != nullptr && fgets(buf.data(), buf.size(), p) != nullptr) {
        r.output += buf.data();
    }
    const int status = p != nullptr ? pclose(p) : -1;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

/// A folder of the test's own (mkdtemp under $TMPDIR or /tmp), removed with everything in it
/// when the test ends: two checkouts testing at once never share one.
class TempDir {
  public:
    explicit TempDir(const std::string &tag = "test") {
        const char *base = std::getenv("TMPDIR");
        std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                              "/cuecard-" + tag + "-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed for " + pattern);
        }
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::filesystem::path &path() const { return path_; }
    std::filesystem::path operator/(const std::string &name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

/// Every diagnostic of a queue as the user sees it ("FILE:LINE:COL: error: …").
inline std::vector<std::string> formattedDiagnostics(const Queue &q) {
    std::vector<std::string> out;
    for (const auto &d : q.diagnostics) {
        out.push_back(d.format());
    }
    return out;
}

/// Fonts, glyph cache and composer wired the way the CLI wires them.
struct TextStack {
    std::unique_ptr<FontCollection> fonts;
    std::unique_ptr<GlyphCache> glyphs;
    std::unique_ptr<OverlayComposer> composer;

    TextStack() {
        auto f = FontCollection::create({dataDir() / "fonts"});
        if (!f) {
            throw std::runtime_error(f.message());
        }
        fonts = std::move(f.value());
        glyphs = std::make_unique<GlyphCache>(*fonts);
        composer = std::make_unique<OverlayComposer>(*fonts, *glyphs);
    }
};

} // namespace cuecard::test
