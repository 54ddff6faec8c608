// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/team/team_store.hpp"

#include "core/util/read_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <regex>

namespace cuecard {
namespace fs = std::filesystem;

std::optional<TeamQueue> parseTeamQueue(const std::string &queue, std::string &error) {
    if (queue.rfind("postgresql://", 0) != 0 && queue.rfind("postgres://", 0) != 0) {
        return std::nullopt;
    }
    TeamQueue out;
    const auto q = queue.find('?');
    std::string base = queue.substr(0, q);
    std::string kept;
    if (q != std::string::npos) {
        std::string rest = queue.substr(q + 1);
        std::size_t start = 0;
        while (start <= rest.size()) {
            const auto amp = rest.find('&', start);
            const std::string param =
                rest.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
            if (param.rfind("campaign=", 0) == 0) {
                out.campaign = param.substr(9);
            } else if (!param.empty()) {
                kept += (kept.empty() ? "" : "&") + param;
            }
            if (amp == std::string::npos) {
                break;
            }
            start = amp + 1;
        }
    }
    // %XX in the campaign's name.
    std::string name;
    for (std::size_t i = 0; i < out.campaign.size(); ++i) {
        if (out.campaign[i] == '%' && i + 2 < out.campaign.size() &&
            std::isxdigit(static_cast<unsigned char>(out.campaign[i + 1])) != 0 &&
            std::isxdigit(static_cast<unsigned char>(out.campaign[i + 2])) != 0) {
            name += static_cast<char>(std::stoi(out.campaign.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            name += out.campaign[i] == '+' ? ' ' : out.campaign[i];
        }
    }
    out.campaign = name;
    if (out.campaign.empty()) {
        error = "the database queue needs its campaign: add ?campaign=NAME (or &campaign=NAME) "
                "to " +
                base;
        return std::nullopt;
    }
    // A password in the queue would be saved with the scene collection (and shown in the dock):
    // refused, with where it belongs instead.
    const auto scheme = base.find("://");
    const std::string authority =
        base.substr(scheme + 3, base.find('/', scheme + 3) - (scheme + 3));
    const auto at = authority.rfind('@');
    const bool userPassword =
        at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos;
    if (userPassword || ("&" + kept).find("&password=") != std::string::npos) {
        error = "the database queue must not hold a password (it would be saved with the scene "
                "collection): put it in ~/.pgpass or a libpq service file instead";
        return std::nullopt;
    }
    out.conninfo = base + (kept.empty() ? "" : "?" + kept);
    return out;
}

Result<std::vector<std::string>> applyMigrations(PgConnection &db,
                                                 const std::vector<fs::path> &dirs) {
    std::map<std::string, fs::path> files; // by name: 001_…, 002_…
    const std::regex name(R"(^(\d{3})_[a-z0-9_]+\.sql$)");
    for (const auto &dir : dirs) {
        std::error_code ec;
        for (const auto &entry : fs::directory_iterator(dir / "sql", ec)) {
            const std::string n = entry.path().filename().string();
            if (std::regex_match(n, name) && files.count(n) == 0) {
                files[n] = entry.path();
            }
        }
    }
    if (files.empty()) {
        return makeError("no migrations found (data/sql/NNN_*.sql in the data folder)");
    }
    if (auto r = db.exec("CREATE TABLE IF NOT EXISTS cuecard_schema_version ("
                         "version integer PRIMARY KEY, file text NOT NULL, "
                         "applied_at timestamptz NOT NULL DEFAULT now())");
        !r) {
        return makeError("cannot create the version table: " + r.message());
    }
    std::vector<std::string> applied;
    for (const auto &[n, path] : files) {
        const std::string version = std::to_string(std::stoi(n.substr(0, 3)));
        auto have = db.exec("SELECT 1 FROM cuecard_schema_version WHERE version = $1", {version});
        if (!have) {
            return makeError(have.message());
        }
        if (have->rows() > 0) {
            continue;
        }
        auto sql = readFile(path);
        if (!sql) {
            return makeError("cannot read " + path.string());
        }
        // One transaction per file: all of it or nothing, then its version.
        const std::string text = "BEGIN;\n" + *sql +
                                 "\nINSERT INTO cuecard_schema_version (version, file) VALUES (" +
                                 version + ", '" + n + "');\nCOMMIT;\n";
        if (Status s = db.script(text); !s) {
            (void)db.script("ROLLBACK");
            return makeError(n + ": " + s.message());
        }
        applied.push_back(n);
    }
    return applied;
}

namespace {

Result<std::string> campaignId(PgConnection &db, const std::string &campaign) {
    auto r = db.exec("SELECT id FROM cuecard_campaign WHERE name = $1", {campaign});
    if (!r) {
        return makeError(r.message());
    }
    if (r->rows() == 0) {
        return makeError("no campaign named \"" + campaign +
                         "\" (a team lead creates it with cuecard team import)");
    }
    return r->get(0, 0);
}

Recipient recipientFrom(const PgRows &rows, int row) {
    Recipient r;
    r.id = rows.get(row, rows.column("id"));
    r.index = std::stoi(rows.get(row, rows.column("position")));
    const auto fields = nlohmann::json::parse(rows.get(row, rows.column("fields")), nullptr, false);
    if (fields.is_array()) {
        for (const auto &f : fields) {
            if (f.is_array() && f.size() == 2 && f[0].is_string() && f[1].is_string()) {
                r.fields.emplace_back(f[0].get<std::string>(), f[1].get<std::string>());
            }
        }
    }
    return r;
}

} // namespace

Result<ImportReport> importCampaign(PgConnection &db, const std::string &campaign,
                                    const Queue &queue, const std::string &ownerColumn) {
    if (!ownerColumn.empty() && !queue.hasColumn(ownerColumn)) {
        return makeError(queue.source + " has no column \"" + ownerColumn + "\" for the owner");
    }
    nlohmann::json rows = nlohmann::json::array();
    std::vector<std::string> ids;
    ImportReport report;
    for (const Recipient &r : queue.recipients) {
        nlohmann::json fields = nlohmann::json::array();
        for (const auto &[k, v] : r.fields) {
            fields.push_back({k, v});
        }
        std::string owner = ownerColumn.empty() ? "" : std::string(r.get(ownerColumn));
        report.owned += owner.empty() ? 0 : 1;
        rows.push_back({{"id", r.id},
                        {"position", r.index},
                        {"fields", fields},
                        {"owner", owner.empty() ? nlohmann::json() : nlohmann::json(owner)}});
        ids.push_back(r.id);
    }
    const nlohmann::json columns = queue.columns;
    if (auto b = db.exec("BEGIN"); !b) {
        return makeError(b.message());
    }
    const auto fail = [&](const std::string &why) -> Result<ImportReport> {
        (void)db.exec("ROLLBACK");
        return makeError("import into \"" + campaign + "\": " + why);
    };
    auto id = db.exec("INSERT INTO cuecard_campaign (name, columns) VALUES ($1, $2::jsonb) "
                      "ON CONFLICT (name) DO UPDATE SET columns = EXCLUDED.columns RETURNING id",
                      {campaign, columns.dump()});
    if (!id) {
        return fail(id.message());
    }
    const std::string cid = id->get(0, 0);
    auto returned = db.exec("SELECT count(*) FROM cuecard_recipient WHERE campaign_id = $1 AND "
                            "state = 'removed' AND id = ANY ($2::text[])",
                            {cid, pgTextArray(ids)});
    if (!returned) {
        return fail(returned.message());
    }
    report.returned = std::stoi(returned->get(0, 0));
    // Fields, position and owner follow the export; the outcome stays (a removed one that is
    // back returns to the pool).
    auto upsert =
        db.exec("INSERT INTO cuecard_recipient (campaign_id, id, position, fields, owner) "
                "SELECT $1, e->>'id', (e->>'position')::integer, e->'fields', e->>'owner' "
                "FROM jsonb_array_elements($2::jsonb) AS e "
                "ON CONFLICT (campaign_id, id) DO UPDATE SET position = EXCLUDED.position, "
                "fields = EXCLUDED.fields, owner = EXCLUDED.owner, updated_at = now(), "
                "state = CASE WHEN cuecard_recipient.state = 'removed' THEN 'pending' "
                "ELSE cuecard_recipient.state END, "
                "claimed_by = CASE WHEN cuecard_recipient.state = 'removed' THEN NULL "
                "ELSE cuecard_recipient.claimed_by END "
                "RETURNING (xmax = 0) AS inserted",
                {cid, rows.dump()});
    if (!upsert) {
        return fail(upsert.message());
    }
    for (int i = 0; i < upsert->rows(); ++i) {
        (upsert->get(i, 0) == "t" ? report.added : report.updated) += 1;
    }
    // Gone from the export and not recorded or skipped: out of the pool (a rep holding one
    // loses it at their next renewal, before recording).
    auto removed = db.exec("UPDATE cuecard_recipient SET state = 'removed', claimed_by = NULL, "
                           "lease_until = NULL, updated_at = now() WHERE campaign_id = $1 AND "
                           "state IN ('pending', 'claimed') AND NOT (id = ANY ($2::text[]))",
                           {cid, pgTextArray(ids)});
    if (!removed) {
        return fail(removed.message());
    }
    report.removed = std::stoi(removed->affected());
    if (auto c = db.exec("COMMIT"); !c) {
        return fail(c.message());
    }
    // Fresh statistics after a bulk change, so claims keep walking the indexes (without them a
    // claim on a 100,000-row campaign scans the table).
    (void)db.exec("ANALYZE cuecard_recipient");
    return report;
}

Result<CampaignStatus> campaignStatus(PgConnection &db, const std::string &campaign) {
    auto cid = campaignId(db, campaign);
    if (!cid) {
        return makeError(cid.message());
    }
    CampaignStatus s;
    auto counts = db.exec("SELECT state, count(*) FROM cuecard_recipient WHERE campaign_id = $1 "
                          "GROUP BY state",
                          {*cid});
    if (!counts) {
        return makeError(counts.message());
    }
    for (int i = 0; i < counts->rows(); ++i) {
        const std::string state = counts->get(i, 0);
        const int n = std::stoi(counts->get(i, 1));
        if (state == "recorded") {
            s.recorded = n;
        } else if (state == "skipped") {
            s.skipped = n;
        } else if (state == "claimed") {
            s.claimed = n;
        } else if (state == "pending") {
            s.left = n;
        }
        s.total += state == "removed" ? 0 : n;
    }
    auto reps = db.exec(
        "SELECT r.claimed_by, "
        "count(*) FILTER (WHERE r.state = 'recorded'), "
        "count(*) FILTER (WHERE r.state = 'skipped'), "
        "count(*) FILTER (WHERE r.state = 'claimed'), "
        "(SELECT extract(epoch FROM max(t.reported_at) - min(t.reported_at)) FROM cuecard_take t "
        " WHERE t.campaign_id = $1 AND t.rep = r.claimed_by AND t.outcome = 'recorded') "
        "FROM cuecard_recipient r WHERE r.campaign_id = $1 AND r.claimed_by IS NOT NULL "
        "GROUP BY r.claimed_by ORDER BY r.claimed_by",
        {*cid});
    if (!reps) {
        return makeError(reps.message());
    }
    for (int i = 0; i < reps->rows(); ++i) {
        RepProgress p;
        p.rep = reps->get(i, 0);
        p.recorded = std::stoi(reps->get(i, 1));
        p.skipped = std::stoi(reps->get(i, 2));
        p.claimed = std::stoi(reps->get(i, 3));
        const double span = reps->isNull(i, 4) ? 0.0 : std::stod(reps->get(i, 4));
        p.perHour = span > 0.0 && p.recorded > 1 ? (p.recorded - 1) * 3600.0 / span : 0.0;
        s.reps.push_back(p);
    }
    return s;
}

Status addRep(PgConnection &db, const std::string &name) {
    if (!std::regex_match(name, std::regex(R"([a-z_][a-z0-9_.\-]{0,62})"))) {
        return makeError("a rep's name is a database role name: lower-case letters, digits, "
                         "_ . - (not \"" +
                         name + "\")");
    }
    auto exists = db.exec("SELECT 1 FROM pg_roles WHERE rolname = $1", {name});
    if (!exists) {
        return makeError(exists.message());
    }
    // A role name cannot be a parameter; it was checked above and is quoted here.
    const std::string quoted = "\"" + name + "\"";
    if (exists->rows() == 0) {
        if (auto r = db.exec("CREATE ROLE " + quoted + " LOGIN"); !r) {
            return makeError(r.message());
        }
    }
    if (auto r = db.exec("GRANT cuecard_rep TO " + quoted); !r) {
        return makeError(r.message());
    }
    if (auto r =
            db.exec("INSERT INTO cuecard_rep (name) VALUES ($1) ON CONFLICT DO NOTHING", {name});
        !r) {
        return makeError(r.message());
    }
    return Status::success();
}

Result<int> releaseClaims(PgConnection &db, const std::string &campaign, const std::string &rep) {
    auto cid = campaignId(db, campaign);
    if (!cid) {
        return makeError(cid.message());
    }
    auto r = db.exec("UPDATE cuecard_recipient SET state = 'pending', claimed_by = NULL, "
                     "lease_until = NULL, updated_at = now() WHERE campaign_id = $1 AND "
                     "state = 'claimed' AND claimed_by = $2",
                     {*cid, rep});
    if (!r) {
        return makeError(r.message());
    }
    return std::stoi(r->affected());
}

Status assignOwner(PgConnection &db, const std::string &campaign, const std::string &recipientId,
                   const std::string &rep) {
    auto cid = campaignId(db, campaign);
    if (!cid) {
        return makeError(cid.message());
    }
    auto r =
        db.exec("UPDATE cuecard_recipient SET owner = $3, updated_at = now() "
                "WHERE campaign_id = $1 AND id = $2",
                {*cid, recipientId, rep.empty() ? std::nullopt : std::optional<std::string>(rep)});
    if (!r) {
        return makeError(r.message());
    }
    if (r->affected() == "0") {
        return makeError("campaign \"" + campaign + "\" has no recipient " + recipientId);
    }
    return Status::success();
}

Result<std::vector<std::string>> campaignColumns(PgConnection &db, const std::string &campaign) {
    auto r = db.exec("SELECT columns FROM cuecard_campaign WHERE name = $1", {campaign});
    if (!r) {
        return makeError(r.message());
    }
    if (r->rows() == 0) {
        return makeError("no campaign named \"" + campaign + "\"");
    }
    std::vector<std::string> out;
    const auto j = nlohmann::json::parse(r->get(0, 0), nullptr, false);
    if (j.is_array()) {
        for (const auto &c : j) {
            if (c.is_string()) {
                out.push_back(c.get<std::string>());
            }
        }
    }
    return out;
}

Result<std::vector<Recipient>> claimRecipients(PgConnection &db, const std::string &campaign,
                                               int count, int leaseSeconds) {
    auto r = db.exec("SELECT * FROM cuecard_claim($1, $2, $3)",
                     {campaign, std::to_string(count), std::to_string(leaseSeconds)});
    if (!r) {
        return makeError(r.message());
    }
    std::vector<Recipient> out;
    for (int i = 0; i < r->rows(); ++i) {
        out.push_back(recipientFrom(*r, i));
    }
    std::sort(out.begin(), out.end(),
              [](const Recipient &a, const Recipient &b) { return a.index < b.index; });
    return out;
}

Result<std::vector<std::string>> renewClaims(PgConnection &db, const std::string &campaign,
                                             const std::vector<std::string> &ids,
                                             int leaseSeconds) {
    auto r = db.exec("SELECT * FROM cuecard_renew($1, $2::text[], $3)",
                     {campaign, pgTextArray(ids), std::to_string(leaseSeconds)});
    if (!r) {
        return makeError(r.message());
    }
    std::vector<std::string> out;
    for (int i = 0; i < r->rows(); ++i) {
        out.push_back(r->get(i, 0));
    }
    return out;
}

Status reportOutcome(PgConnection &db, const std::string &campaign, const TeamOutcome &o) {
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.6f", o.duration);
    auto r = db.exec("SELECT cuecard_report($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                     {campaign, o.recipientId, o.outcome, o.file, std::string(duration),
                      std::to_string(o.frames), o.status, o.startedAt, o.endedAt});
    if (!r) {
        return makeError(r.message());
    }
    return Status::success();
}

Result<int> giveBack(PgConnection &db, const std::string &campaign,
                     const std::vector<std::string> &ids) {
    auto r = db.exec("SELECT cuecard_give_back($1, $2::text[])", {campaign, pgTextArray(ids)});
    if (!r) {
        return makeError(r.message());
    }
    return std::stoi(r->get(0, 0));
}

} // namespace cuecard
