// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/team/team_claims.hpp"

#include "core/util/atomic_file.hpp"
#include "core/util/read_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <thread>

namespace cuecard {
namespace {

nlohmann::json toJson(const TeamOutcome &o) {
    return {{"recipient_id", o.recipientId}, {"outcome", o.outcome}, {"file", o.file},
            {"duration", o.duration},        {"frames", o.frames},   {"status", o.status},
            {"started_at", o.startedAt},     {"ended_at", o.endedAt}};
}

TeamOutcome fromJson(const nlohmann::json &j) {
    TeamOutcome o;
    o.recipientId = j.value("recipient_id", "");
    o.outcome = j.value("outcome", "recorded");
    o.file = j.value("file", "");
    o.duration = j.value("duration", 0.0);
    o.frames = j.value("frames", 0LL);
    o.status = j.value("status", "");
    o.startedAt = j.value("started_at", "");
    o.endedAt = j.value("ended_at", "");
    return o;
}

/// A failure of the connection (the server went away), as opposed to a refusal.
bool lost(const PgConnection *db) {
    return db == nullptr || !db->ok();
}

} // namespace

TeamClaims::TeamClaims(TeamQueue queue, std::filesystem::path journal, TeamClaimsOptions options)
    : queue_(std::move(queue)), journal_(std::move(journal)), options_(options) {
    // Outcomes a previous run could not send.
    if (auto text = readFile(journal_)) {
        std::istringstream lines(*text);
        for (std::string line; std::getline(lines, line);) {
            const auto j = nlohmann::json::parse(line, nullptr, false);
            if (j.is_object()) {
                outbox_.push_back(fromJson(j));
            }
        }
    }
}

TeamClaims::~TeamClaims() = default;

bool TeamClaims::online() const {
    return !lost(db_.get());
}

bool TeamClaims::connect() {
    if (online()) {
        return true;
    }
    auto db = PgConnection::connect(queue_.conninfo, options_.connectTimeout);
    if (!db) {
        db_.reset();
        return false;
    }
    db_ = std::move(db.value());
    return true;
}

Status TeamClaims::start() {
    auto db = PgConnection::connect(queue_.conninfo, options_.connectTimeout);
    if (!db) {
        return makeError(db.message());
    }
    db_ = std::move(db.value());
    auto columns = campaignColumns(*db_, queue_.campaign);
    if (!columns) {
        return makeError(columns.message());
    }
    columns_ = std::move(columns.value());
    rep_ = db_->user();
    flush();
    return Status::success();
}

std::optional<std::vector<Recipient>> TeamClaims::claim(int count) {
    if (!connect()) {
        lastError_ = "the database cannot be reached";
        return std::nullopt;
    }
    auto more = claimRecipients(*db_, queue_.campaign, count, options_.leaseSeconds);
    if (!more) {
        lastError_ = more.message();
        return std::nullopt;
    }
    lastError_.clear();
    return std::move(more.value());
}

std::optional<std::vector<std::string>> TeamClaims::stillMine(const std::vector<std::string> &ids) {
    if (ids.empty()) {
        return std::vector<std::string>{};
    }
    if (!connect()) {
        lastError_ = "the database cannot be reached";
        return std::nullopt;
    }
    auto kept = renewClaims(*db_, queue_.campaign, ids, options_.leaseSeconds);
    if (!kept) {
        lastError_ = kept.message();
        return std::nullopt;
    }
    return std::move(kept.value());
}

void TeamClaims::giveBackIds(const std::vector<std::string> &ids) {
    if (!ids.empty() && connect()) {
        (void)giveBack(*db_, queue_.campaign, ids);
    }
}

std::optional<CampaignStatus> TeamClaims::status() {
    if (!connect()) {
        lastError_ = "the database cannot be reached";
        return std::nullopt;
    }
    auto st = campaignStatus(*db_, queue_.campaign);
    if (!st) {
        lastError_ = st.message();
        return std::nullopt;
    }
    return std::move(st.value());
}

std::optional<Recipient> TeamClaims::next(std::string &message, std::vector<std::string> &notices) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(options_.waitSeconds);
    for (;;) {
        if (connect()) {
            flush();
            // Still ours? (checked right before recording: one taken over is never recorded)
            if (!ahead_.empty()) {
                std::vector<std::string> ids;
                for (const auto &r : ahead_) {
                    ids.push_back(r.id);
                }
                auto kept = renewClaims(*db_, queue_.campaign, ids, options_.leaseSeconds);
                if (kept) {
                    std::deque<Recipient> still;
                    for (auto &r : ahead_) {
                        if (std::find(kept->begin(), kept->end(), r.id) != kept->end()) {
                            still.push_back(std::move(r));
                        } else {
                            notices.push_back("#" + std::to_string(r.index) + " " +
                                              r.displayName() +
                                              " is not yours any more (the lease ran out and "
                                              "another rep took them, or the campaign dropped "
                                              "them): not recorded");
                        }
                    }
                    ahead_ = std::move(still);
                }
            }
            // Topped up, so the next switches never wait on the network.
            const int want = options_.ahead + 1 - static_cast<int>(ahead_.size());
            if (want > 0 && !campaignDone_ && online()) {
                auto more = claimRecipients(*db_, queue_.campaign, want, options_.leaseSeconds);
                if (more) {
                    if (more->empty() && ahead_.empty()) {
                        campaignDone_ = true;
                    }
                    for (auto &r : *more) {
                        ahead_.push_back(std::move(r));
                    }
                }
            }
        }
        if (!ahead_.empty()) {
            Recipient r = std::move(ahead_.front());
            ahead_.pop_front();
            recording_.push_back(r.id);
            return r;
        }
        if (campaignDone_) {
            message = "campaign \"" + queue_.campaign + "\" has no recipient left";
            return std::nullopt;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            message = "the database cannot be reached and no recipient is claimed (waited " +
                      std::to_string(options_.waitSeconds) + " s)";
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500)); // the database is away
    }
}

void TeamClaims::renew() {
    std::vector<std::string> ids = recording_;
    for (const auto &r : ahead_) {
        ids.push_back(r.id);
    }
    if (ids.empty() || !connect()) {
        return;
    }
    (void)renewClaims(*db_, queue_.campaign, ids, options_.leaseSeconds);
    flush();
}

void TeamClaims::report(const TeamOutcome &outcome) {
    std::erase(recording_, outcome.recipientId);
    outbox_.push_back(outcome);
    saveOutbox(); // on disk before the database is asked
    flush();
}

int TeamClaims::flush() {
    if (outbox_.empty() || !connect()) {
        return waiting();
    }
    std::vector<TeamOutcome> left;
    for (std::size_t i = 0; i < outbox_.size(); ++i) {
        const TeamOutcome &o = outbox_[i];
        Status s = reportOutcome(*db_, queue_.campaign, o);
        if (s) {
            continue;
        }
        if (lost(db_.get())) {
            // The server went away: this one and the rest wait for the next try.
            left.insert(left.end(), outbox_.begin() + static_cast<std::ptrdiff_t>(i),
                        outbox_.end());
            break;
        }
        refused_.push_back(o.file + ": " + s.message());
    }
    outbox_ = std::move(left);
    saveOutbox();
    return waiting();
}

void TeamClaims::giveBackUnrecorded() {
    std::vector<std::string> ids;
    for (const auto &r : ahead_) {
        ids.push_back(r.id);
    }
    ahead_.clear();
    if (!ids.empty() && connect()) {
        (void)giveBack(*db_, queue_.campaign, ids);
    }
}

void TeamClaims::saveOutbox() {
    std::string text;
    for (const auto &o : outbox_) {
        text += toJson(o).dump() + "\n";
    }
    std::error_code ec;
    if (text.empty()) {
        std::filesystem::remove(journal_, ec);
        return;
    }
    (void)writeFileAtomically(journal_, text);
}

} // namespace cuecard
