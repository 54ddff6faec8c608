// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Fetched pictures on disk, so a session runs offline once prepared and a restart costs no
/// network: content-addressed (objects/<sha256 of the bytes>), looked up by key (the URL;
/// keys/<sha256 of the key>.json names the object), size-capped (least recently used objects go
/// first), every file written atomically. Safe for one process; not for two writing at once.

#include "core/util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace cuecard {

class PictureCache {
  public:
    explicit PictureCache(std::filesystem::path folder,
                          std::uint64_t maxBytes = 512ull * 1024 * 1024);

    struct Entry {
        std::string bytes;
        std::string contentType;
    };
    /// The stored bytes for `key` (and marks them recently used); nullopt when not cached.
    std::optional<Entry> lookup(const std::string &key) const;
    /// Stores `bytes` under `key`, then evicts the least recently used objects over the cap.
    Status store(const std::string &key, std::string_view bytes, const std::string &contentType);
    /// Bytes of all objects now.
    std::uint64_t bytesUsed() const;

    /// The folder Cuecard uses when none is given: $XDG_CACHE_HOME/cuecard/pictures, else
    /// ~/.cache/cuecard/pictures.
    static std::filesystem::path defaultFolder();

  private:
    void evict() const;
    std::filesystem::path folder_;
    std::uint64_t maxBytes_;
};

} // namespace cuecard
