// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/picture/address_policy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace cuecard {
namespace {

std::string v4Text(std::uint32_t hostOrder) {
    in_addr a{};
    a.s_addr = htonl(hostOrder);
    char buf[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &a, buf, sizeof buf);
    return buf;
}

/// The kind of a non-public IPv4 address (host byte order), or nullptr for a public one.
const char *v4Kind(std::uint32_t a) {
    struct Range {
        std::uint32_t net;
        int bits;
        const char *kind;
    };
    static constexpr std::array<Range, 14> kRanges = {{
        {0x00000000u, 8, "an unspecified (0.0.0.0/8)"},
        {0x0A000000u, 8, "a private"},
        {0x64400000u, 10, "a carrier-grade NAT (100.64.0.0/10)"},
        {0x7F000000u, 8, "a loopback"},
        {0xA9FE0000u, 16, "a link-local (cloud metadata lives at 169.254.169.254)"},
        {0xAC100000u, 12, "a private"},
        {0xC0000000u, 24, "a reserved (192.0.0.0/24)"},
        {0xC0000200u, 24, "a documentation"},
        {0xC0A80000u, 16, "a private"},
        {0xC6120000u, 15, "a benchmarking (198.18.0.0/15)"},
        {0xC6336400u, 24, "a documentation"},
        {0xCB007100u, 24, "a documentation"},
        {0xE0000000u, 4, "a multicast"},
        {0xF0000000u, 4, "a reserved (240.0.0.0/4)"},
    }};
    for (const Range &r : kRanges) {
        const std::uint32_t mask = r.bits == 0 ? 0u : ~0u << (32 - r.bits);
        if ((a & mask) == r.net) {
            return r.kind;
        }
    }
    return nullptr;
}

std::string v4Reason(std::uint32_t hostOrder) {
    if (const char *kind = v4Kind(hostOrder)) {
        return v4Text(hostOrder) + " is " + kind + " address";
    }
    return {};
}

} // namespace

std::string privateAddressReason(const sockaddr *addr, socklen_t length) {
    if (addr == nullptr) {
        return "no address";
    }
    if (addr->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
        sockaddr_in in{};
        std::memcpy(&in, addr, sizeof in);
        return v4Reason(ntohl(in.sin_addr.s_addr));
    }
    if (addr->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, addr, sizeof in6);
        const std::uint8_t *b = in6.sin6_addr.s6_addr;
        char text[INET6_ADDRSTRLEN] = {};
        inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
        const auto embeddedV4 = [&] {
            return (std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) |
                   (std::uint32_t{b[14]} << 8) | std::uint32_t{b[15]};
        };
        static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        static constexpr std::uint8_t kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
        if (std::memcmp(b, kMapped, 12) == 0 || std::memcmp(b, kNat64, 12) == 0) {
            if (std::string why = v4Reason(embeddedV4()); !why.empty()) {
                return std::string(text) + " carries " + why;
            }
            return {};
        }
        static constexpr std::uint8_t kZero[16] = {};
        if (std::memcmp(b, kZero, 16) == 0) {
            return std::string(text) + " is the unspecified address";
        }
        if (std::memcmp(b, kZero, 15) == 0 && b[15] == 1) {
            return std::string(text) + " is a loopback address";
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return std::string(text) + " is a unique-local (private) address";
        }
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) {
            return std::string(text) + " is a link-local address";
        }
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return std::string(text) + " is a site-local (private) address";
        }
        if (b[0] == 0xff) {
            return std::string(text) + " is a multicast address";
        }
        if (std::memcmp(b, kZero, 12) == 0) { // ::a.b.c.d, the old IPv4-compatible form
            return std::string(text) + " is a deprecated IPv4-compatible address";
        }
        return {};
    }
    return "not an internet address";
}

namespace {
std::atomic<bool> gAllowedBySetting{false};
} // namespace

bool privateHostsAllowed() {
    const char *v = std::getenv("CUECARD_ALLOW_PRIVATE_HOSTS");
    return (v != nullptr && std::strcmp(v, "1") == 0) || gAllowedBySetting.load();
}

void setPrivateHostsAllowed(bool allowed) {
    gAllowedBySetting = allowed;
}

std::string privateHostsAdvice() {
    return "; pictures from the rep's network are off (CUECARD_ALLOW_PRIVATE_HOSTS=1 turns them "
           "on)";
}

} // namespace cuecard
