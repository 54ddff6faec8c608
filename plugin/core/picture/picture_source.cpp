// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/picture/picture_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

namespace cuecard {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
        s.remove_suffix(1);
    }
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

/// "scheme" of "scheme:rest" when the part before the first ':' looks like one (letters, digits,
/// '+', '-', '.', starting with a letter, at least two characters so "C:" is not one).
std::string schemeOf(std::string_view s) {
    const std::size_t colon = s.find(':');
    if (colon == std::string_view::npos || colon < 2) {
        return {};
    }
    if (std::isalpha(static_cast<unsigned char>(s[0])) == 0) {
        return {};
    }
    for (std::size_t i = 0; i < colon; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (std::isalnum(c) == 0 && c != '+' && c != '-' && c != '.') {
            return {};
        }
    }
    return lower(s.substr(0, colon));
}

} // namespace

PictureSource classifyPictureSource(std::string_view src) {
    PictureSource p;
    const std::string_view s = trim(src);
    if (s.empty()) {
        return p;
    }
    const std::string scheme = schemeOf(s);
    if (scheme == "http" || scheme == "https") {
        p.kind = PictureSource::Kind::Http;
        p.location = std::string(s);
    } else if (scheme == "capture") {
        std::string address(trim(s.substr(8)));
        if (schemeOf(address).empty() && !address.empty() &&
            std::isalnum(static_cast<unsigned char>(address[0])) != 0) {
            address = "https://" + address; // "acme.example" as a CRM's website column has it
        }
        const PictureSource page = classifyPictureSource(address);
        if (page.kind != PictureSource::Kind::Http) {
            p.kind = PictureSource::Kind::Refused;
            p.why = "capture: needs an http(s) address, not \"" + std::string(s.substr(8)) + "\"";
        } else {
            p.kind = PictureSource::Kind::Capture;
            p.location = page.location;
        }
    } else if (!scheme.empty()) {
        p.kind = PictureSource::Kind::Refused;
        p.why = scheme + ": addresses are not fetched (only http and https)";
    } else {
        p.kind = PictureSource::Kind::Local;
        p.location = std::string(s);
    }
    return p;
}

Result<std::string> readLocalPicture(const std::filesystem::path &folder, std::string_view relative,
                                     std::size_t maxBytes) {
    namespace fs = std::filesystem;
    const std::string name(relative);
    const fs::path rel(name);
    if (rel.is_absolute() || (!name.empty() && (name[0] == '/' || name[0] == '\\'))) {
        return makeError(name + ": an absolute path is not allowed; give a path relative to " +
                         folder.string());
    }
    for (const auto &part : rel) {
        if (part == "..") {
            return makeError(name + ": \"..\" is not allowed in a picture path");
        }
    }
    std::error_code ec;
    const fs::path base = fs::canonical(folder, ec);
    if (ec) {
        return makeError(folder.string() + ": the pictures' folder cannot be read (" +
                         ec.message() + ")");
    }
    const fs::path full = fs::canonical(base / rel, ec);
    if (ec) {
        return makeError(name + ": no such picture in " + base.string());
    }
    const auto [end, mismatch] = std::mismatch(base.begin(), base.end(), full.begin(), full.end());
    (void)mismatch;
    if (end != base.end()) {
        return makeError(name + ": leads outside " + base.string() + " (a link out of the folder)");
    }
    struct stat st {};
    if (::stat(full.c_str(), &st) != 0) {
        return makeError(name + ": cannot be read (" + std::strerror(errno) + ")");
    }
    if (!S_ISREG(st.st_mode)) {
        return makeError(name + ": not a regular file (a folder, device or pipe is never read)");
    }
    if (static_cast<std::uint64_t>(st.st_size) > maxBytes) {
        return makeError(name + ": larger than " + std::to_string(maxBytes / (1024 * 1024)) +
                         " MB");
    }
    // O_NONBLOCK: should the file have been swapped for a FIFO since, open does not wait for a
    // writer; O_NOFOLLOW: the canonical path has no link left to follow.
    const int fd = ::open(full.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return makeError(name + ": cannot be opened (" + std::strerror(errno) + ")");
    }
    struct stat opened {};
    if (::fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode)) {
        ::close(fd);
        return makeError(name + ": not a regular file");
    }
    std::string bytes;
    bytes.resize(static_cast<std::size_t>(opened.st_size));
    std::size_t got = 0;
    while (got < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
        if (n <= 0) {
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    bytes.resize(got);
    return bytes;
}

} // namespace cuecard
