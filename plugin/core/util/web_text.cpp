// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/util/web_text.hpp"

#include <cctype>

namespace cuecard {

std::string htmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string urlEncode(std::string_view text) {
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string urlScheme(std::string_view url) {
    const std::size_t colon = url.find(':');
    const std::size_t slash = url.find('/');
    if (colon == std::string_view::npos || colon == 0 ||
        (slash != std::string_view::npos && slash < colon)) {
        return {};
    }
    std::string scheme;
    for (char c : url.substr(0, colon)) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) == 0 && c != '+' && c != '-' && c != '.') {
            return {};
        }
        scheme += static_cast<char>(std::tolower(u));
    }
    return scheme;
}

bool splitHostPort(std::string_view authority, std::string &host, int &port) {
    const std::size_t close = authority.rfind(']');
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && (close == std::string_view::npos || colon > close)) {
        const std::string_view digits = authority.substr(colon + 1);
        int value = 0;
        for (char c : digits) {
            if (c < '0' || c > '9' || value > 65535) {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        if (digits.empty() || value < 1 || value > 65535) {
            return false;
        }
        port = value;
        authority = authority.substr(0, colon);
    }
    host = std::string(authority);
    return !host.empty();
}

} // namespace cuecard
