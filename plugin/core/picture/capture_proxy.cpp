// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/picture/capture_proxy.hpp"

#include "core/picture/address_policy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

namespace cuecard {
namespace {

constexpr int kIoTimeoutMs = 30000;     ///< a connection quiet this long is closed
constexpr std::size_t kMaxHead = 32768; ///< a request head longer than this is refused

bool sendAll(int fd, const char *data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool sendAll(int fd, const std::string &s) {
    return sendAll(fd, s.data(), s.size());
}

void answer(int fd, const char *status) {
    sendAll(fd, std::string("HTTP/1.1 ") + status +
                    "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// "host:port" or "[v6]:port" → host and port (`defaultPort` when none).
void splitAuthority(const std::string &authority, const std::string &defaultPort, std::string &host,
                    std::string &port) {
    port = defaultPort;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        host = authority.substr(1, close == std::string::npos ? std::string::npos : close - 1);
        if (close != std::string::npos && close + 1 < authority.size() &&
            authority[close + 1] == ':') {
            port = authority.substr(close + 2);
        }
        return;
    }
    const auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string::npos) {
        port = authority.substr(colon + 1);
    }
}

/// Waits until `fd` is ready for `events` or `wake` fires; false on time-out or wake.
bool waitFor(int fd, short events, int wake, int timeoutMs) {
    pollfd p[2] = {{fd, events, 0}, {wake, POLLIN, 0}};
    const int n = ::poll(p, 2, timeoutMs);
    return n > 0 && p[1].revents == 0 && p[0].revents != 0;
}

} // namespace

CaptureProxy::CaptureProxy(bool allowPrivate) : allowPrivate_(allowPrivate) {
    wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    listen_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (wake_ < 0 || listen_ < 0 ||
        ::bind(listen_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
        ::listen(listen_, 64) != 0 ||
        ::getsockname(listen_, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
        error_ =
            std::string("the capture's proxy cannot listen on 127.0.0.1: ") + std::strerror(errno);
        return;
    }
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { acceptLoop(); });
}

CaptureProxy::~CaptureProxy() {
    if (wake_ >= 0) {
        const std::uint64_t one = 1;
        (void)!::write(wake_, &one, sizeof one);
    }
    if (acceptor_.joinable()) {
        acceptor_.join();
    }
    std::vector<std::thread> workers;
    {
        std::lock_guard lock(mutex_);
        workers.swap(workers_);
    }
    for (auto &w : workers) {
        w.join();
    }
    if (listen_ >= 0) {
        ::close(listen_);
    }
    if (wake_ >= 0) {
        ::close(wake_);
    }
}

std::string CaptureProxy::firstRefusal() const {
    std::lock_guard lock(mutex_);
    return firstRefusal_;
}

void CaptureProxy::acceptLoop() {
    for (;;) {
        if (!waitFor(listen_, POLLIN, wake_, -1)) {
            return;
        }
        const int client = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) {
            continue;
        }
        std::lock_guard lock(mutex_);
        workers_.emplace_back([this, client] {
            serve(client);
            ::close(client);
        });
    }
}

void CaptureProxy::serve(int client) {
    // The request head: "CONNECT host:443 HTTP/1.1" or "GET http://host/path HTTP/1.1".
    std::string head;
    char buf[16384];
    std::size_t end = std::string::npos;
    while ((end = head.find("\r\n\r\n")) == std::string::npos) {
        if (head.size() > kMaxHead || !waitFor(client, POLLIN, wake_, kIoTimeoutMs)) {
            return;
        }
        const ssize_t n = ::recv(client, buf, sizeof buf, 0);
        if (n <= 0) {
            return;
        }
        head.append(buf, static_cast<std::size_t>(n));
    }
    std::string rest = head.substr(end + 4); // a request body's first bytes, if any
    head.resize(end + 2);
    const auto lineEnd = head.find("\r\n");
    const std::string line = head.substr(0, lineEnd);
    const auto sp1 = line.find(' ');
    const auto sp2 = line.rfind(' ');
    if (sp1 == std::string::npos || sp2 <= sp1) {
        answer(client, "400 Bad Request");
        return;
    }
    const std::string method = line.substr(0, sp1);
    const std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string version = line.substr(sp2 + 1);
    std::string host;
    std::string port;
    std::string outHead;
    if (method == "CONNECT") {
        splitAuthority(target, "443", host, port);
    } else {
        const std::string scheme = lower(target.substr(0, 7));
        if (scheme != "http://") {
            answer(client, "400 Bad Request"); // https comes as CONNECT; nothing else is served
            return;
        }
        const auto pathAt = target.find('/', 7);
        std::string authority =
            target.substr(7, pathAt == std::string::npos ? std::string::npos : pathAt - 7);
        if (const auto at = authority.rfind('@'); at != std::string::npos) {
            authority.erase(0, at + 1);
        }
        splitAuthority(authority, "80", host, port);
        // Origin form, and one request per connection: the next may be for another host.
        outHead = method + " " + (pathAt == std::string::npos ? "/" : target.substr(pathAt)) + " " +
                  version + "\r\n";
        std::size_t at = lineEnd + 2;
        while (at < head.size()) {
            const auto next = head.find("\r\n", at);
            const std::string header = head.substr(at, next - at);
            at = next + 2;
            const std::string name = lower(header.substr(0, header.find(':')));
            if (name != "connection" && name != "proxy-connection" && name != "keep-alive" &&
                name != "proxy-authorization") {
                outHead += header + "\r\n";
            }
        }
        outHead += "Connection: close\r\n\r\n";
    }
    std::string why;
    const int server = connectChecked(host, port, why);
    if (server < 0) {
        if (!why.empty()) {
            ++refused_;
            std::lock_guard lock(mutex_);
            if (firstRefusal_.empty()) {
                firstRefusal_ = host + ":" + port + ": " + why;
            }
            answer(client, "403 Forbidden");
        } else {
            answer(client, "502 Bad Gateway");
        }
        return;
    }
    ++connected_;
    const bool ok =
        method == "CONNECT"
            ? sendAll(client, std::string("HTTP/1.1 200 Connection established\r\n\r\n"))
            : sendAll(server, outHead);
    if (ok && sendAll(server, rest)) {
        splice(client, server);
    }
    ::close(server);
}

int CaptureProxy::connectChecked(const std::string &host, const std::string &port,
                                 std::string &why) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    if (host.empty() || ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 ||
        found == nullptr) {
        return -1;
    }
    int fd = -1;
    for (addrinfo *a = found; a != nullptr && fd < 0; a = a->ai_next) {
        // The address this connection goes to, whatever the name said a moment ago.
        if (!allowPrivate_) {
            if (std::string reason = privateAddressReason(a->ai_addr, a->ai_addrlen);
                !reason.empty()) {
                if (why.empty()) {
                    why = reason;
                }
                continue;
            }
        }
        fd = ::socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) {
            continue;
        }
        if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
            ::close(fd);
            fd = -1;
            continue;
        }
        int err = 0;
        socklen_t len = sizeof err;
        if (!waitFor(fd, POLLOUT, wake_, kIoTimeoutMs) ||
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
            ::close(fd);
            fd = -1;
            continue;
        }
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        why.clear(); // another address of the name was fine
    }
    ::freeaddrinfo(found);
    return fd;
}

void CaptureProxy::splice(int a, int b) {
    char buf[65536];
    bool aOpen = true;
    bool bOpen = true;
    while (aOpen || bOpen) {
        // A side that has ended is left out (a negative fd): poll would report its hang-up again.
        pollfd p[3] = {
            {aOpen ? a : -1, POLLIN, 0}, {bOpen ? b : -1, POLLIN, 0}, {wake_, POLLIN, 0}};
        if (::poll(p, 3, kIoTimeoutMs) <= 0 || p[2].revents != 0) {
            return;
        }
        for (int side = 0; side < 2; ++side) {
            if (p[side].revents == 0) {
                continue;
            }
            const int from = side == 0 ? a : b;
            const int to = side == 0 ? b : a;
            const ssize_t n = ::recv(from, buf, sizeof buf, 0);
            if (n <= 0) {
                ::shutdown(to, SHUT_WR);
                (side == 0 ? aOpen : bOpen) = false;
            } else if (!sendAll(to, buf, static_cast<std::size_t>(n))) {
                return;
            }
        }
    }
}

} // namespace cuecard
