// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// What each overlay source reports about itself (its name, theme and the error that keeps it
/// from drawing, if any), gathered in one place so the dock's status line and `get_state` show
/// a broken theme or queue of any source, not only in that source's properties. Thread-safe.

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace cuecard {

struct SourceReport {
    std::string name;
    std::string theme;
    std::string error;      ///< "" when the source draws
    double inSeconds = 0.0; ///< its theme's in-animation: a new recipient is fully shown after it
};

class SourceReports {
  public:
    /// `key` names the source; a newer report replaces its older one.
    void publish(const void *key, SourceReport report) {
        std::lock_guard lock(mutex_);
        reports_[key] = std::move(report);
    }
    void remove(const void *key) {
        std::lock_guard lock(mutex_);
        reports_.erase(key);
    }
    /// Every source's report, by name.
    std::vector<SourceReport> all() const {
        std::vector<SourceReport> out;
        {
            std::lock_guard lock(mutex_);
            for (const auto &[key, r] : reports_) {
                (void)key;
                out.push_back(r);
            }
        }
        std::sort(out.begin(), out.end(),
                  [](const SourceReport &a, const SourceReport &b) { return a.name < b.name; });
        return out;
    }
    /// The longest in-animation of the sources: from a switch until then, someone is still
    /// coming in (the recording's poster frame is after it).
    double longestIn() const {
        double longest = 0.0;
        for (const auto &r : all()) {
            longest = std::max(longest, r.inSeconds);
        }
        return longest;
    }
    /// "source 'Note': theme …: …" for the first source (by name) with an error; "" if none.
    std::string firstError() const {
        for (const auto &r : all()) {
            if (!r.error.empty()) {
                return "source '" + r.name + "': " + r.error;
            }
        }
        return "";
    }

  private:
    mutable std::mutex mutex_;
    std::map<const void *, SourceReport> reports_;
};

} // namespace cuecard
