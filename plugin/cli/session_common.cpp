// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/session_common.hpp"

#include "core/record/test_pattern.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

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

} // namespace cuecard::cli
