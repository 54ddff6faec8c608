// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Fetches a picture over http(s) with libcurl, with every limit a hostile address needs:
/// only http and https (redirects too), certificates verified, a capped number of redirects,
/// a connect timeout and a total timeout, and a size cap enforced while the bytes arrive (a
/// server that claims or sends 2 GB is cut off at the cap). Blocking: call it from a thread of
/// its own, never from OBS's graphics, audio or UI thread.

#include "core/util/result.hpp"

#include <cstddef>
#include <string>

namespace cuecard {

struct FetchLimits {
    long connectTimeoutMs = 5000;
    long totalTimeoutMs = 15000;
    std::size_t maxBytes = 20u * 1024 * 1024;
    long maxRedirects = 5;
};

struct Fetched {
    std::string body;
    std::string contentType; ///< as the server said ("" when it did not)
    std::string finalUrl;    ///< after redirects
};

/// The body of a 2xx answer; otherwise an error naming the address and what went wrong
/// ("https://x.example/logo.png: HTTP 404", "…: no answer within 15 s").
Result<Fetched> fetchUrl(const std::string &url, const FetchLimits &limits = {});

} // namespace cuecard
