// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The status line of a Cuecard source, in the rep's words: who is on screen, how far the queue
/// is, what is wrong and what to do. The OBS source gathers the facts (each a copy taken under a
/// lock); the text is made here, where it can be tested.

#include "core/session/session_hub.hpp"
#include "core/theme/theme.hpp"

#include <memory>
#include <string>
#include <vector>

namespace cuecard {

struct SourceStatusFacts {
    bool themeLoaded = false; ///< false: "Loading the theme…"
    std::string themeError;   ///< the theme's or the corners' problem (or the Vulkan device's)
    std::shared_ptr<const Theme> theme;
    std::string frameError;                ///< the last frame that could not be rendered
    std::vector<std::string> pictureNotes; ///< the current recipient's pictures
    HubSnapshot hub;
    std::string noQueue; ///< what to say when no queue is chosen (translated)
    /// Why frames are copied instead of shared with OBS ("" when they are shared).
    std::string compatibilityReason;
};

/// One line per fact, most urgent first.
std::string describeSource(const SourceStatusFacts &facts);

} // namespace cuecard
