// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Live reload: polls the queue file (modification time, size, then content) and reads it
/// again when it really changed. Polling is cheap and works on every file system and editor
/// (including those that replace the file on save).

#include "core/queue/queue.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>

namespace cuecard {

class QueueWatcher {
  public:
    /// Remembers the file as it is now: the first poll() reports only later changes.
    explicit QueueWatcher(std::filesystem::path path);

    /// A freshly read queue when the file's content changed since the last poll, else nullopt.
    std::optional<Queue> poll();

    const std::filesystem::path &path() const { return path_; }

  private:
    bool stamp(std::int64_t &mtime, std::uintmax_t &size) const;
    std::filesystem::path path_;
    std::int64_t mtime_ = 0;
    std::uintmax_t size_ = 0;
    std::uint64_t hash_ = 0;
};

} // namespace cuecard
