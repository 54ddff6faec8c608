// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/asset_args.hpp"

namespace cuecard::cli {

const char *const kAssetUsage =
    "[--gif-max-kb 1024] [--gif-width 600] [--gif-fps 12] [--gif-seconds 3]\n"
    "                       [--poster-width 1280] [--video-url 'https://…/{file}']";

bool parseAssetOption(const std::string &option, const std::string &value, AssetOptions &out,
                      std::string &error) {
    const auto number = [&](int low, int high, int &target) {
        try {
            std::size_t used = 0;
            const int v = std::stoi(value, &used);
            if (used != value.size() || v < low || v > high) {
                throw std::out_of_range(value);
            }
            target = v;
        } catch (...) {
            error = option + " takes a whole number from " + std::to_string(low) + " to " +
                    std::to_string(high) + " (got \"" + value + "\")";
        }
    };
    if (option == "--gif-max-kb") {
        number(50, 100000, out.gifMaxKb);
    } else if (option == "--gif-width") {
        number(160, 1920, out.gifWidth);
    } else if (option == "--gif-fps") {
        number(10, 15, out.gifFps);
    } else if (option == "--poster-width") {
        number(320, 3840, out.posterWidth);
    } else if (option == "--gif-seconds") {
        int s = 0;
        number(1, 10, s);
        out.gifSeconds = s;
    } else if (option == "--video-url") {
        out.videoUrl = value;
    } else {
        return false;
    }
    return true;
}

} // namespace cuecard::cli
