// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1 (a port the kernel picks), for tests that fetch: each
// route answers with a canned response, or misbehaves on purpose (never answers, streams
// forever). Started by the test, stopped (and every connection closed) when it goes out of
// scope. Counts the requests each path received.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace cuecard::test {

class HttpServer {
  public:
    /// What to do with a request: write to the socket (whole response), or misbehave.
    using Handler = std::function<void(int fd, const std::string &path)>;

    HttpServer() {
        listen_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        if (listen_ < 0 || ::bind(listen_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
            ::listen(listen_, 16) != 0) {
            throw std::runtime_error("the test HTTP server cannot listen on 127.0.0.1");
        }
        socklen_t len = sizeof addr;
        ::getsockname(listen_, reinterpret_cast<sockaddr *>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { run(); });
    }
    ~HttpServer() { stop(); }
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    /// Stops listening and closes every connection (a hanging one too).
    void stop() {
        if (stopped_.exchange(true)) {
            return;
        }
        ::shutdown(listen_, SHUT_RDWR);
        ::close(listen_);
        thread_.join();
        std::vector<std::thread> workers;
        {
            std::lock_guard lock(mutex_);
            for (int fd : open_) {
                ::shutdown(fd, SHUT_RDWR);
            }
            workers.swap(workers_);
        }
        for (auto &w : workers) {
            w.join();
        }
    }

    std::string url(const std::string &path) const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    void route(const std::string &path, Handler handler) {
        std::lock_guard lock(mutex_);
        routes_[path] = std::move(handler);
    }
    int requests(const std::string &path) {
        std::lock_guard lock(mutex_);
        return hits_[path];
    }

    static bool sendAll(int fd, const std::string &data) {
        std::size_t sent = 0;
        while (sent < data.size()) {
            const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) {
                return false;
            }
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }
    /// A complete response with a body.
    static Handler respond(int status, const std::string &type, std::string body,
                           const std::string &extraHeaders = "") {
        return [=](int fd, const std::string &) {
            sendAll(fd, "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + type +
                            "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
                            extraHeaders + "Connection: close\r\n\r\n" + body);
        };
    }
    static Handler redirect(const std::string &location) {
        return respond(302, "text/plain", "", "Location: " + location + "\r\n");
    }

  private:
    void run() {
        for (;;) {
            const int fd = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) {
                return; // closed by stop()
            }
            std::lock_guard lock(mutex_);
            open_.push_back(fd);
            workers_.emplace_back([this, fd] { serve(fd); });
        }
    }
    void serve(int fd) {
        std::string request;
        char buf[4096];
        while (request.find("\r\n\r\n") == std::string::npos) {
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) {
                break;
            }
            request.append(buf, static_cast<std::size_t>(n));
        }
        const std::size_t sp1 = request.find(' ');
        const std::size_t sp2 = request.find(' ', sp1 + 1);
        const std::string path = sp1 == std::string::npos || sp2 == std::string::npos
                                     ? std::string("/")
                                     : request.substr(sp1 + 1, sp2 - sp1 - 1);
        Handler handler;
        {
            std::lock_guard lock(mutex_);
            ++hits_[path];
            auto it = routes_.find(path);
            if (it != routes_.end()) {
                handler = it->second;
            }
        }
        if (handler) {
            handler(fd, path);
        } else {
            sendAll(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
        {
            std::lock_guard lock(mutex_); // stop() never shuts down a number reused since
            std::erase(open_, fd);
        }
        ::shutdown(fd, SHUT_WR);
        ::close(fd);
    }

    int listen_ = -1;
    int port_ = 0;
    std::atomic<bool> stopped_{false};
    std::thread thread_;
    std::mutex mutex_;
    std::map<std::string, Handler> routes_;
    std::map<std::string, int> hits_;
    std::vector<int> open_;
    std::vector<std::thread> workers_;
};

} // namespace cuecard::test
