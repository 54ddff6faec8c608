// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/commands.hpp"

#include "core/util/version.hpp"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace {

void usage(std::FILE *out) {
    std::fputs("usage: cuecard <command> [options]\n"
               "\n"
               "commands:\n"
               "  render --queue FILE [--theme NAME|FILE] --out DIR [--size WxH]\n"
               "         [--background #RRGGBB]\n"
               "      Render every recipient's overlay to DIR/NNN_<name>.png and\n"
               "      DIR/contact-sheet.png (transparent unless --background is given).\n"
               "  check --queue FILE [--theme NAME|FILE]\n"
               "      Report problems in the queue and, per recipient, what to look at\n"
               "      before recording. Exit 0 clean, 1 warnings only, 2 errors.\n"
               "  prepare --queue FILE [--theme NAME|FILE]\n"
               "      Fetch and decode every picture the theme needs (logos, photos,\n"
               "      websites) into the picture cache, so sessions run offline.\n"
               "  session [--queue FILE] [--theme NAME|FILE] --out DIR\n"
               "          (--input VIDEO | --testsrc [--duration S]) --switch-at S1,S2,...\n"
               "          [--size WxH] [--fps N] [--format mkv|mp4] [--encoder libx264|auto]\n"
               "          [--preset veryfast] [--crf 23] [--realtime]\n"
               "      Composite the overlay on the input and record one file per recipient,\n"
               "      split on the exact frame, with manifest.json/.csv; each file's email\n"
               "      assets as it closes (--no-assets: none). --chapter-at S:TITLE,...\n"
               "      marks chapters (seconds from the start of the session).\n"
               "  assets --session DIR [--gif-max-kb 1024] [--gif-width 600] [--gif-fps 12]\n"
               "         [--video-url 'https://videos.example.com/{file}']\n"
               "      Make what is missing of each recording's poster (_poster.jpg),\n"
               "      animated preview (_preview.gif) and email snippet (_email.html).\n"
               "  publish --session DIR --to DEST --base-url URL [--queue FILE] [--rep NAME]\n"
               "          [--title T] [--message T] [--cta-text T] [--cta-url T]\n"
               "      A landing page per recipient (their video, poster, your message and a\n"
               "      button) under an unguessable address in DEST (a folder, or\n"
               "      sftp://user@host/path), served at URL; links for the CRM in\n"
               "      DIR/outreach.csv. Reruns upload only what changed.\n"
               "  drafts --session DIR --imap imaps://you@mail.example.com [--from ADDR]\n"
               "         [--subject T] [--body T] [--signature TEXT]\n"
               "      A draft per published recipient in your mailbox's Drafts folder: the\n"
               "      GIF linking to their page and a text part with the link. Nothing is\n"
               "      sent. The password comes from ~/.netrc or CUECARD_IMAP_PASSWORD.\n"
               "  team init|add-rep|import|status|assign|release [--db CONNINFO] ...\n"
               "      A campaign shared by a team on PostgreSQL (cuecard team for details);\n"
               "      reps record it with session --queue 'postgresql://…?campaign=NAME'.\n"
               "  help       Show this help.\n"
               "  version    Show the version.\n",
               out);
}

} // namespace

int main(int argc, char **argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        usage(stderr);
        return 2;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    try {
        if (command == "render") {
            return cuecard::cli::renderCommand(args);
        }
        if (command == "session") {
            return cuecard::cli::sessionCommand(args);
        }
        if (command == "team") {
            return cuecard::cli::teamCommand(args);
        }
        if (command == "assets") {
            return cuecard::cli::assetsCommand(args);
        }
        if (command == "publish") {
            return cuecard::cli::publishCommand(args);
        }
        if (command == "drafts") {
            return cuecard::cli::draftsCommand(args);
        }
        if (command == "check") {
            return cuecard::cli::checkCommand(args);
        }
        if (command == "prepare") {
            return cuecard::cli::prepareCommand(args);
        }
        if (command == "help" || command == "--help" || command == "-h") {
            usage(stdout);
            return 0;
        }
        if (command == "version" || command == "--version") {
            std::printf("cuecard %s\n", cuecard::versionLine().c_str());
            return 0;
        }
        std::fprintf(stderr, "cuecard: unknown command \"%s\" (try: cuecard help)\n",
                     command.c_str());
        return 2;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "cuecard: internal error: %s\n", e.what());
        return 3;
    }
}
