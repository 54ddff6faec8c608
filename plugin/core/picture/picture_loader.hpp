// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// One picture for one recipient, from its candidates in order (the recipient's value, then the
/// theme's fallback): each is read (a sandboxed local file, or http(s) through the on-disk
/// cache), decoded, and the first that works is the picture. What failed on the way becomes a
/// note a rep can act on ("logo https://x.example/logo.png: HTTP 404; fallback used").
/// Blocking (disk, network): call it from a thread of its own or a CLI, never from OBS's
/// graphics, audio or UI thread.

#include "core/picture/http_fetch.hpp"
#include "core/picture/page_capture.hpp"
#include "core/picture/picture_cache.hpp"
#include "core/picture/picture_decode.hpp"
#include "core/picture/picture_source.hpp"
#include "core/util/image.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cuecard {

struct PictureLoaderOptions {
    std::filesystem::path cacheFolder = PictureCache::defaultFolder();
    std::uint64_t cacheBytes = 512ull * 1024 * 1024;
    FetchLimits fetch;
    DecodeLimits decode;
    std::size_t maxFileBytes = 20u * 1024 * 1024; ///< local files
    CaptureLimits capture;                        ///< `capture:` pages (headless Chromium)
    /// Off: only the cache answers for http(s) and captures (a session run offline once
    /// prepared).
    bool network = true;
};

struct LoadedPicture {
    std::optional<Image> image; ///< nullopt: no candidate worked (the element is left out)
    std::string source;         ///< the candidate that worked
    bool fallbackUsed = false;  ///< a later candidate than the first non-empty one
    bool fromCache = false;
    std::vector<std::string> notes; ///< one line per candidate that did not work
};

class PictureLoader {
  public:
    explicit PictureLoader(PictureLoaderOptions options = {});

    /// `what` names the picture in notes ("logo"); `folder` is where local paths live (the
    /// queue's folder for recipient values, the theme's for its own assets). Empty candidates
    /// are skipped without a note. `view`: the browser window of a `capture:` candidate.
    LoadedPicture load(const std::string &what, const std::vector<std::string> &candidates,
                       const std::filesystem::path &folder, const CaptureView &view = {});

  private:
    Result<Image> loadOne(const std::string &what, const std::string &src,
                          const std::filesystem::path &folder, const CaptureView &view,
                          bool &fromCache);
    Result<Image> loadCapture(const std::string &what, const std::string &url,
                              const CaptureView &view, bool &fromCache);

    PictureLoaderOptions options_;
    PictureCache cache_;
};

} // namespace cuecard
