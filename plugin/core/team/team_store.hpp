// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A team campaign on PostgreSQL: the schema's migrations, the team lead's operations (import a
/// CRM export, status, assign, release, add a rep) and a rep's (claim with a lease, renew,
/// report an outcome, give back). Claims use FOR UPDATE SKIP LOCKED inside the database's
/// functions, which act for the connected role only (see data/sql/001_team_campaigns.sql).
/// Everything here does network I/O: never call it from OBS's graphics, audio or UI thread.

#include "core/queue/queue.hpp"
#include "core/team/pg.hpp"
#include "core/util/result.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cuecard {

/// A queue that is a team campaign: "postgresql://host/db?campaign=NAME" (or "postgres://",
/// with campaign among other URI parameters).
struct TeamQueue {
    std::string conninfo; ///< the URI without campaign=, for libpq
    std::string campaign;
};
/// The campaign a queue names, or nullopt when it is a file; `error` when it is a database URI
/// without a campaign.
std::optional<TeamQueue> parseTeamQueue(const std::string &queue, std::string &error);

/// Applies data/sql/NNN_*.sql files not yet applied (in order, each in one transaction,
/// recorded in cuecard_schema_version). Returns the files applied now.
Result<std::vector<std::string>> applyMigrations(PgConnection &db,
                                                 const std::vector<std::filesystem::path> &dirs);

struct ImportReport {
    int added = 0;
    int updated = 0;  ///< already there: fields and position refreshed, outcome kept
    int removed = 0;  ///< not in the export any more and not recorded: out of the pool
    int returned = 0; ///< removed before, in the export again: back in the pool
    int owned = 0;    ///< with an owner from the owner column
};
/// Creates or refreshes a campaign from a queue (idempotent on stable ids), in one transaction.
/// `ownerColumn` (may be ""): a rep's name per recipient; only that rep is handed them.
Result<ImportReport> importCampaign(PgConnection &db, const std::string &campaign,
                                    const Queue &queue, const std::string &ownerColumn);

struct RepProgress {
    std::string rep;
    int recorded = 0;
    int skipped = 0;
    int claimed = 0;
    double perHour = 0.0; ///< recorded per hour between their first and last take
};
struct CampaignStatus {
    int total = 0; ///< recipients in the pool (not removed)
    int recorded = 0;
    int skipped = 0;
    int claimed = 0;
    int left = 0; ///< pending: nobody has them
    std::vector<RepProgress> reps;
};
Result<CampaignStatus> campaignStatus(PgConnection &db, const std::string &campaign);

/// A rep (a database role that can log in, member of cuecard_rep). No password is set here:
/// the DBA's usual way (pg_hba, ALTER ROLE … PASSWORD, a service file) applies.
Status addRep(PgConnection &db, const std::string &name);
/// Gives a rep's claims back to the pool (a rep who is ill). Returns how many.
Result<int> releaseClaims(PgConnection &db, const std::string &campaign, const std::string &rep);
/// One recipient's owner ("" back to the pool).
Status assignOwner(PgConnection &db, const std::string &campaign, const std::string &recipientId,
                   const std::string &rep);

/// The campaign's columns (as imported).
Result<std::vector<std::string>> campaignColumns(PgConnection &db, const std::string &campaign);
/// Up to `count` next recipients for the connected rep, leased for `leaseSeconds`, in queue
/// order.
Result<std::vector<Recipient>> claimRecipients(PgConnection &db, const std::string &campaign,
                                               int count, int leaseSeconds);
/// Renews the leases; returns the ids still the rep's.
Result<std::vector<std::string>> renewClaims(PgConnection &db, const std::string &campaign,
                                             const std::vector<std::string> &ids, int leaseSeconds);

struct TeamOutcome {
    std::string recipientId;
    std::string outcome = "recorded"; ///< recorded, skipped, retake
    std::string file;
    double duration = 0.0;
    long long frames = 0;
    std::string status;
    std::string startedAt;
    std::string endedAt;
};
/// Records an outcome for a recipient the connected rep holds; refused (with who holds it)
/// when it is not theirs.
Status reportOutcome(PgConnection &db, const std::string &campaign, const TeamOutcome &o);
/// Gives back claims not recorded (a session that ends early).
Result<int> giveBack(PgConnection &db, const std::string &campaign,
                     const std::vector<std::string> &ids);

} // namespace cuecard
