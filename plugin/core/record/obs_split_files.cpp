// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/record/obs_split_files.hpp"

#include <algorithm>

namespace cuecard {

void ObsSplitFiles::reset(std::optional<FileOwner> owner) {
    current_.clear();
    owner_ = std::move(owner);
}

void ObsSplitFiles::opened(std::string path, std::optional<FileOwner> owner) {
    current_ = std::move(path);
    owner_ = std::move(owner);
}

std::optional<ClosedFile> ObsSplitFiles::close() {
    if (current_.empty() || !owner_) {
        return std::nullopt;
    }
    return ClosedFile{current_, *owner_};
}

std::optional<ClosedFile> ObsSplitFiles::split(std::string next, std::optional<FileOwner> owner) {
    std::optional<ClosedFile> closed = close();
    current_ = std::move(next);
    owner_ = std::move(owner);
    return closed;
}

std::optional<ClosedFile> ObsSplitFiles::stopped() {
    std::optional<ClosedFile> closed = close();
    current_.clear();
    return closed;
}

std::uint64_t splitAfterPackets(const ObsOutputStart &start, ObsVideoCounts atHold, int pipeline) {
    const std::uint64_t total =
        atHold.total > start.counts.total ? atHold.total - start.counts.total : 0;
    const std::uint64_t skipped =
        atHold.skipped > start.counts.skipped ? atHold.skipped - start.counts.skipped : 0;
    const std::uint64_t encodedBefore = total > skipped ? total - skipped : 0;
    // The first hidden frame is at most encodedBefore + pipeline (+ what the encoder held back
    // at the start) frames into the output's packets; one packet past it is safe.
    return start.packets + static_cast<std::uint64_t>(std::max(0, start.heldBack)) + encodedBefore +
           static_cast<std::uint64_t>(std::max(0, pipeline)) + 1;
}

std::filesystem::path ownedPath(const ClosedFile &file, const FileNameTemplate &names) {
    const std::filesystem::path from(file.path);
    return from.parent_path() /
           (names.takeStem(file.owner.recipient, file.owner.take) + from.extension().string());
}

} // namespace cuecard
