// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/team/team_feed.hpp"
// Over 400 lines: the feed's thread (claims, renewals, outcomes, progress) and the campaign
// link that starts and retires feeds share their state rules; describeTeam words them.

#include <algorithm>
#include <cstdio>
#include <map>

namespace cuecard {
namespace {

constexpr std::size_t kNotices = 5;

bool settled(RecipientState s) {
    return s == RecipientState::Recorded || s == RecipientState::Skipped;
}

} // namespace

TeamOutcome teamOutcome(const HubOutcome &o) {
    TeamOutcome t;
    t.recipientId = o.recipientId;
    t.outcome = o.outcome;
    t.file = o.file;
    t.duration = o.duration;
    t.frames = o.frames;
    t.status = o.status;
    t.startedAt = o.startedAt;
    t.endedAt = o.endedAt;
    return t;
}

std::filesystem::path teamOutboxPath(const std::filesystem::path &dir, const TeamQueue &queue) {
    std::string name;
    for (const char c : queue.campaign) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '_';
        name += plain ? c : '_';
    }
    std::uint32_t h = 2166136261u; // FNV-1a of the database's conninfo
    for (const unsigned char c : queue.conninfo) {
        h = (h ^ c) * 16777619u;
    }
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", h);
    return dir / ("team-outbox-" + name.substr(0, 64) + "-" + hex + ".jsonl");
}

TeamFeed::TeamFeed(SessionHub &hub, std::string label, TeamQueue queue,
                   std::filesystem::path outbox, TeamFeedOptions options,
                   std::vector<std::shared_ptr<TeamFeed>> before)
    : hub_(hub), label_(std::move(label)), queue_(std::move(queue)), outbox_(std::move(outbox)),
      options_(options), before_(std::move(before)) {
    view_.label = label_;
    view_.campaign = queue_.campaign;
    hub_.expectProvidedQueue(label_);
    thread_ = std::thread([this] { run(); });
}

TeamFeed::~TeamFeed() {
    requestStop();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void TeamFeed::requestStop() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
}

void TeamFeed::leave() {
    {
        std::lock_guard lock(mutex_);
        leaving_ = true;
    }
    wake_.notify_all();
}

void TeamFeed::waitFinished() const {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] { return finished_.load(); });
}

void TeamFeed::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

bool TeamFeed::outcome(const HubOutcome &o) {
    {
        std::lock_guard lock(mutex_);
        if (closed_ || o.queue != label_) {
            return false; // closed, or from another queue
        }
        inbox_.push_back(o);
        woken_ = true;
    }
    wake_.notify_all();
    return true;
}

TeamView TeamFeed::view() const {
    std::lock_guard lock(mutex_);
    return view_;
}

bool TeamFeed::sleepFor(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, d, [this] { return stop_ || leaving_ || woken_; });
    woken_ = false;
    return !stop_ && !leaving_;
}

void TeamFeed::awaitLastTake(const std::string &id) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::seconds(options_.leaveGraceSeconds), [&] {
        return stop_ || std::any_of(inbox_.begin(), inbox_.end(),
                                    [&](const HubOutcome &o) { return o.recipientId == id; });
    });
}

void TeamFeed::notice(const std::string &text) {
    {
        std::lock_guard lock(mutex_);
        view_.notices.push_back(text);
        if (view_.notices.size() > kNotices) {
            view_.notices.erase(view_.notices.begin());
        }
    }
    hub_.providedQueueProblem(label_, {}, text);
}

Queue TeamFeed::makeQueue(const TeamClaims &claims) const {
    Queue q;
    q.source = "campaign \"" + queue_.campaign + "\"";
    q.format = "PostgreSQL";
    q.columns = claims.columns();
    q.recipients = list_;
    return q;
}

void TeamFeed::run() {
    const auto finish = [this] {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
            finished_ = true;
        }
        wake_.notify_all();
    };
    // A feed of the same campaign still stopping writes the same journal: it finishes first.
    for (const auto &f : before_) {
        f->waitFinished();
    }
    before_.clear();
    TeamClaimsOptions co;
    co.leaseSeconds = options_.leaseSeconds;
    co.ahead = options_.ahead;
    co.waitSeconds = 0;
    co.connectTimeout = options_.connectTimeout;
    TeamClaims claims(queue_, outbox_, co);
    for (;;) {
        const Status st = claims.start();
        if (st) {
            break;
        }
        const std::string why = "team campaign \"" + queue_.campaign + "\": " + st.message() +
                                " (trying again every " + std::to_string(options_.retrySeconds) +
                                " s)";
        {
            std::lock_guard lock(mutex_);
            view_.error = why;
            view_.online = false;
        }
        hub_.providedQueueProblem(label_, why);
        if (!sleepFor(std::chrono::seconds(options_.retrySeconds))) {
            finish();
            return;
        }
    }
    {
        std::lock_guard lock(mutex_);
        view_.started = true;
        view_.rep = claims.rep();
        view_.error.clear();
    }
    do {
        step(claims);
    } while (sleepFor(std::chrono::milliseconds(250)));

    // Leaving: outcomes already in get one more try (the rest stay in the journal for the next
    // time this campaign is opened); whoever the rep did not reach goes back to the pool.
    (void)sendOutcomes(claims);
    // The one on screen keeps their lease (a take of them may still be closing): when the rep
    // left for another queue, this feed waits a while for that take and reports it; the lease
    // runs out if nothing comes.
    std::vector<std::string> unreached;
    for (const auto &r : list_) {
        if (final_.count(r.id) == 0 && r.id != lastCurrent_) {
            unreached.push_back(r.id);
        }
    }
    claims.giveBackIds(unreached);
    if (!lastCurrent_.empty() && final_.count(lastCurrent_) == 0) {
        awaitLastTake(lastCurrent_);
    }
    {
        std::lock_guard lock(mutex_);
        closed_ = true; // from now on CampaignLink hands outcomes elsewhere
    }
    (void)sendOutcomes(claims);
    finish();
}

int TeamFeed::sendOutcomes(TeamClaims &claims) {
    // Into the journal, then the database.
    std::vector<HubOutcome> in;
    {
        std::lock_guard lock(mutex_);
        in.swap(inbox_);
    }
    int reported = 0;
    for (const auto &o : in) {
        if (o.outcome == "recorded" && !o.status.empty() && o.status != "complete") {
            notice(o.file + " is " + o.status + ": not reported as recorded (record them again)");
            continue;
        }
        const std::size_t refusedBefore = claims.refused().size();
        claims.report(teamOutcome(o));
        final_.insert(o.recipientId);
        ++reported;
        if (claims.refused().size() > refusedBefore) {
            notice("the campaign refused " + claims.refused().back());
        }
    }
    return reported;
}

void TeamFeed::step(TeamClaims &claims) {
    const auto now = std::chrono::steady_clock::now();
    const int reported = sendOutcomes(claims);
    if (claims.waiting() > 0) {
        claims.flush();
    }

    const bool ours = hub_.providing(label_);
    const std::vector<QueueListRow> rows =
        opened_ && ours ? hub_.listRows() : std::vector<QueueListRow>{};
    std::map<std::string, RecipientState> stateOf;
    int currentPos = -1;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        stateOf[rows[i].id] = rows[i].state;
        if (rows[i].current) {
            currentPos = static_cast<int>(i);
        }
    }
    if (currentPos >= 0) {
        lastCurrent_ = rows[static_cast<std::size_t>(currentPos)].id;
    }
    bool changed = false;
    std::set<std::string> lost;

    // 2. Leases: renewed, and anyone taken over meanwhile is out before the rep reaches them.
    if (ours && now - lastRenew_ >= std::chrono::seconds(options_.renewSeconds)) {
        lastRenew_ = now;
        std::vector<std::string> ids;
        for (const auto &r : list_) {
            auto it = stateOf.find(r.id);
            if (final_.count(r.id) == 0 && (it == stateOf.end() || !settled(it->second))) {
                ids.push_back(r.id);
            }
        }
        if (auto kept = claims.stillMine(ids)) {
            const std::set<std::string> mine(kept->begin(), kept->end());
            for (auto it = list_.begin(); it != list_.end();) {
                if (std::find(ids.begin(), ids.end(), it->id) != ids.end() &&
                    mine.count(it->id) == 0) {
                    notice("#" + std::to_string(it->index) + " " + it->displayName() +
                           " is not yours any more (the lease ran out and another rep took "
                           "them, or the campaign dropped them): not recorded");
                    lost.insert(it->id);
                    it = list_.erase(it);
                    changed = true;
                } else {
                    ++it;
                }
            }
        }
    }

    // 3. Topped up: `ahead` people not yet recorded after the one on screen.
    int pendingAfter = 0;
    std::string moveTo; // when the one on screen was lost: the next one still ours
    for (std::size_t i = static_cast<std::size_t>(currentPos + 1); i < rows.size(); ++i) {
        if (rows[i].state == RecipientState::Pending && final_.count(rows[i].id) == 0 &&
            lost.count(rows[i].id) == 0) {
            ++pendingAfter;
            moveTo = moveTo.empty() ? rows[i].id : moveTo;
        }
    }
    const bool currentLost =
        currentPos >= 0 && lost.count(rows[static_cast<std::size_t>(currentPos)].id) != 0;
    const int want =
        list_.empty() ? options_.ahead + 1 : options_.ahead - pendingAfter + (currentLost ? 1 : 0);
    bool done = false;
    {
        std::lock_guard lock(mutex_);
        done = view_.done;
    }
    // An empty campaign is asked again now and then (leases of others run out).
    const bool tryClaim =
        want > 0 && ours &&
        (!done || now - lastClaimTry_ >= std::chrono::seconds(options_.renewSeconds));
    if (tryClaim) {
        lastClaimTry_ = now;
        if (auto more = claims.claim(want)) {
            done = more->empty();
            for (auto &r : *more) {
                known_.insert(r.id);
                moveTo = moveTo.empty() ? r.id : moveTo;
                list_.push_back(std::move(r));
                changed = true;
            }
            if (done && list_.empty()) {
                hub_.providedQueueProblem(label_, "campaign \"" + queue_.campaign +
                                                      "\" has no recipient left for you");
            }
        }
    }

    if (changed && !list_.empty()) {
        if (!opened_) {
            opened_ = hub_.openProvidedQueue(label_, makeQueue(claims));
        } else {
            (void)hub_.replaceProvidedQueue(label_, makeQueue(claims));
            if (currentLost && !moveTo.empty() && hub_.jumpToId(moveTo)) {
                lastCurrent_ = moveTo;
                // The rep is on someone who is not theirs any more: on to the next of theirs
                // (never back to someone they already recorded or skipped).
                const auto shown = hub_.snapshot();
                if (shown.current) {
                    notice("now at #" + std::to_string(shown.current->index) + " " +
                           shown.current->displayName());
                }
            }
        }
    }

    // 4. The team's progress, for the dock.
    std::optional<CampaignStatus> status;
    if (now - lastStatus_ >= std::chrono::seconds(options_.statusSeconds) || reported > 0 ||
        changed) {
        lastStatus_ = now;
        status = claims.status();
    }

    int claimed = 0;
    int ahead = 0;
    const auto fresh = hub_.listRows();
    const bool freshOurs = opened_ && ours && hub_.providing(label_); // not switched meanwhile
    bool past = false;
    for (const auto &row : fresh) {
        if (row.current && freshOurs && known_.count(row.id) > 0) {
            lastCurrent_ = row.id; // as of now: whom a take may still be closing for
        }
        const bool open = !settled(row.state) && final_.count(row.id) == 0;
        claimed += open && known_.count(row.id) ? 1 : 0;
        ahead += past && open ? 1 : 0;
        past = past || row.current;
    }
    std::lock_guard lock(mutex_);
    view_.online = claims.online();
    view_.done = done;
    view_.claimed = opened_ && ours ? claimed : 0;
    view_.ahead = opened_ && ours ? ahead : 0;
    view_.waiting = claims.waiting();
    view_.reported += reported;
    if (status) {
        view_.status = std::move(*status);
        view_.statusKnown = true;
    }
    if (!claims.online() && !claims.lastError().empty()) {
        view_.error = claims.lastError();
    } else {
        view_.error.clear();
    }
}

std::vector<std::string> describeTeam(const TeamView &v) {
    std::vector<std::string> lines;
    const std::string who = v.rep.empty() ? "" : " as " + v.rep;
    if (!v.started) {
        lines.push_back("Team campaign \"" + v.campaign +
                        "\": " + (v.error.empty() ? "connecting…" : v.error));
        return lines;
    }
    std::string head = "Team campaign \"" + v.campaign + "\"" + who;
    if (v.statusKnown) {
        const CampaignStatus &s = v.status;
        head += ": " + std::to_string(s.recorded) + "/" + std::to_string(s.total) + " recorded · " +
                std::to_string(s.skipped) + " skipped · " + std::to_string(s.claimed) +
                " in progress · " + std::to_string(s.left) + " left";
    }
    lines.push_back(head);
    std::string mine = "You: " + std::to_string(v.claimed) + " claimed (" +
                       std::to_string(v.ahead) + " ready after this one)";
    std::vector<std::string> others;
    for (const RepProgress &r : v.status.reps) {
        if (r.rep == v.rep) {
            mine += " · " + std::to_string(r.recorded) + " recorded";
            if (r.perHour > 0.0) {
                mine += " (" + std::to_string(static_cast<int>(r.perHour + 0.5)) + "/h)";
            }
        } else if (r.claimed > 0) {
            others.push_back(r.rep + " (" + std::to_string(r.recorded) + " recorded)");
        }
    }
    lines.push_back(mine);
    if (v.statusKnown) {
        std::string also = "Also recording: ";
        for (std::size_t i = 0; i < others.size(); ++i) {
            also += (i == 0 ? "" : ", ") + others[i];
        }
        lines.push_back(others.empty() ? "Nobody else is recording now" : also);
    }
    if (!v.online) {
        lines.push_back("Offline: recording who is claimed; outcomes are kept and sent when the "
                        "database is back" +
                        (v.error.empty() ? std::string() : " (" + v.error + ")"));
    }
    if (v.waiting > 0) {
        lines.push_back(std::to_string(v.waiting) + " outcome(s) wait for the database");
    }
    if (v.done && v.ahead == 0) {
        lines.push_back("Nobody left in the campaign for you after this one");
    }
    if (!v.notices.empty()) {
        lines.push_back(v.notices.back());
    }
    return lines;
}

// ---- CampaignLink -----------------------------------------------------------------------

CampaignLink::CampaignLink(SessionHub &hub, TeamFeedOptions options)
    : hub_(hub), options_(options) {
    hub_.setOnOutcome([this](const HubOutcome &o) {
        std::lock_guard lock(mutex_);
        // A feed leaving its campaign waits for the take of the one it showed last; when it
        // has closed, the same campaign open again reports it.
        for (const auto &f : retired_) {
            if (f->outcome(o)) {
                return;
            }
        }
        if (feed_) {
            (void)feed_->outcome(o);
        }
    });
}

CampaignLink::~CampaignLink() {
    hub_.setOnOutcome({});
    shutdown();
}

void CampaignLink::setOutboxDir(std::filesystem::path dir) {
    std::lock_guard lock(mutex_);
    outboxDir_ = std::move(dir);
}

void CampaignLink::retireLocked() {
    if (feed_) {
        feed_->leave();
        retired_.push_back(std::move(feed_)); // feed_ is empty now
    }
    // Feeds that finished are joined now (immediately: their thread has ended).
    std::erase_if(retired_, [](const std::shared_ptr<TeamFeed> &f) { return f->finished(); });
}

void CampaignLink::open(const std::string &queue) {
    std::string error;
    const auto team = parseTeamQueue(queue, error);
    std::lock_guard lock(mutex_);
    if (team && feed_ && feed_->label() == queue && hub_.providing(queue)) {
        return; // already this campaign
    }
    if (!team && error.empty()) {
        retireLocked();
        hub_.openQueueInBackground(queue);
        return;
    }
    retireLocked();
    if (!team) {
        hub_.expectProvidedQueue(queue);
        hub_.providedQueueProblem(queue, error);
        return;
    }
    std::error_code ec;
    std::filesystem::create_directories(outboxDir_, ec);
    const auto outbox = teamOutboxPath(outboxDir_, *team);
    // The same campaign left a moment ago: that feed stops waiting for its last take (which
    // comes to this one) and finishes before this one opens the journal.
    std::vector<std::shared_ptr<TeamFeed>> before;
    for (const auto &f : retired_) {
        if (f->outbox() == outbox && !f->finished()) {
            f->requestStop();
            before.push_back(f);
        }
    }
    feed_ = std::make_shared<TeamFeed>(hub_, queue, *team, outbox, options_, std::move(before));
}

std::optional<TeamView> CampaignLink::view() const {
    std::lock_guard lock(mutex_);
    if (!feed_ || !hub_.providing(feed_->label())) {
        return std::nullopt;
    }
    return feed_->view();
}

void CampaignLink::shutdown() {
    std::vector<std::shared_ptr<TeamFeed>> all;
    {
        std::lock_guard lock(mutex_);
        if (feed_) {
            feed_->requestStop();
            all.push_back(std::move(feed_));
        }
        for (auto &f : retired_) {
            all.push_back(std::move(f));
        }
        retired_.clear();
    }
    all.clear(); // joins, outside the lock
}

} // namespace cuecard
