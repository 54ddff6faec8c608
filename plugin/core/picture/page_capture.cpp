// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/picture/page_capture.hpp"
// Over 400 lines: one headless Chromium run end to end (finding it, a throwaway profile, the
// address policy's proxy, DevTools over a pipe, time and size limits, cleanup).

#include "core/picture/address_policy.hpp"
#include "core/picture/capture_proxy.hpp"

#include "core/util/read_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <vector>

#include <fcntl.h>
#include <functional>
#include <map>
#include <netdb.h>
#include <optional>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace cuecard {
namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

bool isExecutableFile(const fs::path &p) {
    std::error_code ec;
    return !p.empty() && fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::optional<fs::path> onPath(const std::string &name) {
    const char *path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const std::size_t end = std::min(dirs.find(':', start), dirs.size());
        const fs::path candidate = fs::path(dirs.substr(start, end - start)) / name;
        if (end > start && isExecutableFile(candidate)) {
            return candidate;
        }
        start = end + 1;
    }
    return std::nullopt;
}

/// Standard base64 (what DevTools returns screenshots in); nullopt on a character outside it.
std::optional<std::string> decodeBase64(std::string_view in) {
    std::string out;
    out.reserve(in.size() / 4 * 3);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        int v = -1;
        if (c >= 'A' && c <= 'Z') {
            v = c - 'A';
        } else if (c >= 'a' && c <= 'z') {
            v = c - 'a' + 26;
        } else if (c >= '0' && c <= '9') {
            v = c - '0' + 52;
        } else if (c == '+') {
            v = 62;
        } else if (c == '/') {
            v = 63;
        } else if (c == '=') {
            break;
        } else {
            return std::nullopt;
        }
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

/// A temporary profile folder, deleted with everything in it.
class TempProfile {
  public:
    TempProfile() {
        std::error_code ec;
        std::string tmpl = (fs::temp_directory_path(ec) / "cuecard-chromium-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) != nullptr) {
            path_ = tmpl;
        }
    }
    ~TempProfile() {
        std::error_code ec;
        if (!path_.empty()) {
            fs::remove_all(path_, ec);
        }
    }
    TempProfile(const TempProfile &) = delete;
    TempProfile &operator=(const TempProfile &) = delete;
    const fs::path &path() const { return path_; }

  private:
    fs::path path_;
};

/// The browser process (leader of a process group of its own): killed with its whole group and
/// reaped when this goes out of scope.
class BrowserProcess {
  public:
    ~BrowserProcess() { stop(); }
    BrowserProcess() = default;
    BrowserProcess(const BrowserProcess &) = delete;
    BrowserProcess &operator=(const BrowserProcess &) = delete;

    Status start(const fs::path &browser, const std::vector<std::string> &args, int childFd,
                 const fs::path &errorLog) {
        posix_spawn_file_actions_t actions;
        posix_spawnattr_t attr;
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attr);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 2, errorLog.c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC, 0600);
        // DevTools over a pipe: the browser reads commands on fd 3 and writes on fd 4; one
        // socket serves both (and lets this side write without SIGPIPE).
        posix_spawn_file_actions_adddup2(&actions, childFd, 3);
        posix_spawn_file_actions_adddup2(&actions, childFd, 4);
        sigset_t none;
        sigemptyset(&none);
        sigset_t defaults;
        sigemptyset(&defaults);
        sigaddset(&defaults, SIGPIPE);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &defaults);
        posix_spawnattr_setpgroup(&attr, 0);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                            POSIX_SPAWN_SETSIGDEF);
        std::vector<char *> argv;
        std::string program = browser.string();
        argv.push_back(program.data());
        std::vector<std::string> copies = args;
        for (auto &a : copies) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        const int rc = posix_spawn(&pid_, program.c_str(), &actions, &attr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
        if (rc != 0) {
            pid_ = -1;
            return makeError("could not start " + program + ": " + std::strerror(rc));
        }
        return Status::success();
    }

    void stop() {
        if (pid_ <= 0) {
            return;
        }
        ::kill(-pid_, SIGKILL); // the browser and its renderers, which share its group
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
    }

  private:
    pid_t pid_ = -1;
};

/// DevTools messages over the socket: JSON, each ended by a NUL byte.
class DevTools {
  public:
    DevTools(int fd, Clock::time_point deadline, std::size_t maxBytes)
        : fd_(fd), deadline_(deadline), maxBytes_(maxBytes) {}

    /// Called for every Fetch.requestPaused event as it arrives (also while call() waits: a
    /// navigation's answer comes only once its paused request is let go or failed).
    using PausedHandler =
        std::function<void(DevTools &, const json &params, const std::string &session)>;
    void onPaused(PausedHandler handler) { paused_ = std::move(handler); }

    /// Sends a command and waits for its answer (events that arrive meanwhile are kept).
    Result<json> call(const std::string &method, json params = json::object(),
                      const std::string &session = {}) {
        const int id = ++lastId_;
        if (Status s = send(id, method, std::move(params), session); !s) {
            return s.error();
        }
        for (;;) {
            auto m = receiveOne();
            if (!m) {
                return m.error();
            }
            if (m->is_null()) {
                continue; // handled here (a paused request) or an answer nobody waits for
            }
            if (m->contains("id") && (*m)["id"] == id) {
                if (auto e = m->find("error"); e != m->end()) {
                    return makeError(method + ": " + e->value("message", std::string("failed")));
                }
                return m->value("result", json::object());
            }
            events_.push_back(std::move(*m));
        }
    }

    /// Sends a command without waiting for its answer (the answer is dropped when it comes).
    Status post(const std::string &method, json params, const std::string &session) {
        const int id = ++lastId_;
        posted_.push_back(id);
        return send(id, method, std::move(params), session);
    }

    /// The next event (kept or new).
    Result<json> nextEvent() {
        if (!events_.empty()) {
            json e = std::move(events_.front());
            events_.pop_front();
            return e;
        }
        for (;;) {
            auto m = receiveOne();
            if (!m || !m->is_null()) {
                return m;
            }
        }
    }

    bool timedOut() const { return timedOut_; }

  private:
    Status send(int id, const std::string &method, json params, const std::string &session) {
        json msg = {{"id", id}, {"method", method}, {"params", std::move(params)}};
        if (!session.empty()) {
            msg["sessionId"] = session;
        }
        std::string out = msg.dump();
        out.push_back('\0');
        std::size_t sent = 0;
        while (sent < out.size()) {
            const ssize_t n = ::send(fd_, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return makeError("Chromium closed the connection");
            }
            sent += static_cast<std::size_t>(n);
        }
        return Status::success();
    }

    /// The next message, or null when it was handled here (a paused request, the answer to a
    /// post()).
    Result<json> receiveOne() {
        auto m = receive();
        if (!m) {
            return m;
        }
        if (paused_ && m->value("method", std::string()) == "Fetch.requestPaused") {
            paused_(*this, (*m)["params"], m->value("sessionId", std::string()));
            return json();
        }
        if (auto id = m->find("id"); id != m->end() && id->is_number_integer()) {
            if (auto it = std::find(posted_.begin(), posted_.end(), id->get<int>());
                it != posted_.end()) {
                posted_.erase(it);
                return json();
            }
        }
        return m;
    }

    Result<json> receive() {
        for (;;) {
            if (auto end = buffer_.find('\0'); end != std::string::npos) {
                json m =
                    json::parse(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(end),
                                nullptr, false);
                buffer_.erase(0, end + 1);
                if (m.is_discarded() || !m.is_object()) {
                    return makeError("Chromium sent something that is not DevTools JSON");
                }
                return m;
            }
            if (buffer_.size() > maxBytes_) {
                return makeError("Chromium's answer is over " +
                                 std::to_string(maxBytes_ / (1024 * 1024)) + " MB");
            }
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now())
                    .count();
            if (left <= 0) {
                timedOut_ = true;
                return makeError("timed out");
            }
            pollfd p{fd_, POLLIN, 0};
            const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
            if (ready < 0 && errno != EINTR) {
                return makeError(std::string("poll: ") + std::strerror(errno));
            }
            if (ready <= 0) {
                continue;
            }
            char chunk[65536];
            const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return makeError("Chromium exited");
            }
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }

    int fd_;
    Clock::time_point deadline_;
    std::size_t maxBytes_;
    int lastId_ = 0;
    std::string buffer_;
    std::deque<json> events_;
    std::vector<int> posted_;
    PausedHandler paused_;
    bool timedOut_ = false;
};

/// Why the page may not load `url` ("" when it may): only http(s) to public addresses (every
/// address the name resolves to), unless the rep's network is allowed; data: and blob: stay
/// inside the page. `byHost` keeps each host's answer for the capture (a page asks one host for
/// dozens of things: one DNS look-up each is enough).
std::string pageRequestRefusal(const std::string &url, bool allowPrivate,
                               std::map<std::string, std::string> &byHost) {
    const auto colon = url.find(':');
    std::string scheme = colon == std::string::npos ? std::string() : url.substr(0, colon);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (scheme == "data" || scheme == "blob") {
        return {};
    }
    if (scheme != "http" && scheme != "https") {
        return "only http(s) is loaded, not " + (scheme.empty() ? url : scheme + ":");
    }
    if (allowPrivate) {
        return {};
    }
    // scheme://[user@]host[:port]/…
    std::string authority = url.substr(colon + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    if (const auto at = authority.rfind('@'); at != std::string::npos) {
        authority.erase(0, at + 1);
    }
    std::string host;
    if (!authority.empty() && authority.front() == '[') {
        host = authority.substr(1, authority.find(']') - 1);
    } else {
        host = authority.substr(0, authority.find(':'));
    }
    if (auto known = byHost.find(host); known != byHost.end()) {
        return known->second;
    }
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
        return {}; // Chromium reports the unknown host itself (not kept: it may come back)
    }
    std::string why;
    for (addrinfo *a = found; a != nullptr && why.empty(); a = a->ai_next) {
        why = privateAddressReason(a->ai_addr, a->ai_addrlen);
    }
    ::freeaddrinfo(found);
    byHost.emplace(host, why);
    return why;
}

class Socket {
  public:
    explicit Socket(int fd = -1) : fd_(fd) {}
    ~Socket() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    Socket(const Socket &) = delete;
    Socket &operator=(const Socket &) = delete;
    int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = -1;
    }

  private:
    int fd_;
};

bool isHttpUrl(const std::string &url) {
    std::string lower = url.substr(0, 8);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0;
}

/// What Chromium said on stderr before it gave up, as advice a rep can act on ("" if nothing).
std::string chromiumComplaint(const fs::path &errorLog) {
    auto text = readFile(errorLog);
    if (!text || text->empty()) {
        return "";
    }
    if (text->find("No usable sandbox") != std::string::npos) {
        return " (its sandbox cannot start on this machine: run 'sudo apt-get install "
               "chromium-sandbox')";
    }
    std::string last;
    std::size_t start = 0;
    while (start < text->size()) {
        const std::size_t end = std::min(text->find('\n', start), text->size());
        const std::string line = text->substr(start, end - start);
        if (line.find("ERROR") != std::string::npos && line.find("dbus") == std::string::npos) {
            last = line;
        }
        start = end + 1;
    }
    if (last.size() > 240) {
        last = last.substr(0, 240) + "…";
    }
    return last.empty() ? "" : " (Chromium: " + last + ")";
}

} // namespace

std::optional<fs::path> findChromium(const fs::path &preferred) {
    if (!preferred.empty()) {
        return isExecutableFile(preferred) ? std::optional<fs::path>(preferred) : std::nullopt;
    }
    if (const char *env = std::getenv("CUECARD_CHROMIUM"); env != nullptr && *env != '\0') {
        return isExecutableFile(env) ? std::optional<fs::path>(env) : std::nullopt;
    }
    for (const char *name : {"chromium", "chromium-browser", "google-chrome"}) {
        if (auto p = onPath(name)) {
            return p;
        }
    }
    return std::nullopt;
}

std::string chromiumMissingMessage() {
    return "headless Chromium is not installed, so web pages cannot be captured: run "
           "'sudo apt-get install chromium' (or scripts/install-deps.sh)";
}

std::string captureCacheKey(const std::string &url, const CaptureView &view) {
    return "capture:" + std::to_string(view.width) + "x" + std::to_string(view.height) +
           (view.fullPage ? ":full:" : ":") + url;
}

Result<std::string> capturePage(const std::string &url, const CaptureView &view,
                                const CaptureLimits &limits) {
    if (!isHttpUrl(url)) {
        return makeError("only http(s) pages are captured, not \"" + url + "\"");
    }
    const auto browser = findChromium(limits.browser);
    if (!browser) {
        return makeError(chromiumMissingMessage());
    }
    const auto deadline = Clock::now() + limits.timeout;
    const std::string seconds = std::to_string(limits.timeout.count() / 1000) + " s";
    TempProfile profile;
    if (profile.path().empty()) {
        return makeError("could not make a temporary Chromium profile folder");
    }
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        return makeError(std::string("socketpair: ") + std::strerror(errno));
    }
    Socket ours(fds[0]);
    // Out of the way of 3 and 4, which the child end is duplicated onto.
    Socket theirs(::fcntl(fds[1], F_DUPFD_CLOEXEC, 10));
    ::close(fds[1]);
    if (theirs.get() < 0) {
        return makeError(std::string("fcntl: ") + std::strerror(errno));
    }
    std::vector<std::string> args = {"--headless",
                                     "--disable-gpu",
                                     "--hide-scrollbars",
                                     "--mute-audio",
                                     "--no-first-run",
                                     "--no-default-browser-check",
                                     "--disable-extensions",
                                     "--disable-sync",
                                     "--disable-background-networking",
                                     "--disable-dev-shm-usage",
                                     "--disable-crash-reporter",
                                     "--disable-breakpad",
                                     "--remote-debugging-pipe",
                                     "--user-data-dir=" + profile.path().string(),
                                     "--window-size=" + std::to_string(view.width) + "," +
                                         std::to_string(view.height)};
    if (::geteuid() == 0) {
        args.emplace_back("--no-sandbox"); // Chromium refuses to start as root with it
    }
    // While the rep's network is off, every connection goes through Cuecard's proxy, which
    // checks the address it connects to (names included: <-loopback> stops Chromium's own
    // loopback bypass); no QUIC or WebRTC UDP around it.
    const bool allowPrivate = privateHostsAllowed();
    std::optional<CaptureProxy> proxy;
    if (!allowPrivate || limits.proxyAlways) {
        proxy.emplace(allowPrivate);
        if (!proxy->error().empty()) {
            return makeError("capture of " + url + ": " + proxy->error());
        }
        args.push_back("--proxy-server=http://127.0.0.1:" + std::to_string(proxy->port()));
        args.emplace_back("--proxy-bypass-list=<-loopback>");
        args.emplace_back("--disable-quic");
        args.emplace_back("--force-webrtc-ip-handling-policy=disable_non_proxied_udp");
    }
    args.emplace_back("about:blank");
    BrowserProcess process;
    const fs::path errorLog = profile.path() / "chromium-stderr.log";
    if (Status s = process.start(*browser, args, theirs.get(), errorLog); !s) {
        return s.error();
    }
    theirs.reset();

    DevTools dt(ours.get(), deadline, limits.maxBytes);
    const auto fail = [&](const std::string &step, const std::string &why) -> Status {
        if (dt.timedOut()) {
            return makeError("capture of " + url + " took over " + seconds + " (" + step + ")");
        }
        return makeError("capture of " + url + ": " + step + ": " + why +
                         chromiumComplaint(errorLog));
    };
    auto target = dt.call("Target.createTarget", {{"url", "about:blank"}});
    if (!target) {
        return fail("starting Chromium", target.message()).error();
    }
    const std::string targetId = target->value("targetId", std::string());
    auto attached = dt.call("Target.attachToTarget", {{"targetId", targetId}, {"flatten", true}});
    if (!attached) {
        return fail("starting Chromium", attached.message()).error();
    }
    const std::string session = attached->value("sessionId", std::string());
    // Every request the page makes (the page itself, its redirects, scripts, pictures, frames,
    // fetches) is paused here first and let go only to a public http(s) address.
    std::string refused;
    std::map<std::string, std::string> byHost;
    dt.onPaused([&](DevTools &d, const json &params, const std::string &from) {
        const std::string requested = params["request"].value("url", std::string());
        const std::string requestId = params.value("requestId", std::string());
        std::string why =
            pageRequestRefusal(requested, allowPrivate || !limits.checkHostNames, byHost);
        if (why.empty()) {
            (void)d.post("Fetch.continueRequest", {{"requestId", requestId}}, from);
            return;
        }
        if (refused.empty()) {
            refused = requested + ": " + why;
        }
        (void)d.post("Fetch.failRequest",
                     {{"requestId", requestId}, {"errorReason", "BlockedByClient"}}, from);
    });
    for (const char *domain : {"Page.enable", "Network.enable"}) {
        if (auto r = dt.call(domain, json::object(), session); !r) {
            return fail("starting Chromium", r.message()).error();
        }
    }
    if (auto r = dt.call("Fetch.enable", {{"patterns", {{{"urlPattern", "*"}}}}}, session); !r) {
        return fail("starting Chromium", r.message()).error();
    }
    if (auto r = dt.call("Emulation.setDeviceMetricsOverride",
                         {{"width", view.width},
                          {"height", view.height},
                          {"deviceScaleFactor", 1},
                          {"mobile", false}},
                         session);
        !r) {
        return fail("setting the window size", r.message()).error();
    }
    auto navigated = dt.call("Page.navigate", {{"url", url}}, session);
    if (!navigated) {
        return fail("loading", navigated.message()).error();
    }
    // Why nothing may be captured: the first request Cuecard refused, else the first connection
    // the proxy refused (a name that answered Chromium differently); "" when none was.
    const auto refusal = [&]() -> std::string {
        return !refused.empty() ? refused : proxy ? proxy->firstRefusal() : std::string();
    };
    const auto refusedError = [&](const std::string &why) {
        return makeError("capture of " + url + ": " + why + privateHostsAdvice() +
                         "; nothing was captured");
    };
    if (auto err = navigated->value("errorText", std::string()); !err.empty()) {
        if (const std::string why = refusal(); !why.empty()) {
            return refusedError(why);
        }
        return makeError("capture of " + url + ": could not load the page (" + err + ")");
    }
    // Until the page has loaded; the main document's HTTP status decides whether it is the
    // recipient's page at all (a 404 page is not their website).
    int status = 0;
    for (;;) {
        auto event = dt.nextEvent();
        if (!event) {
            return fail("loading", event.message()).error();
        }
        const std::string method = event->value("method", std::string());
        const json &params = (*event)["params"];
        if (method == "Network.responseReceived" && params.value("type", "") == "Document" &&
            params.value("frameId", "") == targetId) {
            status = params["response"].value("status", 0);
        } else if (method == "Page.loadEventFired") {
            break;
        }
    }
    if (status >= 400) {
        if (const std::string why = refusal(); !why.empty()) {
            return refusedError(why);
        }
        return makeError("capture of " + url + ": HTTP " + std::to_string(status));
    }
    int height = view.height;
    if (view.fullPage) {
        auto metrics = dt.call("Page.getLayoutMetrics", json::object(), session);
        if (!metrics) {
            return fail("measuring the page", metrics.message()).error();
        }
        const json size = metrics->contains("cssContentSize") ? (*metrics)["cssContentSize"]
                                                              : (*metrics)["contentSize"];
        const double h = size.value("height", static_cast<double>(view.height));
        height = std::clamp(static_cast<int>(h), view.height, limits.maxPageHeight);
    }
    auto shot = dt.call(
        "Page.captureScreenshot",
        {{"format", "png"},
         {"captureBeyondViewport", view.fullPage},
         {"clip", {{"x", 0}, {"y", 0}, {"width", view.width}, {"height", height}, {"scale", 1}}}},
        session);
    if (!shot) {
        return fail("taking the screenshot", shot.message()).error();
    }
    auto png = decodeBase64(shot->value("data", std::string()));
    if (!png || png->empty()) {
        return makeError("capture of " + url + ": Chromium sent no picture");
    }
    (void)dt.call("Browser.close"); // the process group is killed next in any case
    return std::move(*png);
}

} // namespace cuecard
