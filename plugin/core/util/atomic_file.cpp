// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/util/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace cuecard {
namespace {

std::string errnoText() {
    return std::strerror(errno);
}

} // namespace

Status writeFileAtomically(const std::filesystem::path &path, std::string_view content) {
    const std::filesystem::path tmp =
        path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(getpid()));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return makeError("cannot write " + path.string() + ": " + errnoText());
    }
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const std::string why = errnoText();
            ::close(fd);
            ::unlink(tmp.c_str());
            return makeError("cannot write " + path.string() + ": " + why +
                             (errno == ENOSPC ? " (the disk is full)" : ""));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const std::string why = errnoText();
        ::close(fd);
        ::unlink(tmp.c_str());
        return makeError("cannot save " + path.string() + ": " + why);
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = errnoText();
        ::unlink(tmp.c_str());
        return makeError("cannot save " + path.string() + ": " + why);
    }
    const std::string dir = path.parent_path().empty() ? "." : path.parent_path().string();
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return Status::success();
}

Result<std::filesystem::path> renameWithoutReplacing(const std::filesystem::path &from,
                                                     const std::filesystem::path &to) {
    const std::string stem = to.stem().string();
    const std::string ext = to.extension().string();
    for (int n = 1; n < 1000; ++n) {
        const std::filesystem::path target =
            n == 1 ? to : to.parent_path() / (stem + "-" + std::to_string(n) + ext);
        // link() fails when the target exists, so nothing is ever replaced.
        if (::link(from.c_str(), target.c_str()) == 0) {
            ::unlink(from.c_str());
            return target;
        }
        if (errno != EEXIST) {
            return makeError("cannot move " + from.string() + " aside: " + errnoText());
        }
    }
    return makeError("cannot move " + from.string() + " aside: too many old copies");
}

namespace {
std::tm utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return tm;
}
} // namespace

std::string utcStamp() {
    const std::tm tm = utcNow();
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
    return buf;
}

std::string utcIso8601() {
    const std::tm tm = utcNow();
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace cuecard
