// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Byte offsets to "line:column" for messages. Lines end at LF, CRLF or a lone CR; columns count
/// characters (UTF-8 sequences), not bytes.

#include <cstddef>
#include <string_view>
#include <vector>

namespace cuecard {

class LineIndex {
  public:
    explicit LineIndex(std::string_view text);
    /// 1-based line of `offset`.
    int line(std::size_t offset) const;
    /// 1-based column of `offset` within its line.
    int column(std::size_t offset) const;
    /// Offset just past the line break that ends the line containing `offset` (or the end).
    std::size_t nextLineStart(std::size_t offset) const;

  private:
    std::string_view text_;
    std::vector<std::size_t> starts_; ///< offset of each line's first byte
    // Columns are asked for left to right along a row: continue from the last answer.
    mutable std::size_t lastLine_ = 0;
    mutable std::size_t lastOffset_ = 0;
    mutable int lastColumn_ = 1;
    mutable std::size_t lastLineStart_ = 0;
};

} // namespace cuecard
