// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Decodes a picture's bytes into premultiplied RGBA, each format by its own well-kept library:
/// PNG (libpng), JPEG (libjpeg-turbo), WebP (libwebp), GIF's first frame (giflib) and SVG
/// (librsvg, which never loads what an SVG references from outside it). The format is sniffed
/// from the bytes, never taken from a name or a server's word. A picture whose header claims
/// more than `maxPixels` is refused before anything is decoded (decompression bombs).

#include "core/util/image.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace cuecard {

enum class PictureFormat { Unknown, Png, Jpeg, WebP, Gif, Svg };

PictureFormat sniffPictureFormat(std::string_view bytes);

struct DecodeLimits {
    std::uint64_t maxPixels = 40'000'000; ///< e.g. 8000 × 5000
    int svgDefaultSize = 512;             ///< an SVG without a size is drawn this wide
};

/// `what` names the picture in messages ("logo https://…"); `contentType` is what a server
/// said, only quoted when the bytes are not a picture at all.
Result<Image> decodePicture(std::string_view bytes, const std::string &what,
                            const std::string &contentType = {}, const DecodeLimits &limits = {});

} // namespace cuecard
