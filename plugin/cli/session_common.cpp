// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/session_common.hpp"

#include "core/record/test_pattern.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace cuecard::cli {

int sessionFail(const std::string &message) {
    std::fprintf(stderr, "cuecard session: %s\n", message.c_str());
    return 1;
}

void parseSize(const std::string &value, int &width, int &height) {
    const auto x = value.find('x');
    if (x == std::string::npos) {
        throw std::invalid_argument(value);
    }
    width = std::stoi(value.substr(0, x));
    height = std::stoi(value.substr(x + 1));
}

RecorderOptions sessionRecorderOptions(const std::string &folder, int width, int height,
                                       std::pair<int, int> rate, const std::string &container) {
    RecorderOptions options;
    options.folder = folder;
    options.encoder.width = width;
    options.encoder.height = height;
    options.encoder.fpsNum = rate.first;
    options.encoder.fpsDen = rate.second;
    options.encoder.container = container;
    if (const char *minFree = std::getenv("CUECARD_MIN_FREE_BYTES")) {
        options.minFreeBytes = std::stoull(minFree);
    }
    return options;
}

bool nextInputFrame(MediaReader *reader, std::int64_t index, Image &frame) {
    if (reader == nullptr) {
        drawTestFrame(frame, index);
        return true;
    }
    auto next = reader->nextVideo();
    if (!next) {
        return false;
    }
    frame = std::move(*next);
    return true;
}

VideoInput rgbaInput(const Image &frame, std::uint64_t timestampNs) {
    VideoInput in;
    in.timestampNs = timestampNs;
    in.layout = PixelLayout::RGBA;
    in.data[0] = frame.pixels.data();
    in.linesize[0] = frame.width * 4;
    return in;
}

SessionEnd driveSession(RecordingSession &session, SessionHub &hub, SessionHub::SourceId source,
                        const SessionInput &input, const SessionCue &cue) {
    SessionEnd end;
    const auto [fpsNum, fpsDen] = input.rate;
    const auto frameTime = [&](std::int64_t i) {
        return static_cast<std::uint64_t>(i) * 1'000'000'000ull *
               static_cast<std::uint64_t>(fpsDen) / static_cast<std::uint64_t>(fpsNum);
    };
    const auto wallStart = std::chrono::steady_clock::now();
    Image frame(input.width, input.height);
    std::vector<std::vector<float>> tone(2);
    std::vector<std::vector<float>> pendingAudio(2);
    for (std::int64_t i = 0;; ++i) {
        const std::uint64_t ts = frameTime(i);
        if (input.realtime) {
            std::this_thread::sleep_until(wallStart + std::chrono::nanoseconds(ts));
        }
        if (input.reader == nullptr && input.duration > 0.0 &&
            static_cast<double>(ts) / 1e9 >= input.duration - 1e-9) {
            break;
        }
        if (!nextInputFrame(input.reader, i, frame)) {
            break;
        }
        const Image *overlay = cue(ts, end.why);
        if (overlay == nullptr) {
            return end;
        }
        // The CLI's overlay is rendered by the time cue returns: the one source is ready, and
        // the tick makes the switch visible on this very frame.
        hub.sourceReady(source, hub.frameState().generation);
        hub.tick(ts);
        compositeOver(frame, *overlay, 0, 0);
        if (input.audio) {
            // Audio for this frame's span, in whole samples: [i, i+1) frames of time.
            const std::int64_t sampleEnd =
                static_cast<std::int64_t>(frameTime(i + 1) * 48000ull / 1'000'000'000ull);
            const int count = static_cast<int>(sampleEnd - end.audioSamples);
            std::vector<const float *> planes;
            if (input.reader == nullptr) {
                fillTestTone(tone, end.audioSamples, count, 48000);
                planes = {tone[0].data(), tone[1].data()};
            } else {
                auto got = input.reader->takeAudio();
                for (std::size_t c = 0; c < 2; ++c) {
                    pendingAudio[c].insert(pendingAudio[c].end(), got[c].begin(), got[c].end());
                }
                for (auto &p : pendingAudio) {
                    p.resize(std::max<std::size_t>(p.size(), static_cast<std::size_t>(count)),
                             0.0f);
                }
                planes = {pendingAudio[0].data(), pendingAudio[1].data()};
            }
            const std::uint64_t audioTs =
                static_cast<std::uint64_t>(end.audioSamples) * 1'000'000'000ull / 48000ull;
            if (Status s = session.pushAudio(audioTs, planes.data(), count); !s) {
                end.why = s.message();
                end.failed = true;
                return end;
            }
            if (input.reader != nullptr) {
                for (auto &p : pendingAudio) {
                    p.erase(p.begin(), p.begin() + count);
                }
            }
            end.audioSamples += count;
        }
        if (Status s = session.pushVideo(rgbaInput(frame, ts)); !s) {
            end.why = s.message();
            end.failed = true;
            return end;
        }
    }
    return end;
}

} // namespace cuecard::cli
