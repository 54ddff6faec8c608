// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/stage/source_status.hpp"

namespace cuecard {

std::string describeSource(const SourceStatusFacts &f) {
    std::string out = f.themeLoaded ? f.themeError : "Loading the theme…";
    const auto line = [&out](const std::string &text) { out += (out.empty() ? "" : "\n") + text; };
    if (!f.frameError.empty()) {
        line(f.frameError);
    }
    for (const auto &note : f.pictureNotes) {
        line(note);
    }
    const HubSnapshot &s = f.hub;
    if (s.loading) {
        line("Loading the queue…");
    }
    if (!s.loaded) {
        if (!s.loading) {
            line(s.error.empty() ? f.noQueue : s.error);
        }
    } else {
        line(s.current ? "On screen now: #" + std::to_string(s.index) + " " +
                             s.current->displayName() + (s.visible ? "" : " (hidden)")
                       : std::string("No one on screen: the queue is done"));
        std::string progress = "Queue: " + std::to_string(s.counts.total) + " people, " +
                               std::to_string(s.counts.recorded) + " recorded";
        if (s.counts.skipped > 0) {
            progress += ", " + std::to_string(s.counts.skipped) + " skipped";
        }
        line(progress);
        if (!s.error.empty()) {
            line(s.error);
        }
        // Fields the theme needs and the queue lacks: say so, fallbacks are rendered.
        if (f.theme) {
            if (Status c = f.theme->check(s.columns); !c) {
                line(c.message());
            }
        }
    }
    if (!f.compatibilityReason.empty()) {
        line("Drawing in compatibility mode (each frame is copied, a little slower): " +
             f.compatibilityReason);
    }
    return out;
}

} // namespace cuecard
