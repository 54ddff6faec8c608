// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The HTTP proxy a page capture's Chromium is started with while the rep's own network is off.
/// Cuecard checks each request's host before Chromium may send it (DevTools Fetch), but Chromium
/// then looks the name up again itself: a DNS server that answers a public address to Cuecard
/// and a private one to Chromium a moment later (DNS rebinding) would reach the rep's network.
/// Through this proxy Chromium makes no connection of its own: the proxy looks the name up,
/// checks the address it is about to connect to (the same rule as libcurl's pictures) and only
/// then connects. https goes through CONNECT (the TLS stays Chromium's); plain http requests come
/// in absolute form and go out with "Connection: close", so no connection is reused for another
/// host. Listens on 127.0.0.1 (a port the kernel picks); every connection is closed when it goes.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cuecard {

class CaptureProxy {
  public:
    /// Starts listening. `allowPrivate`: let the rep's network through too (the tests' way to
    /// send a capture of a 127.0.0.1 page through the proxy).
    explicit CaptureProxy(bool allowPrivate = false);
    /// Closes every connection and joins its threads.
    ~CaptureProxy();
    CaptureProxy(const CaptureProxy &) = delete;
    CaptureProxy &operator=(const CaptureProxy &) = delete;

    /// "" when listening, else why not.
    const std::string &error() const { return error_; }
    int port() const { return port_; }
    /// "127.0.0.1:8080: 127.0.0.1 is a loopback address" for the first connection refused.
    std::string firstRefusal() const;
    int refused() const { return refused_.load(); }
    int connected() const { return connected_.load(); }

  private:
    void acceptLoop();
    void serve(int client);
    /// A connected socket to host:port at an address the policy allows, or -1 (why in `why`).
    int connectChecked(const std::string &host, const std::string &port, std::string &why);
    void splice(int a, int b);

    bool allowPrivate_;
    int listen_ = -1;
    int wake_ = -1; ///< an eventfd: written once to stop everything
    int port_ = 0;
    std::string error_;
    std::atomic<int> refused_{0};
    std::atomic<int> connected_{0};
    mutable std::mutex mutex_;
    std::string firstRefusal_;
    std::vector<std::thread> workers_;
    std::thread acceptor_;
};

} // namespace cuecard
