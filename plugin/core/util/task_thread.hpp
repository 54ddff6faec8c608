// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// One thread that runs posted tasks in order: where slow work (a disk, later a network or a
/// database) goes so that OBS's graphics, audio and UI threads never wait on it. post() never
/// blocks on a running task; drain() waits for everything posted so far (CLI exit, tests).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace cuecard {

class TaskThread {
  public:
    TaskThread();
    /// Runs what is still queued, then joins.
    ~TaskThread();
    TaskThread(const TaskThread &) = delete;
    TaskThread &operator=(const TaskThread &) = delete;

    void post(std::function<void()> task);
    /// Waits until every task posted before this call has run. Never call it from a task.
    void drain();

  private:
    void run();
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<std::function<void()>> tasks_;
    std::uint64_t posted_ = 0;
    std::uint64_t finished_ = 0;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace cuecard
