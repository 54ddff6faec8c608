// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Text that goes into HTML and URLs: a recipient's values never become markup, an attribute's
/// end or a URL's structure.

#include <string>
#include <string_view>

namespace cuecard {

/// & < > " ' as entities: safe in element text and in a quoted attribute.
std::string htmlEscape(std::string_view text);

/// Every byte but A–Z a–z 0–9 - _ . ~ percent-encoded (RFC 3986 unreserved kept).
std::string urlEncode(std::string_view text);

/// The scheme of an absolute URL ("https"), lower case; "" when `url` has none (relative).
std::string urlScheme(std::string_view url);

/// "host", "host:port", "[::1]:port" → host and port (`port` unchanged when none is given).
/// False when the port is not a number from 1 to 65535 or there is no host.
bool splitHostPort(std::string_view authority, std::string &host, int &port);

} // namespace cuecard
