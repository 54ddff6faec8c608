// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/record/obs_split_files.hpp"

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

std::filesystem::path ownedPath(const ClosedFile &file, const FileNameTemplate &names) {
    const std::filesystem::path from(file.path);
    return from.parent_path() /
           (names.takeStem(file.owner.recipient, file.owner.take) + from.extension().string());
}

} // namespace cuecard
