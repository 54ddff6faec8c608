// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/picture/picture_cache.hpp"

#include "core/util/atomic_file.hpp"
#include "core/util/read_file.hpp"
#include "core/util/sha256.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace cuecard {

namespace fs = std::filesystem;

PictureCache::PictureCache(fs::path folder, std::uint64_t maxBytes)
    : folder_(std::move(folder)), maxBytes_(maxBytes) {}

fs::path PictureCache::defaultFolder() {
    if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
        return fs::path(xdg) / "cuecard" / "pictures";
    }
    const char *home = std::getenv("HOME");
    return fs::path(home != nullptr ? home : ".") / ".cache" / "cuecard" / "pictures";
}

std::optional<PictureCache::Entry> PictureCache::lookup(const std::string &key) const {
    const auto meta = readFile(folder_ / "keys" / (sha256Hex(key) + ".json"));
    if (!meta) {
        return std::nullopt;
    }
    try {
        const nlohmann::json doc = nlohmann::json::parse(*meta);
        if (doc.at("key").get<std::string>() != key) {
            return std::nullopt;
        }
        const std::string object = doc.at("object").get<std::string>();
        if (object.size() != 64 ||
            object.find_first_not_of("0123456789abcdef") != std::string::npos) {
            return std::nullopt;
        }
        const fs::path path = folder_ / "objects" / object;
        auto bytes = readFile(path);
        if (!bytes || sha256Hex(*bytes) != object) {
            return std::nullopt; // gone (evicted) or damaged: fetch again
        }
        std::error_code ec;
        fs::last_write_time(path, fs::file_time_type::clock::now(), ec); // recently used
        return Entry{std::move(*bytes), doc.value("content_type", std::string())};
    } catch (const nlohmann::json::exception &) {
        return std::nullopt;
    }
}

Status PictureCache::store(const std::string &key, std::string_view bytes,
                           const std::string &contentType) {
    std::error_code ec;
    fs::create_directories(folder_ / "objects", ec);
    fs::create_directories(folder_ / "keys", ec);
    if (ec) {
        return makeError("the picture cache " + folder_.string() + " cannot be created (" +
                         ec.message() + ")");
    }
    const std::string object = sha256Hex(bytes);
    const fs::path objectPath = folder_ / "objects" / object;
    if (!fs::exists(objectPath, ec)) {
        if (Status s = writeFileAtomically(objectPath, bytes); !s) {
            return s;
        }
    } else {
        fs::last_write_time(objectPath, fs::file_time_type::clock::now(), ec);
    }
    nlohmann::json doc;
    doc["key"] = key;
    doc["object"] = object;
    doc["content_type"] = contentType;
    doc["stored_at"] = utcIso8601();
    if (Status s =
            writeFileAtomically(folder_ / "keys" / (sha256Hex(key) + ".json"), doc.dump(2) + "\n");
        !s) {
        return s;
    }
    evict();
    return Status::success();
}

std::uint64_t PictureCache::bytesUsed() const {
    std::uint64_t total = 0;
    std::error_code ec;
    for (const auto &e : fs::directory_iterator(folder_ / "objects", ec)) {
        std::error_code sizeError;
        const auto size = e.file_size(sizeError);
        total += sizeError ? 0 : size;
    }
    return total;
}

void PictureCache::evict() const {
    struct Object {
        fs::path path;
        fs::file_time_type used;
        std::uint64_t size;
    };
    std::vector<Object> objects;
    std::uint64_t total = 0;
    std::error_code ec;
    for (const auto &e : fs::directory_iterator(folder_ / "objects", ec)) {
        std::error_code e1;
        std::error_code e2;
        const auto size = e.file_size(e1);
        const auto used = e.last_write_time(e2);
        if (!e1 && !e2) {
            objects.push_back({e.path(), used, size});
            total += size;
        }
    }
    if (total <= maxBytes_) {
        return;
    }
    std::sort(objects.begin(), objects.end(),
              [](const Object &a, const Object &b) { return a.used < b.used; });
    for (const auto &o : objects) {
        if (total <= maxBytes_) {
            break;
        }
        if (fs::remove(o.path, ec)) {
            total -= o.size; // its key file stays: lookup sees the object gone and misses
        }
    }
}

} // namespace cuecard
