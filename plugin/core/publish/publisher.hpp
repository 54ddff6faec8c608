// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// `cuecard publish`: a landing page per recipient of a session folder, put where the team's web
/// server serves it, and outreach.csv for the CRM. For each recipient the newest complete take
/// is published: its video as a web MP4, its poster and preview GIF, index.html (made last, so a
/// page is never visible before its files). A page keeps its address (token) across runs and
/// takes: a retake replaces the video behind a link already sent. What was put where is kept in
/// the session folder (publish.json, per destination), so a rerun uploads only what changed or is
/// missing, and an interrupted run goes on where it stopped. Blocking: a CLI or a thread of its
/// own.

#include "core/publish/landing_page.hpp"
#include "core/queue/queue.hpp"
#include "core/record/manifest.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cuecard {

/// Where pages go. Every put goes under a temporary name first and is renamed into place.
class PublishTarget {
  public:
    virtual ~PublishTarget() = default;
    /// "/var/www/videos" or "sftp://rep@host/path", for messages.
    virtual std::string describe() const = 0;
    /// Whether `path` (relative, "TOKEN/video.mp4") is there with exactly `bytes` bytes.
    virtual Result<bool> has(const std::string &path, std::uint64_t bytes) = 0;
    /// Puts the local file at `path`, making its folder; never leaves a half file at `path`.
    virtual Status put(const std::filesystem::path &local, const std::string &path) = 0;
    /// Whether the destination can be reached and written to at all (a server's key, the
    /// login), checked once before any page.
    virtual Status reach() { return Status::success(); }
};

/// A folder on this machine (a mounted web root or share).
std::unique_ptr<PublishTarget> folderTarget(std::filesystem::path root);

struct PublishOptions {
    std::filesystem::path session; ///< the recording folder (manifest.json)
    PageOptions page;
    /// The queue the session was recorded from, for every field a template names (matched by
    /// id); without it, the manifest's name, email and company.
    std::filesystem::path queue;
};

struct PublishProgress {
    int done = 0;        ///< pages finished
    int total = 0;       ///< pages to publish
    std::string current; ///< "#3 Cara Diaz: uploading video.mp4"
};

struct PublishReport {
    int pages = 0;                   ///< published (new, changed or already there)
    int uploaded = 0;                ///< files put this run
    int unchanged = 0;               ///< files already there with the same content
    std::vector<std::string> errors; ///< one per recipient that failed, "#3 Cara Diaz: why"
    std::filesystem::path outreachCsv;
};

/// Each recipient's newest complete take in `manifest`, in the order they were first recorded.
std::vector<ManifestEntry> newestTakes(const Manifest &manifest);
/// The queue's recipients by id ("" : none).
Result<std::map<std::string, Recipient>> recipientsById(const std::filesystem::path &queue);
/// The recipient a take is for: the queue's row when there is one (every field), else what the
/// manifest knows (name, email, company).
Recipient recipientOf(const ManifestEntry &take, const std::map<std::string, Recipient> &rows);
/// The session folder's record of what `cuecard publish` did ("publish.json").
inline constexpr const char *kPublishState = "publish.json";

/// Publishes every recipient's newest complete take. Fails as a whole only when nothing can be
/// done (no manifest, a bad option); a recipient that fails is in the report's errors and the
/// others go on.
Result<PublishReport> publishSession(const PublishOptions &options, PublishTarget &target,
                                     const std::function<void(const PublishProgress &)> &progress);

} // namespace cuecard
