// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The pictures one recipient's overlay needs, loaded before it is rendered (never while a
/// switch waits): for each image element of the theme, the decoded picture or what went wrong.

#include "core/picture/picture_loader.hpp"
#include "core/queue/recipient.hpp"
#include "core/theme/theme.hpp"

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cuecard {

struct RecipientPictures {
    /// By index into Theme::elements.
    std::map<std::size_t, std::shared_ptr<const Image>> images;
    /// One line per picture that did not work or used its fallback, for `check` and the log.
    std::vector<std::string> notes;
    /// False when these are stand-ins (the theme's fallbacks) because the recipient's own
    /// pictures were not ready yet: the overlay is rendered again once they are.
    bool complete = true;
};

/// The candidates of an image element for one recipient, in order, each with the folder its
/// local paths are relative to: for each of its `src` templates, the recipient's value (when
/// the template has a field; every field must be non-empty) in `queueFolder`, then the
/// template's fallbacks in the theme's.
std::vector<std::pair<std::string, std::filesystem::path>>
pictureCandidates(const ImageElement &element, const Recipient &recipient,
                  const std::filesystem::path &queueFolder,
                  const std::filesystem::path &themeFolder);

/// Loads every image element's picture for `recipient` (blocking: disk and network).
RecipientPictures loadRecipientPictures(const Theme &theme, const Recipient &recipient,
                                        const std::filesystem::path &queueFolder,
                                        PictureLoader &loader);

} // namespace cuecard
