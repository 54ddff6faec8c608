// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Recording file names from a template ("{index:03}_{company}_{full_name}"), safe on Linux,
/// Windows and macOS: no path separators, no "..", no control or invisible characters, no
/// reserved device names (CON, NUL…), no trailing dots or spaces, a length cap in bytes that
/// never cuts a UTF-8 sequence. Files are claimed with O_EXCL inside the output folder, so an
/// existing file is never overwritten and nothing is written anywhere else.

#include "core/queue/recipient.hpp"
#include "core/template/text_template.hpp"
#include "core/util/result.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace cuecard {

inline constexpr const char *kDefaultFileNamePattern = "{index:03}_{company}_{full_name}";
inline constexpr std::size_t kMaxFileStemBytes = 160;

/// One field value as a piece of a file name: "Zoë O'Brien / ACME" → "Zoë-O'Brien-ACME".
std::string sanitizeFileComponent(std::string_view value);

/// A whole stem made safe (separators, dots, reserved names, length). Never empty.
std::string sanitizeFileStem(std::string_view stem, std::size_t maxBytes = kMaxFileStemBytes);

class FileNameTemplate {
  public:
    /// Fields that are always available: {index} (1-based row), {take}, {id}.
    static Result<FileNameTemplate> parse(std::string_view pattern);

    /// The stem (no extension) for this recipient and take. Missing fields are empty and the
    /// separators around them collapse: "001__Jane" never happens.
    std::string stem(const Recipient &recipient, int take = 1) const;
    /// The stem of a take's file: stem(), and "_take2", "_take3"… from the second take on (the
    /// one rule for Cuecard's own files and OBS's renamed ones).
    std::string takeStem(const Recipient &recipient, int take) const;

    const TextTemplate &text() const { return template_; }

  private:
    TextTemplate template_;
};

/// Creates `dir/stem.ext`, or `dir/stem-2.ext`, `-3`… when taken, atomically (O_EXCL), and
/// returns its path. Fails when the folder is missing or not writable, or the stem is unsafe.
Result<std::filesystem::path> claimNewFile(const std::filesystem::path &dir,
                                           const std::string &stem, const std::string &extension);

} // namespace cuecard
