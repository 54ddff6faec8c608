// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/picture/http_fetch.hpp"

#include "core/picture/address_policy.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <sys/socket.h>

namespace cuecard {
namespace {

struct Sink {
    std::string body;
    std::size_t maxBytes = 0;
    bool tooLarge = false;
};

std::size_t onData(char *data, std::size_t size, std::size_t count, void *user) {
    auto *sink = static_cast<Sink *>(user);
    const std::size_t n = size * count;
    if (sink->body.size() + n > sink->maxBytes) {
        sink->tooLarge = true;
        return 0; // curl stops with CURLE_WRITE_ERROR
    }
    sink->body.append(data, n);
    return n;
}

/// Every connection curl opens (the first, each redirect's, each address DNS gave) goes through
/// here with the address it is about to connect to: one on the rep's own network is refused
/// before a byte is sent (the policy is on the address, so a name that resolves to 127.0.0.1, a
/// decimal 2130706433 or a rebinding DNS answer are caught alike).
struct Guard {
    bool allowPrivate = false;
    std::string refused; ///< the first reason, for the message
};

curl_socket_t openChecked(void *user, curlsocktype purpose, curl_sockaddr *address) {
    auto *guard = static_cast<Guard *>(user);
    if (purpose != CURLSOCKTYPE_IPCXN || address == nullptr) {
        return CURL_SOCKET_BAD;
    }
    if (!guard->allowPrivate) {
        std::string why = privateAddressReason(&address->addr, address->addrlen);
        if (!why.empty()) {
            if (guard->refused.empty()) {
                guard->refused = std::move(why);
            }
            return CURL_SOCKET_BAD;
        }
    }
    return socket(address->family, address->socktype, address->protocol);
}

std::string megabytes(std::size_t bytes) {
    return std::to_string(bytes / (1024 * 1024)) + " MB";
}

} // namespace

Result<Fetched> fetchUrl(const std::string &url, const FetchLimits &limits) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) {
        return makeError(url + ": the network library could not start");
    }
    Sink sink;
    sink.maxBytes = limits.maxBytes;
    Guard guard;
    guard.allowPrivate = privateHostsAllowed();
    char errorText[CURL_ERROR_SIZE] = {};
    CURL *c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, limits.maxRedirects);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, limits.connectTimeoutMs);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, limits.totalTimeoutMs);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.maxBytes));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "Cuecard (OBS plugin; pictures for a recipient)");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &onData);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorText);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, &openChecked);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &guard);
    if (!guard.allowPrivate) {
        // A proxy from the environment would be the only address checked: go direct.
        curl_easy_setopt(c, CURLOPT_PROXY, "");
    }
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK && !guard.refused.empty()) {
        return makeError(url + ": " + guard.refused + privateHostsAdvice());
    }
    if (rc != CURLE_OK) {
        switch (rc) {
        case CURLE_OPERATION_TIMEDOUT:
            return makeError(url + ": no answer within " +
                             std::to_string(limits.totalTimeoutMs / 1000) + " s");
        case CURLE_TOO_MANY_REDIRECTS:
            return makeError(url + ": more than " + std::to_string(limits.maxRedirects) +
                             " redirects (a redirect loop?)");
        case CURLE_FILESIZE_EXCEEDED:
            return makeError(url + ": larger than " + megabytes(limits.maxBytes));
        case CURLE_WRITE_ERROR:
            if (sink.tooLarge) {
                return makeError(url + ": larger than " + megabytes(limits.maxBytes));
            }
            break;
        case CURLE_UNSUPPORTED_PROTOCOL:
            return makeError(url + ": only http and https addresses are fetched (a redirect "
                                   "to another scheme is refused)");
        case CURLE_PEER_FAILED_VERIFICATION:
            return makeError(url + ": the site's certificate could not be verified");
        case CURLE_COULDNT_RESOLVE_HOST:
            return makeError(url + ": unknown host (offline?)");
        case CURLE_COULDNT_CONNECT:
            return makeError(url + ": cannot connect");
        default:
            break;
        }
        return makeError(url + ": " + (errorText[0] != '\0' ? errorText : curl_easy_strerror(rc)));
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
        return makeError(url + ": HTTP " + std::to_string(status));
    }
    Fetched f;
    f.body = std::move(sink.body);
    const char *type = nullptr;
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr) {
        f.contentType = type;
    }
    const char *final = nullptr;
    if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &final) == CURLE_OK && final != nullptr) {
        f.finalUrl = final;
    }
    return f;
}

} // namespace cuecard
