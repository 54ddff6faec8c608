// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Whether a recording is losing frames, in words a rep can act on. OBS counts frames its
/// graphics thread could not render in time ("rendering lag": the previous frame is repeated)
/// and frames its video output skipped because the encoders fell behind ("encoding lag": the
/// frame is missing from the file). Both make a video stutter; the rep should know while the
/// person is still on screen, so they can retake them.

#include <cstdint>
#include <string>

namespace cuecard {

/// OBS's cumulative counters, read at one moment.
struct FrameCounters {
    std::uint64_t rendered = 0; ///< frames the graphics thread was due to render
    std::uint64_t lagged = 0;   ///< of those, missed (rendering lag)
    std::uint64_t output = 0;   ///< frames the video output was due to deliver
    std::uint64_t skipped = 0;  ///< of those, skipped (encoding lag)
};

class FrameHealth {
  public:
    /// Frames lost below this share of the frames due (and under kMinLost) are not news: a
    /// frame or two lags when a scene loads.
    static constexpr double kWarnShare = 0.005;
    static constexpr std::uint64_t kMinLost = 5;

    /// A recording starts: counts from here.
    void startSession(const FrameCounters &now);
    /// A take (one recipient's file) starts: its own counts from here.
    void startTake(const FrameCounters &now);
    /// "" while the take and the session are fine; else what is lost and what to do. `take`
    /// names the take ("#3 Cara Diaz") in the message.
    std::string warning(const FrameCounters &now, const std::string &take = {}) const;

  private:
    FrameCounters session_;
    FrameCounters take_;
};

} // namespace cuecard
