// SPDX-License-Identifier: GPL-2.0-or-later
// cuecard drafts: one draft per published recipient in the rep's mailbox (IMAP), never sent.

#include "cli/commands.hpp"
#include "cli/progress_bar.hpp"

#include "core/publish/imap_drafts.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>

namespace cuecard::cli {
namespace {

constexpr const char *kUsage =
    "usage: cuecard drafts --session DIR --imap imaps://you@mail.example.com[/Folder]\n"
    "                      [--from 'Sam Rivera <sam@example.com>'] [--subject TEMPLATE]\n"
    "                      [--body TEMPLATE] [--signature TEXT] [--queue FILE] [--ca-file FILE]\n"
    "  The password: ~/.netrc (machine HOST login USER password …), CUECARD_IMAP_PASSWORD, or\n"
    "  typed when asked; never on the command line.\n";

int usageError(const std::string &message) {
    std::fprintf(stderr, "cuecard drafts: %s\n%s", message.c_str(), kUsage);
    return 3;
}

/// The password typed on the terminal, without echo ("" when there is no terminal).
std::string askPassword(const std::string &prompt) {
    if (isatty(STDIN_FILENO) == 0) {
        return {};
    }
    std::fprintf(stderr, "%s", prompt.c_str());
    std::fflush(stderr);
    termios old{};
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::string password;
    std::getline(std::cin, password);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fputc('\n', stderr);
    return password;
}

} // namespace

int draftsCommand(const std::vector<std::string> &args) {
    std::map<std::string, std::string> opt;
    static const char *known[] = {"--session", "--imap",      "--from",  "--subject",
                                  "--body",    "--signature", "--queue", "--ca-file"};
    for (std::size_t i = 0; i < args.size(); ++i) {
        bool ok = false;
        for (const char *k : known) {
            ok = ok || args[i] == k;
        }
        if (!ok) {
            return usageError("unknown option \"" + args[i] + "\"");
        }
        if (i + 1 >= args.size()) {
            return usageError(args[i] + " needs a value");
        }
        opt[args[i]] = args[i + 1];
        ++i;
    }
    for (const char *required : {"--session", "--imap"}) {
        if (opt[required].empty()) {
            return usageError(std::string(required) + " is required");
        }
    }
    auto mailbox = parseMailboxAddress(opt["--imap"]);
    if (!mailbox) {
        std::fprintf(stderr, "cuecard drafts: %s\n", mailbox.message().c_str());
        return 2;
    }
    DraftsOptions options;
    options.session = opt["--session"];
    options.queue = opt["--queue"];
    options.caFile = opt["--ca-file"];
    options.mailbox = *mailbox;
    options.draft.from = opt["--from"];
    options.draft.signature = opt["--signature"];
    if (opt.count("--subject") != 0) {
        options.draft.subject = opt["--subject"];
    }
    if (opt.count("--body") != 0) {
        options.draft.body = opt["--body"];
    }
    const char *home = std::getenv("HOME");
    options.password = netrcPassword(std::filesystem::path(home != nullptr ? home : ".") / ".netrc",
                                     mailbox->host, mailbox->user);
    if (options.password.empty()) {
        if (const char *env = std::getenv("CUECARD_IMAP_PASSWORD")) {
            options.password = env;
        }
    }
    if (options.password.empty()) {
        options.password =
            askPassword("Password for " + mailbox->user + " at " + mailbox->host + ": ");
    }
    if (options.password.empty()) {
        std::fprintf(stderr,
                     "cuecard drafts: no password for %s at %s: put it in ~/.netrc (machine %s "
                     "login %s password …) or CUECARD_IMAP_PASSWORD\n",
                     mailbox->user.c_str(), mailbox->host.c_str(), mailbox->host.c_str(),
                     mailbox->user.c_str());
        return 2;
    }
    auto report = makeDrafts(
        options, [](const DraftsProgress &p) { progressBar(p.done, p.total, p.current); });
    endProgressBar();
    if (!report) {
        std::fprintf(stderr, "cuecard drafts: %s\n", report.message().c_str());
        return 2;
    }
    for (const auto &s : report->skipped) {
        std::fprintf(stderr, "cuecard drafts: skipped %s\n", s.c_str());
    }
    for (const auto &e : report->errors) {
        std::fprintf(stderr, "cuecard drafts: %s\n", e.c_str());
    }
    std::printf("%d draft(s) added, %d replaced (a newer take), %d already there in %s; %zu "
                "skipped, %zu failed. Nothing was sent: open each draft, add a line, send.\n",
                report->added, report->replaced, report->unchanged, report->folder.c_str(),
                report->skipped.size(), report->errors.size());
    if (!report->errors.empty()) {
        return report->added + report->replaced + report->unchanged > 0 ? 1 : 2;
    }
    return 0;
}

} // namespace cuecard::cli
