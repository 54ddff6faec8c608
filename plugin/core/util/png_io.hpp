// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// PNG files through libpng. PNG stores straight alpha, so writing un-premultiplies and
/// reading premultiplies: an Image is always premultiplied in memory.

#include "core/util/image.hpp"
#include "core/util/result.hpp"

#include <filesystem>

namespace cuecard {

/// Writes `image` to `path`. Fails (never overwrites) when the file exists and `overwrite` is
/// false.
Status writePng(const Image &image, const std::filesystem::path &path, bool overwrite = false);

Result<Image> readPng(const std::filesystem::path &path);

} // namespace cuecard
