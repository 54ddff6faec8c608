// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Where each overlay source's PicturePrefetcher publishes how far preparing the queue's
/// pictures is, and where the dock reads it all at once: one total, every problem. Thread-safe;
/// publish and combined only take a lock.

#include "core/picture/picture_prefetcher.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace cuecard {

class PrepareBoard {
  public:
    /// `key` names the publisher (a source); a newer progress replaces its older one.
    void publish(const void *key, const PrepareProgress &progress) {
        std::lock_guard lock(mutex_);
        entries_[key] = progress;
    }
    void remove(const void *key) {
        std::lock_guard lock(mutex_);
        entries_.erase(key);
    }
    /// Every publisher's progress added up; the same problem line from two sources once.
    PrepareProgress combined() const {
        std::lock_guard lock(mutex_);
        PrepareProgress out;
        for (const auto &[key, p] : entries_) {
            (void)key;
            out.total += p.total;
            out.prepared += p.prepared;
            out.withProblems += p.withProblems;
            for (const auto &line : p.problems) {
                if (out.problems.size() < PrepareProgress::kMaxProblems &&
                    std::find(out.problems.begin(), out.problems.end(), line) ==
                        out.problems.end()) {
                    out.problems.push_back(line);
                }
            }
            for (const auto &[id, notes] : p.notesById) {
                auto &merged = out.notesById[id];
                for (const auto &note : notes) {
                    if (std::find(merged.begin(), merged.end(), note) == merged.end()) {
                        merged.push_back(note);
                    }
                }
            }
        }
        return out;
    }

  private:
    mutable std::mutex mutex_;
    std::map<const void *, PrepareProgress> entries_;
};

} // namespace cuecard
