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

#include <cstdint>
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

/// OBS's video counters (video_output_get_total_frames and _get_skipped_frames): frames its
/// video output went through, and those of them it skipped because an encoder lagged (never
/// encoded).
struct ObsVideoCounts {
    std::uint64_t total = 0;
    std::uint64_t skipped = 0;
};

/// Where OBS's recording output stood when Cuecard started listening to it: the video counts,
/// the video packets it had written (obs_output_get_total_frames: 0 when it just started), and
/// how many frames its encoder may have held back then (0 when it just started; a second of
/// frames when it was already recording).
struct ObsOutputStart {
    ObsVideoCounts counts;
    std::uint64_t packets = 0;
    int heldBack = 0;
};

/// When a split may be asked for. OBS splits at the first keyframe packet its recording output
/// receives after the request, and its encoder hands packets over late: x264's lookahead and
/// threads hold 10 to 30 frames back, more when the machine is loaded. So the request waits
/// until the output has written a packet of a frame rendered after the overlay was hidden: from
/// then on every packet, the keyframe that starts the next file first, shows nobody.
///
/// `atHold`: the counts when the switch hid the overlay. Up to `pipeline` frames rendered before
/// it may not have reached the video output yet (OBS's GPU staging and its video frame cache).
/// Returns how many video packets the output must have written (obs_output_get_total_frames)
/// before the request. Frames the video output skipped were never encoded and are not counted.
std::uint64_t splitAfterPackets(const ObsOutputStart &start, ObsVideoCounts atHold,
                                int pipeline = 10);

/// The name a closed file gets: in its folder, after its owner's take (FileNameTemplate::takeStem),
/// with OBS's extension ("001_Acme-Corp_Jane-Doe_take2.mkv").
std::filesystem::path ownedPath(const ClosedFile &file, const FileNameTemplate &names);

} // namespace cuecard
