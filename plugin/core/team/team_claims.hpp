// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A rep's side of a team campaign during a session: recipients are claimed a few ahead (so a
/// switch never waits on the network), each one's lease is checked again right before it is
/// recorded (a rep whose lease was taken over is told then, never after), outcomes go to a
/// journal on disk first and then to the database, so a rep who loses the database keeps
/// recording what is claimed and everything syncs when it is back. Blocking I/O: a thread of
/// its own in OBS, the main loop in the CLI.

#include "core/team/team_store.hpp"

#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cuecard {

struct TeamClaimsOptions {
    int leaseSeconds = 120;
    int ahead = 3;          ///< claimed beyond the one being recorded
    int waitSeconds = 60;   ///< with nothing claimed and no database: how long to keep trying
    int connectTimeout = 3; ///< seconds per connection attempt
};

class TeamClaims {
  public:
    /// `journal`: the file outcomes wait in until the database has them (one JSON per line).
    TeamClaims(TeamQueue queue, std::filesystem::path journal, TeamClaimsOptions options = {});
    ~TeamClaims();

    /// Connects and reads the campaign's columns; an error names what is wrong.
    Status start();
    const std::vector<std::string> &columns() const { return columns_; }

    /// The next recipient to record, or nullopt with `message` saying why (the campaign has
    /// none left; the database is unreachable and nothing is claimed). Messages about claims
    /// that were lost (taken over after the lease ran out, removed from the campaign) are
    /// added to `notices`.
    std::optional<Recipient> next(std::string &message, std::vector<std::string> &notices);
    /// Keeps the leases of what is claimed (call every few seconds while recording).
    void renew();
    /// An outcome: into the journal, then to the database when it can be reached.
    void report(const TeamOutcome &outcome);
    /// Sends what waits in the journal; returns how many are still waiting.
    int flush();
    /// Gives back what is claimed and not recorded (the session ends early).
    void giveBackUnrecorded();

    // For a caller that keeps its own list of who is claimed (OBS's feed, on its own thread).
    // Each returns nullopt when the database cannot be reached or refused; lastError() says why.
    /// Up to `count` more recipients, leased.
    std::optional<std::vector<Recipient>> claim(int count);
    /// Renews these leases; the ids still ours.
    std::optional<std::vector<std::string>> stillMine(const std::vector<std::string> &ids);
    /// Gives these back to the pool.
    void giveBackIds(const std::vector<std::string> &ids);
    /// The campaign's progress, per rep.
    std::optional<CampaignStatus> status();
    /// The role the database knows this rep as ("" before start()).
    const std::string &rep() const { return rep_; }
    const std::string &lastError() const { return lastError_; }

    bool online() const;
    int waiting() const { return static_cast<int>(outbox_.size()); }
    /// Reports the database refused (the recipient was someone else's by then): file, why.
    const std::vector<std::string> &refused() const { return refused_; }

  private:
    bool connect();
    void saveOutbox();

    TeamQueue queue_;
    std::filesystem::path journal_;
    TeamClaimsOptions options_;
    std::unique_ptr<PgConnection> db_;
    std::vector<std::string> columns_;
    std::deque<Recipient> ahead_;        ///< claimed, not yet started
    std::vector<std::string> recording_; ///< started, not reported yet
    std::vector<TeamOutcome> outbox_;
    std::vector<std::string> refused_;
    bool campaignDone_ = false;
    std::string rep_;
    std::string lastError_;
};

} // namespace cuecard
