// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A team campaign as the queue of OBS's session hub. The feed's own thread claims recipients
/// a few ahead of the rep and hands the hub the list of everyone claimed so far, so `next` only
/// moves within what is already claimed and never waits on the network; it renews the leases
/// every few seconds, takes out (and says so) anyone whose lease was taken over before the rep
/// reaches them, sends the hub's outcomes (takes recorded, people skipped) through TeamClaims'
/// journal, and reads the team's progress for the dock. The hub's lock is never held across a
/// database call: the feed reads the hub, talks to the database, then applies.

#include "core/session/session_hub.hpp"
#include "core/team/team_claims.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cuecard {

struct TeamFeedOptions {
    int leaseSeconds = 120;
    int ahead = 3;          ///< claimed beyond the one on screen
    int renewSeconds = 5;   ///< leases renewed (and checked still ours) this often
    int statusSeconds = 5;  ///< the team's progress read this often
    int connectTimeout = 3; ///< seconds per connection attempt
    int retrySeconds = 5;   ///< a campaign that could not be opened is tried again this often
    /// After the rep leaves the campaign, how long the take of the one who was on screen may
    /// take to close (the recorder finishing the file) and still be reported by this feed.
    int leaveGraceSeconds = 30;
};

/// What the dock and get_state show of the campaign.
struct TeamView {
    std::string label; ///< the queue as the rep gave it
    std::string campaign;
    std::string rep;
    bool started = false; ///< connected once: the campaign exists and the rep may use it
    bool online = false;
    bool done = false;                ///< the campaign had nobody left to hand this rep
    std::string error;                ///< why there is no campaign queue (or the last problem)
    std::vector<std::string> notices; ///< newest last (claims lost, refusals), a few
    int claimed = 0;                  ///< held by this rep and not recorded or skipped yet
    int ahead = 0;                    ///< of those, after the one on screen
    int waiting = 0;                  ///< outcomes in the journal, not in the database yet
    int reported = 0;                 ///< outcomes the database has from this feed
    bool statusKnown = false;
    CampaignStatus status; ///< everyone's progress, as last read
};

class TeamFeed {
  public:
    /// Starts the feed's thread; the hub waits for `label` from now on (see
    /// SessionHub::expectProvidedQueue). `outbox`: the journal file for outcomes.
    /// `before`: feeds of the same campaign (same journal) still stopping; the thread waits for
    /// them before it opens the journal, so two never write it at once.
    TeamFeed(SessionHub &hub, std::string label, TeamQueue queue, std::filesystem::path outbox,
             TeamFeedOptions options = {}, std::vector<std::shared_ptr<TeamFeed>> before = {});
    /// Stops the thread: outcomes still waiting stay in the journal for next time, claims not
    /// reached go back to the pool (may take the connect timeout: not on OBS's UI thread).
    ~TeamFeed();
    TeamFeed(const TeamFeed &) = delete;
    TeamFeed &operator=(const TeamFeed &) = delete;

    /// Asks the thread to finish now (without waiting for it).
    void requestStop();
    /// The rep left the campaign (another queue): whoever they did not reach goes back at once;
    /// the one on screen keeps their lease while their take may still close (leaveGraceSeconds),
    /// and that take is still reported here. Does not wait.
    void leave();
    bool finished() const { return finished_; }
    /// Waits until the thread has finished (a feed's own thread waiting for its predecessor).
    void waitFinished() const;
    const std::string &label() const { return label_; }
    const std::filesystem::path &outbox() const { return outbox_; }
    /// An outcome from the hub (any thread, never blocks). Taken when it comes from this
    /// campaign (HubOutcome::queue is this feed's label; the rep may report their own recipient
    /// from any connection, also one a feed of this campaign before claimed); false when it
    /// comes from another queue or the feed has closed.
    bool outcome(const HubOutcome &o);
    TeamView view() const;
    /// Looks at the hub now rather than at the next poll (after a switch).
    void wake();

  private:
    void run();
    void step(TeamClaims &claims);
    /// The hub's outcomes so far, to the journal and the database; how many went.
    int sendOutcomes(TeamClaims &claims);
    Queue makeQueue(const TeamClaims &claims) const;
    void notice(const std::string &text);
    bool sleepFor(std::chrono::milliseconds d); ///< false when asked to stop or to leave
    /// After leaving: waits (at most the grace) for the take of `id`, unless stopped.
    void awaitLastTake(const std::string &id);

    SessionHub &hub_;
    std::string label_;
    TeamQueue queue_;
    std::filesystem::path outbox_;
    TeamFeedOptions options_;
    std::vector<std::shared_ptr<TeamFeed>> before_;

    mutable std::mutex mutex_;
    mutable std::condition_variable wake_;
    bool stop_ = false;
    bool leaving_ = false;
    bool closed_ = false; ///< takes no more outcomes (the last ones are being sent)
    bool woken_ = false;
    std::vector<HubOutcome> inbox_;
    TeamView view_;

    // The thread's own.
    std::vector<Recipient> list_; ///< everyone claimed so far, in claim order: the hub's queue
    std::set<std::string> final_; ///< recorded or skipped: no lease to keep
    std::set<std::string> known_; ///< every id this feed claimed
    bool opened_ = false;         ///< the hub has our queue
    std::string lastCurrent_;     ///< who the hub showed at the last step
    std::chrono::steady_clock::time_point lastRenew_{};
    std::chrono::steady_clock::time_point lastStatus_{};
    std::chrono::steady_clock::time_point lastClaimTry_{};

    std::atomic<bool> finished_{false};
    std::thread thread_; ///< last: starts once the rest is set
};

/// The queue a rep opens, whatever it is: a team campaign gets its feed (kept while the same
/// campaign is asked for again), a file goes to the hub (and a running feed leaves). Feeds
/// stop in the background; the destructor waits for them (their claims go back). Outcomes go
/// to the feed of the campaign they were recorded from, also while it leaves (a take closing
/// after the rep opened another queue), or to the same campaign open again.
class CampaignLink {
  public:
    CampaignLink(SessionHub &hub, TeamFeedOptions options = {});
    ~CampaignLink();
    CampaignLink(const CampaignLink &) = delete;
    CampaignLink &operator=(const CampaignLink &) = delete;

    /// Where outcome journals go (one file per campaign and database).
    void setOutboxDir(std::filesystem::path dir);
    /// Opens `queue` in the background. Never blocks; problems reach the hub's snapshot.
    void open(const std::string &queue);
    /// The campaign's view, when the open queue is one.
    std::optional<TeamView> view() const;
    /// Stops every feed and waits for them (module unload).
    void shutdown();

  private:
    void retireLocked();

    SessionHub &hub_;
    TeamFeedOptions options_;
    mutable std::mutex mutex_;
    std::filesystem::path outboxDir_;
    std::shared_ptr<TeamFeed> feed_;
    std::vector<std::shared_ptr<TeamFeed>> retired_;
};

/// The campaign in a few lines for the dock: the team's progress and this rep's part; who else
/// is recording now; what is wrong (offline, outcomes waiting, the last notice).
std::vector<std::string> describeTeam(const TeamView &view);

/// A take or skip the hub learned of, as the campaign records it.
TeamOutcome teamOutcome(const HubOutcome &outcome);

/// The journal file for a campaign's outcomes in `dir` (named after the campaign and the
/// database, so two databases with a campaign of the same name never share one).
std::filesystem::path teamOutboxPath(const std::filesystem::path &dir, const TeamQueue &queue);

} // namespace cuecard
