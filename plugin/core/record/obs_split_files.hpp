// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// OBS-recording mode's bookkeeping: OBS writes the files (its own recording, split by Cuecard at
/// each switch), Cuecard says whose each one is. The file OBS is writing belongs to the recipient
/// on screen when OBS opened it; when OBS closes it (a split or the stop) it is handed back with
/// its owner, to be renamed after them and recorded as their take. Pure state: the OBS glue feeds
/// it OBS's signals under its own lock.

#include "core/queue/recipient.hpp"
#include "core/template/file_name.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace cuecard {

struct FileOwner {
    Recipient recipient;
    int take = 1;
    std::string queue;     ///< the queue they come from (the manifest's "queue")
    std::string startedAt; ///< when OBS opened their file (UTC, ISO 8601)
};

struct ClosedFile {
    std::string path; ///< as OBS named it
    FileOwner owner;
};

class ObsSplitFiles {
  public:
    /// A session starts: no file yet; `owner` is who the first file will belong to.
    void reset(std::optional<FileOwner> owner);
    /// OBS opened its first file.
    void opened(std::string path, std::optional<FileOwner> owner);
    /// OBS split: the file it was writing is closed and `next` is open, owned by `owner`.
    /// Returns the closed file with its owner; nullopt when there was no file or no owner.
    std::optional<ClosedFile> split(std::string next, std::optional<FileOwner> owner);
    /// OBS stopped: its last file is closed (returned as split() does); nothing is open after.
    std::optional<ClosedFile> stopped();

    bool writing() const { return !current_.empty(); }
    const std::optional<FileOwner> &owner() const { return owner_; }

  private:
    std::optional<ClosedFile> close();

    std::string current_;
    std::optional<FileOwner> owner_;
};

/// The name a closed file gets: in its folder, after its owner's take (FileNameTemplate::takeStem),
/// with OBS's extension ("001_Acme-Corp_Jane-Doe_take2.mkv").
std::filesystem::path ownedPath(const ClosedFile &file, const FileNameTemplate &names);

} // namespace cuecard
