// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Where the overlay sources' workers put their previews (the current and the next recipient)
/// and where the dock takes them: the first source's, as shared pointers (no copy, no lock held
/// while the dock draws). Thread-safe; publish and latest only take a lock.

#include "core/render/overlay_worker.hpp"

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace cuecard {

class PreviewBoard {
  public:
    struct Pair {
        std::shared_ptr<const OverlayPreview> current;
        std::shared_ptr<const OverlayPreview> next;
        /// The theme the source draws now (see drawing()).
        std::shared_ptr<const Theme> theme;

        /// `preview` (current or next) is of this recipient and drawn with the source's theme.
        static bool fresh(const std::shared_ptr<const OverlayPreview> &preview,
                          const std::string &recipientId, const Pair &pair) {
            return preview && preview->recipientId == recipientId && preview->theme == pair.theme;
        }
    };

    void publish(const void *key, OverlayPreview preview) {
        auto shared = std::make_shared<const OverlayPreview>(std::move(preview));
        std::lock_guard lock(mutex_);
        Pair *pair = nullptr;
        for (auto &[k, p] : entries_) {
            pair = k == key ? &p : pair;
        }
        if (pair == nullptr) {
            pair = &entries_.emplace_back(key, Pair{}).second;
        }
        (shared->which == OverlayPreview::Which::Current ? pair->current : pair->next) =
            std::move(shared);
    }
    /// The source now draws `theme`: its previews drawn with another one are stale until the
    /// worker draws them again.
    void drawing(const void *key, std::shared_ptr<const Theme> theme) {
        std::lock_guard lock(mutex_);
        for (auto &[k, p] : entries_) {
            if (k == key) {
                p.theme = std::move(theme);
                return;
            }
        }
        entries_.emplace_back(key, Pair{nullptr, nullptr, std::move(theme)});
    }
    void remove(const void *key) {
        std::lock_guard lock(mutex_);
        std::erase_if(entries_, [&](const auto &e) { return e.first == key; });
    }
    /// The previews of the source that published first (and is still there).
    Pair latest() const {
        std::lock_guard lock(mutex_);
        return entries_.empty() ? Pair{} : entries_.front().second;
    }

  private:
    mutable std::mutex mutex_;
    std::vector<std::pair<const void *, Pair>> entries_;
};

} // namespace cuecard
