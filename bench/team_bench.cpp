// SPDX-License-Identifier: GPL-2.0-or-later
// Team campaigns on PostgreSQL, measured on a real server started for the run (a temporary
// folder, a Unix socket): importing 100,000 recipients, claims per second with 50 reps claiming
// and reporting at once (each on its own connection, one recipient at a time, as a session
// does), and the team lead's status query on that campaign.
// Run: build/bench/cuecard_team_bench [recipients, default 100000] [reps, default 50]

#include "core/queue/queue.hpp"
#include "core/team/team_store.hpp"
#include "team/pg_server.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

using namespace cuecard;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

} // namespace

int main(int argc, char **argv) {
    const int recipients = argc > 1 ? std::atoi(argv[1]) : 100000;
    const int reps = argc > 2 ? std::atoi(argv[2]) : 50;
    test::PgServer pg;
    auto lead = PgConnection::connect(pg.conninfo());
    if (!lead) {
        std::fprintf(stderr, "%s\n", lead.message().c_str());
        return 1;
    }
    PgConnection &db = *lead.value();
    if (auto m = applyMigrations(db, {CUECARD_BENCH_DATA_DIR}); !m) {
        std::fprintf(stderr, "%s\n", m.message().c_str());
        return 1;
    }
    Queue q;
    q.source = "bench.csv";
    q.columns = {"full_name", "company", "email"};
    for (int i = 1; i <= recipients; ++i) {
        Recipient r;
        r.id = "person" + std::to_string(i) + "@example.com";
        r.index = i;
        r.fields = {{"full_name", "Person " + std::to_string(i)},
                    {"company", "Company " + std::to_string(i % 997)},
                    {"email", r.id}};
        q.recipients.push_back(std::move(r));
    }
    auto t = Clock::now();
    auto imported = importCampaign(db, "bench", q, "");
    if (!imported) {
        std::fprintf(stderr, "%s\n", imported.message().c_str());
        return 1;
    }
    std::printf("import of %d recipients: %.0f ms\n", recipients, msSince(t));
    t = Clock::now();
    (void)importCampaign(db, "bench", q, "");
    std::printf("re-import of the same export: %.0f ms\n", msSince(t));
    for (int i = 1; i <= reps; ++i) {
        (void)addRep(db, "rep" + std::to_string(i));
    }

    // Every rep: claim one, report it recorded, again, for a fixed time.
    std::atomic<long> claims{0};
    std::atomic<bool> stop{false};
    std::vector<double> latencies[64];
    std::vector<std::thread> threads;
    for (int i = 0; i < reps; ++i) {
        threads.emplace_back([&, i] {
            auto c = PgConnection::connect(pg.conninfo("rep" + std::to_string(i + 1)));
            if (!c) {
                return;
            }
            auto &mine = latencies[i % 64];
            while (!stop) {
                const auto a = Clock::now();
                auto got = claimRecipients(*c.value(), "bench", 1, 120);
                if (!got || got->empty()) {
                    break;
                }
                TeamOutcome o;
                o.recipientId = got->front().id;
                o.file = o.recipientId + ".mkv";
                (void)reportOutcome(*c.value(), "bench", o);
                mine.push_back(msSince(a));
                ++claims;
            }
        });
    }
    const int seconds = 10;
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    stop = true;
    for (auto &th : threads) {
        th.join();
    }
    std::vector<double> all;
    for (auto &l : latencies) {
        all.insert(all.end(), l.begin(), l.end());
    }
    std::sort(all.begin(), all.end());
    const auto pct = [&](double p) {
        return all.empty() ? 0.0 : all[static_cast<std::size_t>(p * (all.size() - 1))];
    };
    std::printf("%d reps for %d s: %ld claims+reports, %.0f per second; claim+report latency "
                "median %.1f ms, p95 %.1f ms\n",
                reps, seconds, claims.load(), static_cast<double>(claims.load()) / seconds,
                pct(0.5), pct(0.95));
    std::vector<double> status;
    for (int i = 0; i < 20; ++i) {
        t = Clock::now();
        auto s = campaignStatus(db, "bench");
        status.push_back(msSince(t));
        if (!s) {
            std::fprintf(stderr, "%s\n", s.message().c_str());
            return 1;
        }
    }
    std::sort(status.begin(), status.end());
    std::printf("team status on %d recipients (%d reps): median %.1f ms, max %.1f ms\n", recipients,
                reps, status[status.size() / 2], status.back());
    return 0;
}
