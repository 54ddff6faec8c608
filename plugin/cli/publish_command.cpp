// SPDX-License-Identifier: GPL-2.0-or-later
// cuecard publish: a landing page per recipient of a session folder, put into DEST (a folder the
// team's web server serves), and outreach.csv next to the recordings for the CRM.

#include "cli/commands.hpp"
#include "cli/progress_bar.hpp"

#include "core/publish/publish_job.hpp"
#include "core/publish/publisher.hpp"

extern "C" {
#include <libavutil/log.h>
}

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

namespace cuecard::cli {
namespace {

constexpr const char *kUsage =
    "usage: cuecard publish --session DIR --to DEST --base-url URL [--queue FILE]\n"
    "                       [--rep NAME] [--title TEMPLATE] [--message TEMPLATE]\n"
    "                       [--cta-text TEMPLATE] [--cta-url TEMPLATE] [--limit-rate KB]\n"
    "  DEST: a folder the web server serves at URL (a mounted web root or share), or\n"
    "        sftp://user@host[:port]/path (your ~/.ssh/id_ed25519, the server checked\n"
    "        against ~/.ssh/known_hosts).\n";

int usageError(const std::string &message) {
    std::fprintf(stderr, "cuecard publish: %s\n%s", message.c_str(), kUsage);
    return 3;
}

} // namespace

int publishCommand(const std::vector<std::string> &args) {
    std::map<std::string, std::string> opt;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        static const char *known[] = {"--session", "--to",        "--base-url", "--queue",
                                      "--rep",     "--title",     "--message",  "--cta-text",
                                      "--cta-url", "--limit-rate"};
        bool ok = false;
        for (const char *k : known) {
            ok = ok || a == k;
        }
        if (!ok) {
            return usageError("unknown option \"" + a + "\"");
        }
        if (i + 1 >= args.size()) {
            return usageError(a + " needs a value");
        }
        opt[a] = args[++i];
    }
    for (const char *required : {"--session", "--to", "--base-url"}) {
        if (opt[required].empty()) {
            return usageError(std::string(required) + " is required");
        }
    }
    const std::string to = opt["--to"];
    long long limit = 0;
    if (const std::string v = opt["--limit-rate"]; !v.empty()) {
        try {
            limit = std::stoll(v) * 1024;
        } catch (...) {
            return usageError("--limit-rate is kilobytes per second, like 500");
        }
    }
    const char *home = std::getenv("HOME");
    auto made =
        publishTarget(to, std::filesystem::path(home != nullptr ? home : ".") / ".ssh", limit);
    if (!made) {
        std::fprintf(stderr, "cuecard publish: --to %s\n", made.message().c_str());
        return 2;
    }
    std::unique_ptr<PublishTarget> target = std::move(made.value());
    PublishOptions options;
    options.session = opt["--session"];
    options.queue = opt["--queue"];
    options.page.baseUrl = opt["--base-url"];
    options.page.repName = opt["--rep"];
    options.page.ctaUrl = opt["--cta-url"];
    for (const auto &[key, field] : {std::pair{"--title", &options.page.title},
                                     {"--message", &options.page.message},
                                     {"--cta-text", &options.page.ctaText}}) {
        if (auto it = opt.find(key); it != opt.end()) {
            *field = it->second;
        }
    }
    av_log_set_level(AV_LOG_ERROR);
    auto report = publishSession(options, *target, [](const PublishProgress &p) {
        progressBar(p.done, p.total, p.current);
    });
    endProgressBar();
    if (!report) {
        std::fprintf(stderr, "cuecard publish: %s\n", report.message().c_str());
        return 2;
    }
    for (const auto &e : report->errors) {
        std::fprintf(stderr, "cuecard publish: %s\n", e.c_str());
    }
    std::printf("published %d page(s) to %s: %d file(s) uploaded, %d already there; %zu "
                "failed; links in %s\n",
                report->pages, target->describe().c_str(), report->uploaded, report->unchanged,
                report->errors.size(), report->outreachCsv.string().c_str());
    if (!report->errors.empty()) {
        return report->pages > 0 ? 1 : 2;
    }
    return 0;
}

} // namespace cuecard::cli
