// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The manifest that maps file ↔ recipient for upload: manifest.json and manifest.csv in the
/// output folder, rewritten atomically after each file closes, so it is always valid.

#include "core/util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cuecard {

struct ManifestEntry {
    std::string recipientId;
    std::string name;
    std::string email;
    std::string company;
    std::string file; ///< file name inside the output folder
    int take = 1;
    std::string startedAt; ///< wall clock, ISO 8601 UTC
    std::string endedAt;
    double mediaStart = 0.0; ///< seconds from the start of the recording session
    double mediaEnd = 0.0;
    double duration = 0.0; ///< seconds of video in the file
    std::int64_t frames = 0;
    std::int64_t audioSamples = 0; ///< per channel
    /// recording (being written now), complete, interrupted (a crash or kill ended it; found
    /// on resume), stopped: …, error: …
    std::string status = "recording";
    /// Seconds into the file from which the overlay is fully shown (after its in-animation):
    /// the poster's frame and the animated preview's first.
    double overlayAt = 0.0;
    struct Chapter {
        double at = 0.0; ///< seconds into the file
        std::string title;
        bool operator==(const Chapter &) const = default;
    };
    std::vector<Chapter> chapters;
    /// The email assets (file names in the folder; "" until made) and the GIF's size.
    std::string poster;
    std::string previewGif;
    std::string emailHtml;
    std::int64_t previewBytes = 0;
    /// The recipient's landing page, once `cuecard publish` put this take there ("" until then).
    std::string pageUrl;
    /// The Message-ID of the draft `cuecard drafts` put in the rep's mailbox ("" until then).
    std::string draftMessageId;
    /// In memory only (not in manifest.json): the queue the recipient came from, as the
    /// boundary gave it, so a take that closes after the rep opened another queue is reported
    /// to its own.
    std::string origin;
};

class Manifest {
  public:
    explicit Manifest(std::filesystem::path folder) : folder_(std::move(folder)) {}

    std::vector<ManifestEntry> &entries() { return entries_; }
    const std::vector<ManifestEntry> &entries() const { return entries_; }

    /// Writes manifest.json and manifest.csv atomically. Email assets another thread recorded
    /// on disk meanwhile (updateManifestAssets) are kept for entries that lack them here.
    Status save() const;

    /// The manifest already in `folder` (earlier sessions' files), or an empty one. A damaged
    /// manifest is moved aside (never overwritten) and `note` says where; the files it listed
    /// stay on disk.
    static Manifest load(const std::filesystem::path &folder, std::string &note);

    /// CSV cell: quoted when needed, and a leading = + - @ neutralized with ' so a spreadsheet
    /// never runs a recipient's name as a formula.
    static std::string csvCell(const std::string &value);

  private:
    friend Status updateManifestAssets(const std::filesystem::path &, const ManifestEntry &);
    Status writeEntries(const std::vector<ManifestEntry> &entries) const;

    std::filesystem::path folder_;
    std::vector<ManifestEntry> entries_;
};

/// Records the email assets of the recording `entry.file` (poster, previewGif, emailHtml,
/// previewBytes) and its page (pageUrl, when set) in the folder's manifest on disk; serialised with
/// Manifest::save in this process, so a recorder still writing the folder keeps them.
Status updateManifestAssets(const std::filesystem::path &folder, const ManifestEntry &entry);

} // namespace cuecard
