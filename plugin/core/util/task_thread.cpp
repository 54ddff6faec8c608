// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/util/task_thread.hpp"

namespace cuecard {

TaskThread::TaskThread() : thread_([this] { run(); }) {}

TaskThread::~TaskThread() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void TaskThread::post(std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        tasks_.push_back(std::move(task));
        ++posted_;
    }
    wake_.notify_one();
}

void TaskThread::drain() {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = posted_;
    idle_.wait(lock, [&] { return finished_ >= target; });
}

void TaskThread::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stop_ || !tasks_.empty(); });
        if (tasks_.empty()) {
            return; // stopping, and nothing left to run
        }
        std::function<void()> task = std::move(tasks_.front());
        tasks_.pop_front();
        lock.unlock();
        try {
            task();
        } catch (...) {
            // A task reports its own failures; one that throws must not end the thread.
        }
        lock.lock();
        ++finished_;
        idle_.notify_all();
    }
}

} // namespace cuecard
