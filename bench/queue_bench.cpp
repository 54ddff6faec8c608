// SPDX-License-Identifier: GPL-2.0-or-later
// Loading a 100,000-row CRM export, next to a peer measured in the same run: Python's csv module
// (csv.DictReader) reading the same file. Python's time is measured inside Python around the read
// alone, so interpreter start-up is not counted against it. Cuecard's load does more than split
// fields: UTF-8 validation, header aliases, value cleaning, stable ids and duplicate checks.
// Run: build/bench/cuecard_queue_bench

#include "core/queue/queue.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

namespace {

const std::filesystem::path &csvFile() {
    static const std::filesystem::path path = [] {
        auto p = std::filesystem::temp_directory_path() / "cuecard-bench-100k.csv";
        std::ofstream out(p, std::ios::binary);
        out << "Record ID,First Name,Last Name,Email,Company Name,Job Title,Notes\n";
        std::mt19937 rng(1);
        const char *first[] = {"Jane", "Zoë", "Алексей", "李", "محمد", "Sam", "José", "Ελένη"};
        const char *last[] = {"Doe", "Müller", "Смирнов", "小龙", "العلي", "Lee", "García", "Παπα"};
        const char *companies[] = {"Acme",   "\"Initech, LLC\"",          "Bäckerei Größe",
                                   "Globex", "\"Hooli \"\"Nucleus\"\"\"", "Umbrella"};
        for (int i = 0; i < 100000; ++i) {
            out << i << "," << first[rng() % 8] << "," << last[rng() % 8] << ",person" << i
                << "@example.com," << companies[rng() % 6] << ",VP of Sales,"
                << ((i % 5) == 0 ? "\"Met at SaaStr, asked about\nthe Q3 launch\"" : "follow up")
                << "\n";
        }
        return p;
    }();
    return path;
}

void BM_CuecardLoad100k(benchmark::State &state) {
    const auto &path = csvFile();
    std::size_t rows = 0;
    for (auto _ : state) {
        cuecard::Queue q =
            cuecard::readQueue(path); // not const: DoNotOptimize(const &) is deprecated
        rows = q.recipients.size();
        benchmark::DoNotOptimize(q);
    }
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
}
BENCHMARK(BM_CuecardLoad100k)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PythonCsvDictReader100k(benchmark::State &state) {
    const auto &path = csvFile();
    const std::string command =
        "python3 -c \"import csv,sys,time\n"
        "t=time.perf_counter()\n"
        "rows=list(csv.DictReader(open(sys.argv[1],encoding='utf-8-sig',newline='')))\n"
        "print(time.perf_counter()-t, len(rows))\" '" +
        path.string() + "'";
    std::size_t rows = 0;
    for (auto _ : state) {
        FILE *pipe = popen(command.c_str(), "r");
        double seconds = 0.0;
        if (pipe == nullptr || std::fscanf(pipe, "%lf %zu", &seconds, &rows) != 2) {
            if (pipe != nullptr) {
                pclose(pipe);
            }
            state.SkipWithError("python3 is not available");
            return;
        }
        pclose(pipe);
        state.SetIterationTime(seconds);
    }
    state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_PythonCsvDictReader100k)->Unit(benchmark::kMillisecond)->UseManualTime();

} // namespace

BENCHMARK_MAIN();
