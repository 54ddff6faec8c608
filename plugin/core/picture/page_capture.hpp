// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A screenshot of a web page (a recipient's website) with Debian's headless Chromium, for
/// `src: "capture:{website}"`. Chromium runs as a child process of its own, spoken to over the
/// DevTools protocol on a pipe (`--remote-debugging-pipe`: no port is opened), in a fresh
/// profile folder that is deleted afterwards. Only http(s) pages; an HTTP error status is a
/// failure, not a screenshot of an error page; a time limit covers start, load and capture, and
/// the whole process group is killed when it runs out. While the rep's network is off, Chromium
/// connects only through a CaptureProxy (capture_proxy.hpp), which checks each connection's
/// address itself.
/// Blocking (seconds): call it from a thread of its own or a CLI, never from OBS's threads.

#include "core/util/result.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace cuecard {

struct CaptureView {
    int width = 1280; ///< the browser window, CSS px
    int height = 800;
    /// The whole page (for a pan), up to CaptureLimits::maxPageHeight; else the first screen.
    bool fullPage = false;
    bool operator==(const CaptureView &) const = default;
};

struct CaptureLimits {
    std::chrono::milliseconds timeout{30000}; ///< start + load + capture
    int maxPageHeight = 8000;                 ///< CSS px of a full-page capture
    std::size_t maxBytes = 64u * 1024 * 1024; ///< DevTools messages (the PNG is base64 in one)
    /// The browser to run; empty: $CUECARD_CHROMIUM, else `chromium` (or `chromium-browser`,
    /// `google-chrome`) on PATH.
    std::filesystem::path browser;
    /// Tests only. Through the capture proxy even where the rep's network is allowed (which it
    /// then lets through): a 127.0.0.1 page captured the way a public one is.
    bool proxyAlways = false;
    /// Tests only. false: no check of a request's host before Chromium sends it, as if a name
    /// had answered Cuecard with a public address (DNS rebinding); the proxy still refuses.
    bool checkHostNames = true;
};

/// The browser that would be used, or nullopt when none is installed.
std::optional<std::filesystem::path> findChromium(const std::filesystem::path &preferred = {});

/// What a rep reads when Chromium is missing.
std::string chromiumMissingMessage();

/// PNG bytes of `url` (http or https only) as seen in `view`.
Result<std::string> capturePage(const std::string &url, const CaptureView &view,
                                const CaptureLimits &limits = {});

/// The picture cache key of a capture: the address and the view it was taken with.
std::string captureCacheKey(const std::string &url, const CaptureView &view);

} // namespace cuecard
