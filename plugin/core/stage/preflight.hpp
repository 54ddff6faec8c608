// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// What a rep should look at before recording one recipient ("cuecard check" per row, and the
/// dock's queue list): text cut to fit or shrunk, a column this row leaves empty, a character
/// no font has, a picture that cannot be used or is not fetched yet. Lines read like
/// "warning: cut to fit: "Maximilian Alexander…"". Blocking (fonts, disk): a CLI or a thread of
/// its own, never OBS's threads.

#include "core/picture/picture_loader.hpp"
#include "core/queue/queue.hpp"
#include "core/render/overlay_composer.hpp"
#include "core/theme/theme.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cuecard {

struct PreflightLine {
    enum class Level { Note, Warning, Error };
    Level level = Level::Note;
    std::string text; ///< with its "note: " / "warning: " / "error: " prefix
};

/// `pictures` (offline: the cache only) may be null to skip pictures.
std::vector<PreflightLine> preflightRecipient(const Theme &theme, const Recipient &recipient,
                                              const Queue &queue, OverlayComposer &composer,
                                              PictureLoader *pictures,
                                              const std::filesystem::path &queueFolder);

} // namespace cuecard
