// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// What a rep puts into the email for one recipient's recording, made from the finished file:
/// a poster (the first frame with the overlay fully shown, 1280 px wide, a round play button
/// over its middle, JPEG), an animated preview (the first seconds from that frame, a GIF with a
/// palette made for the clip, looping, under a size budget) and an HTML snippet (the GIF linking
/// to the video's address). Encoded with FFmpeg's libraries: libavcodec's mjpeg and gif
/// encoders, libavfilter's palettegen and paletteuse.
///
/// Every asset is written to a temporary name and renamed into place without replacing
/// anything: a kill leaves no half file, and an asset already there is kept (buildEmailAssets
/// only makes the missing ones).

#include "core/record/manifest.hpp"
#include "core/util/image.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace cuecard {

struct AssetOptions {
    int posterWidth = 1280;
    int gifWidth = 600;
    int gifFps = 12;         ///< 10 to 15
    double gifSeconds = 3.0; ///< from the poster's frame on
    int gifMaxKb = 1024;     ///< width, colours and frame rate give way to stay under it
    /// Where the video will be: "{file}" (the default: the file's name), or the rep's hosting,
    /// e.g. "https://videos.example.com/{file}". Also {id}, {name}, {email}, {company}; every
    /// value is URL-encoded. Only http(s) addresses or relative ones.
    std::string videoUrl = "{file}";
};

/// The three names for a recording "003_Acme_Jane-Doe.mkv": 003_Acme_Jane-Doe_poster.jpg,
/// …_preview.gif, …_email.html.
struct AssetNames {
    std::string poster;
    std::string gif;
    std::string html;
};
AssetNames assetNames(const std::string &recordingFile);

struct EmailAssets {
    AssetNames names; ///< as written (a taken name gets "-2")
    std::int64_t gifBytes = 0;
    int gifWidth = 0;
    int gifHeight = 0;
    int gifFps = 0;
    int gifColors = 0;
    int gifFrames = 0;
    double posterAt = 0.0; ///< seconds into the recording
    int built = 0;         ///< how many of the three were made now (0: all were there)
    double cpuSeconds = 0.0;
    Image thumbnail; ///< the poster made now, 256 px wide (empty when it was already there)
};

/// Makes the assets of `entry` (a finished file in `folder`) that are missing and records them
/// in `entry` (poster, previewGif, emailHtml, previewBytes). The poster's frame is the first at
/// or after entry.overlayAt (the overlay's in-animation is over).
Result<EmailAssets> buildEmailAssets(const std::filesystem::path &folder, ManifestEntry &entry,
                                     const AssetOptions &options);

/// The video's address for `entry` from the rep's template; an error names what is wrong.
Result<std::string> videoUrlFor(const std::string &pattern, const ManifestEntry &entry);

/// The snippet: a small HTML document whose body is the GIF linking to `url` and a line of text
/// with the same link (everything escaped).
std::string emailHtml(const ManifestEntry &entry, const std::string &gifFile, int gifWidth,
                      int gifHeight, const std::string &url);

/// Draws the play button (a dark translucent disc, a white ring and triangle) at the centre.
void drawPlayButton(Image &image);

/// Whether the recording's assets are all there (files on disk and in the entry).
bool hasEmailAssets(const std::filesystem::path &folder, const ManifestEntry &entry);

} // namespace cuecard
