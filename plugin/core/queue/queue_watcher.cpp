// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/queue_watcher.hpp"
#include "core/util/read_file.hpp"

#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace cuecard {
namespace {

std::uint64_t fnv1a(const std::string &s) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) {
        h = (h ^ c) * 1099511628211ull;
    }
    return h;
}

} // namespace

QueueWatcher::QueueWatcher(std::filesystem::path path) : path_(std::move(path)) {
    stamp(mtime_, size_);
    if (auto text = readFile(path_)) {
        hash_ = fnv1a(*text);
    }
}

bool QueueWatcher::stamp(std::int64_t &mtime, std::uintmax_t &size) const {
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) {
        return false;
    }
    mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    size = static_cast<std::uintmax_t>(st.st_size);
    return true;
}

std::optional<Queue> QueueWatcher::poll() {
    std::int64_t mtime = 0;
    std::uintmax_t size = 0;
    if (!stamp(mtime, size)) {
        // Editors that save by rename briefly have no file: wait for the next poll.
        return std::nullopt;
    }
    if (mtime == mtime_ && size == size_) {
        return std::nullopt;
    }
    mtime_ = mtime;
    size_ = size;
    auto text = readFile(path_);
    if (!text) {
        return std::nullopt;
    }
    const std::uint64_t h = fnv1a(*text);
    if (h == hash_) {
        return std::nullopt;
    }
    hash_ = h;
    return readQueueText(*text, path_.filename().string(), path_.extension().string());
}

} // namespace cuecard
