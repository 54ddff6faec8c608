// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Where a picture comes from, decided from a `src` value (a theme's template, expanded with a
/// recipient's data, which is hostile until proven otherwise):
///   - `http://…` / `https://…`: fetched (picture/http_fetch), cached (picture/picture_cache);
///   - `capture:URL`: a screenshot of a web page (prepared ahead, never live);
///   - anything else: a file relative to an allowed folder (the queue's or the theme's), never
///     an absolute path, never `..`, never a symlink out of the folder, never a device or FIFO;
///   - any other scheme (`file:`, `ftp:`, `gopher:`, `data:`…) is refused.

#include "core/util/result.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace cuecard {

struct PictureSource {
    enum class Kind { None, Local, Http, Capture, Refused };
    Kind kind = Kind::None;
    std::string location; ///< the path, URL, or the captured page's URL
    std::string why;      ///< for Refused: what is wrong, for the rep
};

/// Classifies a `src` value (surrounding spaces ignored; empty is None).
PictureSource classifyPictureSource(std::string_view src);

/// Reads a local picture at `relative` inside `folder`, at most `maxBytes`. Refuses, with a
/// message a rep can act on: an absolute path, a `..` component, a path (or symlink) that
/// resolves outside `folder`, anything but a regular file (a FIFO is never opened for
/// reading, so it cannot hang), a file over `maxBytes`.
Result<std::string> readLocalPicture(const std::filesystem::path &folder, std::string_view relative,
                                     std::size_t maxBytes);

} // namespace cuecard
