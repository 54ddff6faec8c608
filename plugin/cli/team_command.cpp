// SPDX-License-Identifier: GPL-2.0-or-later
// cuecard team: a team lead's commands for a campaign on PostgreSQL (init, add-rep, import,
// status, assign, release). Every one takes --db CONNINFO (a libpq conninfo or URI; without it,
// libpq's own environment and service file).

#include "cli/commands.hpp"
#include "cli/data_dirs.hpp"

#include "core/queue/queue.hpp"
#include "core/team/team_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>

namespace cuecard::cli {
namespace {

const char *kUsage =
    "usage: cuecard team init     [--db CONNINFO]\n"
    "       cuecard team add-rep  [--db CONNINFO] --rep NAME\n"
    "       cuecard team import   [--db CONNINFO] --campaign NAME --queue FILE\n"
    "                             [--owner-column COLUMN]\n"
    "       cuecard team status   [--db CONNINFO] --campaign NAME [--json]\n"
    "       cuecard team assign   [--db CONNINFO] --campaign NAME --recipient ID [--rep NAME]\n"
    "       cuecard team release  [--db CONNINFO] --campaign NAME --rep NAME\n";

int usageError(const std::string &message) {
    std::fprintf(stderr, "cuecard team: %s\n%s", message.c_str(), kUsage);
    return 2;
}

int fail(const std::string &message) {
    std::fprintf(stderr, "cuecard team: %s\n", message.c_str());
    return 1;
}

} // namespace

int teamCommand(const std::vector<std::string> &args) {
    if (args.empty()) {
        return usageError("which team command?");
    }
    const std::string what = args.front();
    std::map<std::string, std::string> opt;
    bool json = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--json") {
            json = true;
            continue;
        }
        if (args[i].rfind("--", 0) != 0 || i + 1 >= args.size()) {
            return usageError("\"" + args[i] + "\" needs a value");
        }
        opt[args[i].substr(2)] = args[i + 1];
        ++i;
    }
    const auto need = [&](const char *key) { return opt.count(key) > 0 && !opt[key].empty(); };
    for (const auto &[key, value] : opt) {
        static const char *known[] = {"db",           "campaign", "queue",
                                      "owner-column", "rep",      "recipient"};
        if (std::find(std::begin(known), std::end(known), key) == std::end(known)) {
            return usageError("unknown option --" + key);
        }
    }
    if (what != "init" && what != "add-rep" && what != "import" && what != "status" &&
        what != "assign" && what != "release") {
        return usageError("unknown team command \"" + what + "\"");
    }
    if (what != "init" && what != "add-rep" && !need("campaign")) {
        return usageError(what + " needs --campaign NAME");
    }
    auto db = PgConnection::connect(opt["db"]);
    if (!db) {
        return fail(db.message());
    }
    PgConnection &c = *db.value();
    const std::string campaign = opt["campaign"];

    if (what == "init") {
        auto applied = applyMigrations(c, dataDirs());
        if (!applied) {
            return fail(applied.message());
        }
        for (const auto &f : *applied) {
            std::printf("applied %s\n", f.c_str());
        }
        std::printf("the database is up to date (%zu migration(s) applied now)\n", applied->size());
        return 0;
    }
    if (what == "add-rep") {
        if (!need("rep")) {
            return usageError("add-rep needs --rep NAME");
        }
        if (Status s = addRep(c, opt["rep"]); !s) {
            return fail(s.message());
        }
        std::printf("rep %s can log in and record for the team's campaigns\n", opt["rep"].c_str());
        return 0;
    }
    if (what == "import") {
        if (!need("queue")) {
            return usageError("import needs --queue FILE");
        }
        auto queue = loadQueueFile(opt["queue"]);
        if (!queue) {
            return fail(queue.message());
        }
        for (const auto &d : queue->diagnostics) {
            if (d.severity == Severity::Error) {
                std::fprintf(stderr, "%s\n", d.format().c_str());
            }
        }
        auto r = importCampaign(c, campaign, queue.value(), opt["owner-column"]);
        if (!r) {
            return fail(r.message());
        }
        std::printf("%s: %d added, %d updated (outcomes kept), %d removed from the pool, %d "
                    "back in it, %d with an owner\n",
                    campaign.c_str(), r->added, r->updated, r->removed, r->returned, r->owned);
        return 0;
    }
    if (what == "status") {
        auto s = campaignStatus(c, campaign);
        if (!s) {
            return fail(s.message());
        }
        if (json) {
            nlohmann::json reps = nlohmann::json::array();
            for (const auto &p : s->reps) {
                reps.push_back({{"rep", p.rep},
                                {"recorded", p.recorded},
                                {"skipped", p.skipped},
                                {"claimed", p.claimed},
                                {"per_hour", p.perHour}});
            }
            const nlohmann::json doc = {
                {"campaign", campaign},  {"total", s->total},     {"recorded", s->recorded},
                {"skipped", s->skipped}, {"claimed", s->claimed}, {"left", s->left},
                {"reps", reps}};
            std::printf("%s\n", doc.dump(2).c_str());
            return 0;
        }
        std::printf("%s: %d recipients, %d recorded, %d skipped, %d being recorded, %d left\n",
                    campaign.c_str(), s->total, s->recorded, s->skipped, s->claimed, s->left);
        for (const auto &p : s->reps) {
            std::printf("  %-20s %5d recorded %4d skipped %3d claimed  %6.1f/h\n", p.rep.c_str(),
                        p.recorded, p.skipped, p.claimed, p.perHour);
        }
        return 0;
    }
    if (what == "assign") {
        if (!need("recipient")) {
            return usageError("assign needs --recipient ID");
        }
        if (Status s = assignOwner(c, campaign, opt["recipient"], opt["rep"]); !s) {
            return fail(s.message());
        }
        std::printf("%s: %s is %s\n", campaign.c_str(), opt["recipient"].c_str(),
                    opt["rep"].empty() ? "back in the pool" : ("for " + opt["rep"]).c_str());
        return 0;
    }
    // release
    if (!need("rep")) {
        return usageError("release needs --rep NAME");
    }
    auto n = releaseClaims(c, campaign, opt["rep"]);
    if (!n) {
        return fail(n.message());
    }
    std::printf("%s: %d recipient(s) %s held are back in the pool\n", campaign.c_str(), *n,
                opt["rep"].c_str());
    return 0;
}

} // namespace cuecard::cli
