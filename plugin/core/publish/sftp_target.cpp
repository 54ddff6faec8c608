// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/publish/sftp_target.hpp"

#include "core/util/web_text.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <mutex>

namespace cuecard {
namespace fs = std::filesystem;

namespace {

struct Address {
    std::string user;
    std::string host; ///< as in the URL ("[::1]" for IPv6)
    int port = 22;
    std::string path; ///< on the server, "/srv/www" or "~/www"; no trailing slash
};

Result<Address> parseAddress(const std::string &url) {
    const std::string scheme = "sftp://";
    if (url.rfind(scheme, 0) != 0) {
        return makeError("\"" + url + "\" is not an sftp:// address");
    }
    std::string rest = url.substr(scheme.size());
    const std::size_t slash = rest.find('/');
    if (slash == std::string::npos || slash + 1 >= rest.size()) {
        return makeError("\"" + url +
                         "\": give the folder on the server, like "
                         "sftp://rep@videos.example.com/srv/www/v");
    }
    std::string authority = rest.substr(0, slash);
    Address a;
    a.path = rest.substr(slash);
    if (a.path.rfind("/~/", 0) == 0) {
        a.path = "~/" + a.path.substr(3);
    }
    while (a.path.size() > 1 && a.path.back() == '/') {
        a.path.pop_back();
    }
    if (const std::size_t at = authority.rfind('@'); at != std::string::npos) {
        a.user = authority.substr(0, at);
        authority = authority.substr(at + 1);
    }
    if (!splitHostPort(authority, a.host, a.port)) {
        return makeError("\"" + url + "\": no host, or a port that is not a number");
    }
    if (a.user.empty()) {
        const char *user = std::getenv("USER");
        a.user = user != nullptr ? user : "";
    }
    for (char c : a.path + a.user) {
        if (static_cast<unsigned char>(c) < 0x20 || c == '"') {
            return makeError("\"" + url + "\": a control character or quote in the path");
        }
    }
    return a;
}

struct FileCloser {
    void operator()(std::FILE *f) const { std::fclose(f); }
};

struct Known {
    std::string problem; ///< set by the host-key callback when it refused the key
};

int hostKeyCheck(CURL *, const curl_khkey *, const curl_khkey *, enum curl_khmatch match,
                 void *data) {
    auto *known = static_cast<Known *>(data);
    if (match == CURLKHMATCH_OK) {
        return CURLKHSTAT_FINE;
    }
    known->problem = match == CURLKHMATCH_MISMATCH
                         ? "the server's key is not the one in known_hosts (the server was "
                           "reinstalled, or someone is in between): nothing was sent"
                         : "the server is not in known_hosts: connect once with ssh to check its "
                           "key and accept it, then publish again";
    return CURLKHSTAT_REJECT;
}

class SftpTarget final : public PublishTarget {
  public:
    SftpTarget(Address a, fs::path key, fs::path knownHosts, std::string describe,
               long long maxBytesPerSecond)
        : a_(std::move(a)), key_(std::move(key)), knownHosts_(std::move(knownHosts)),
          describe_(std::move(describe)), maxRate_(maxBytesPerSecond) {}

    std::string describe() const override { return describe_; }

    Status reach() override {
        auto size = remoteSize(a_.path); // the folder (or none yet: made by the first put)
        return size ? Status::success() : Status(size.error());
    }

    Result<bool> has(const std::string &path, std::uint64_t bytes) override {
        auto size = remoteSize(filePath(path));
        if (!size) {
            return size.error();
        }
        return *size >= 0 && static_cast<std::uint64_t>(*size) == bytes;
    }

    Status put(const fs::path &local, const std::string &path) override {
        const std::string to = filePath(path);
        const std::size_t cut = to.rfind('/');
        const std::string part = to.substr(0, cut + 1) + "." + to.substr(cut + 1) + ".part";
        std::error_code ec;
        const auto total = static_cast<long long>(fs::file_size(local, ec));
        if (ec) {
            return makeError("cannot read " + local.string());
        }
        // What an interrupted upload left: go on from there (a part that is not a beginning of
        // this file is replaced: a rename below only ever moves a whole file into place).
        auto already = remoteSize(part);
        if (!already) {
            return already.error();
        }
        long long from = *already > 0 && *already < total ? *already : 0;
        std::unique_ptr<std::FILE, FileCloser> in(std::fopen(local.c_str(), "rb"));
        if (!in) {
            return makeError("cannot read " + local.string());
        }
        auto curl = session(urlFor(part));
        if (!curl) {
            return curl.error();
        }
        CURL *c = *curl;
        // Going on: the rest of the file, appended to the part (read from `from` here, so no
        // libcurl version's idea of resuming an upload is involved).
        if (from > 0 && std::fseek(in.get(), static_cast<long>(from), SEEK_SET) != 0) {
            from = 0;
        }
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_READDATA, in.get());
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(total - from));
        curl_easy_setopt(c, CURLOPT_FTP_CREATE_MISSING_DIRS, static_cast<long>(CURLFTP_CREATE_DIR));
        curl_easy_setopt(c, CURLOPT_APPEND, from > 0 ? 1L : 0L);
        if (maxRate_ > 0) {
            curl_easy_setopt(c, CURLOPT_MAX_SEND_SPEED_LARGE, static_cast<curl_off_t>(maxRate_));
        }
        // Whole: then into place (SFTP's rename does not replace: the old file goes first; a
        // reader meanwhile finds no file for a moment, never half of one).
        curl_slist *after = nullptr;
        after = curl_slist_append(after, ("*rm \"" + to + "\"").c_str());
        after = curl_slist_append(after, ("rename \"" + part + "\" \"" + to + "\"").c_str());
        curl_easy_setopt(c, CURLOPT_POSTQUOTE, after);
        const Status s = perform(c, "uploading " + path);
        curl_slist_free_all(after);
        return s;
    }

  private:
    using Curl = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

    std::string filePath(const std::string &relative) const { return a_.path + "/" + relative; }

    std::string urlFor(const std::string &serverPath) const {
        std::string path = serverPath.rfind("~/", 0) == 0 ? "/" + serverPath : serverPath;
        std::string escaped;
        for (char c : path) {
            const auto u = static_cast<unsigned char>(c);
            if (std::isalnum(u) != 0 || std::string_view("/-_.~").find(c) != std::string::npos) {
                escaped += c;
            } else {
                char hex[4];
                std::snprintf(hex, sizeof hex, "%%%02X", u);
                escaped += hex;
            }
        }
        return "sftp://" + a_.host + ":" + std::to_string(a_.port) + escaped;
    }

    /// The one handle, reset for `url`: libcurl keeps its SSH connection open between
    /// requests, so a page's files go over one login (a new connection per request is slow, and
    /// OpenSSH 9.8+ penalises a source that opens many).
    Result<CURL *> session(const std::string &url) {
        static std::once_flag once;
        std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
        if (!curl_) {
            curl_.reset(curl_easy_init());
        }
        if (!curl_) {
            return makeError("cannot start libcurl");
        }
        curl_easy_reset(curl_.get());
        CURL *c = curl_.get();
        known_ = Known{};
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "sftp");
        curl_easy_setopt(c, CURLOPT_USERNAME, a_.user.c_str());
        curl_easy_setopt(c, CURLOPT_SSH_AUTH_TYPES, static_cast<long>(CURLSSH_AUTH_PUBLICKEY));
        curl_easy_setopt(c, CURLOPT_SSH_PRIVATE_KEYFILE, key_.c_str());
        if (const fs::path pub = key_.string() + ".pub"; fs::exists(pub)) {
            curl_easy_setopt(c, CURLOPT_SSH_PUBLIC_KEYFILE, pub.c_str());
        }
        curl_easy_setopt(c, CURLOPT_SSH_KNOWNHOSTS, knownHosts_.c_str());
        curl_easy_setopt(c, CURLOPT_SSH_KEYFUNCTION, hostKeyCheck);
        curl_easy_setopt(c, CURLOPT_SSH_KEYDATA, &known_);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L); // a stalled link: give up after 60 s
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_);
        error_[0] = '\0';
        return c;
    }

    Status perform(CURL *c, const std::string &what) {
        const CURLcode r = curl_easy_perform(c);
        if (r == CURLE_OK) {
            return Status::success();
        }
        std::string why = !known_.problem.empty() ? known_.problem
                          : error_[0] != '\0'     ? std::string(error_)
                                                  : curl_easy_strerror(r);
        if (r == CURLE_LOGIN_DENIED) {
            why += " (the server did not accept the key " + key_.string() +
                   ": add its .pub to ~/.ssh/authorized_keys on the server)";
        }
        return makeError(describe_ + ": " + what + ": " + why);
    }

    /// The size of a file on the server; -1 when there is none.
    Result<long long> remoteSize(const std::string &serverPath) {
        auto curl = session(urlFor(serverPath));
        if (!curl) {
            return curl.error();
        }
        CURL *c = *curl;
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
        const CURLcode r = curl_easy_perform(c);
        if (r == CURLE_REMOTE_FILE_NOT_FOUND) {
            return -1LL;
        }
        if (r != CURLE_OK) {
            if (Status s = perform(c, "reading " + serverPath); !s) {
                return s.error();
            }
        }
        curl_off_t size = -1;
        curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &size);
        return static_cast<long long>(size);
    }

    Address a_;
    fs::path key_;
    fs::path knownHosts_;
    std::string describe_;
    long long maxRate_ = 0;
    Known known_;
    char error_[CURL_ERROR_SIZE] = {};
    Curl curl_{nullptr, &curl_easy_cleanup};
};

} // namespace

bool isSftpAddress(const std::string &dest) {
    return dest.rfind("sftp://", 0) == 0;
}

Result<std::unique_ptr<PublishTarget>> sftpTarget(const std::string &address,
                                                  const SftpSettings &settings) {
    auto a = parseAddress(address);
    if (!a) {
        return a.error();
    }
    // Ed25519 first. Debian 12's libssh2 signs with an RSA key only the old way (ssh-rsa, SHA-1),
    // which OpenSSH 8.8 and later refuse: an RSA key alone is not offered.
    fs::path key;
    for (const char *name : {"id_ed25519", "id_ecdsa"}) {
        if (fs::exists(settings.sshDir / name)) {
            key = settings.sshDir / name;
            break;
        }
    }
    if (key.empty()) {
        if (fs::exists(settings.sshDir / "id_rsa")) {
            return makeError(
                "only an RSA key (" + (settings.sshDir / "id_rsa").string() +
                ") was found: the SSH library Cuecard uses on Debian 12 signs with RSA in a way "
                "OpenSSH 8.8 and later refuse. Make an Ed25519 key (ssh-keygen -t ed25519) and "
                "add its .pub to the server's ~/.ssh/authorized_keys");
        }
        return makeError("no SSH key in " + settings.sshDir.string() +
                         ": make one with ssh-keygen -t ed25519 and add its .pub to the server's "
                         "~/.ssh/authorized_keys");
    }
    const fs::path knownHosts = settings.sshDir / "known_hosts";
    if (!fs::exists(knownHosts)) {
        return makeError("no " + knownHosts.string() +
                         ": connect to the server once with ssh to check its key and accept "
                         "it; Cuecard never sends to a server it cannot check");
    }
    const std::string describe = "sftp://" + a->user + "@" + a->host +
                                 (a->port != 22 ? ":" + std::to_string(a->port) : "") +
                                 (a->path.rfind("~/", 0) == 0 ? "/" : "") + a->path;
    return std::unique_ptr<PublishTarget>(
        std::make_unique<SftpTarget>(*a, key, knownHosts, describe, settings.maxBytesPerSecond));
}

} // namespace cuecard
