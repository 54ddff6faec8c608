// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Which addresses a queue may make Cuecard reach. A recipient's `logo` or `website` comes from
/// a CRM export: a row holding http://192.168.1.1/ or http://169.254.169.254/ must not make the
/// rep's machine fetch or screenshot its own network into a video sent outside the company.
/// Loopback, private (RFC 1918), link-local, CGNAT, unique-local, multicast, reserved and
/// unspecified addresses are refused, IPv4 inside IPv6 (::ffff:a.b.c.d, 64:ff9b::/96) by the
/// address it carries. The check is made on the address a connection is about to go to (after
/// DNS, for every redirect), never on the name. A team whose pictures live on an intranet turns
/// it off on purpose: CUECARD_ALLOW_PRIVATE_HOSTS=1.

#include <string>
#include <sys/socket.h>

namespace cuecard {

/// Why `addr` must not be reached from queue data ("192.168.1.1 is a private address"), or ""
/// when it is a public address.
std::string privateAddressReason(const sockaddr *addr, socklen_t length);

/// Whether the rep's own network is allowed: CUECARD_ALLOW_PRIVATE_HOSTS=1 (read on each call)
/// or the rep's own setting (setPrivateHostsAllowed: the dock's check box).
bool privateHostsAllowed();

/// The rep's own setting, for this process (off until set).
void setPrivateHostsAllowed(bool allowed);

/// What a rep reads after the reason: "; pictures from the rep's network are off
/// (CUECARD_ALLOW_PRIVATE_HOSTS=1 turns them on)".
std::string privateHostsAdvice();

} // namespace cuecard
