// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/queue/text_position.hpp"

#include <algorithm>

namespace cuecard {

LineIndex::LineIndex(std::string_view text) : text_(text) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            starts_.push_back(i + 1);
        } else if (text[i] == '\r') {
            if (i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
            starts_.push_back(i + 1);
        }
    }
}

int LineIndex::line(std::size_t offset) const {
    // Readers ask in increasing order: try the last answer and the line after it first.
    for (std::size_t l = lastLine_; l < lastLine_ + 2 && l < starts_.size(); ++l) {
        if (offset >= starts_[l] && (l + 1 == starts_.size() || offset < starts_[l + 1])) {
            lastLine_ = l;
            return static_cast<int>(l) + 1;
        }
    }
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    lastLine_ = static_cast<std::size_t>(it - starts_.begin()) - 1;
    return static_cast<int>(it - starts_.begin());
}

int LineIndex::column(std::size_t offset) const {
    const std::size_t start = starts_[static_cast<std::size_t>(line(offset) - 1)];
    int col = 1;
    std::size_t from = start;
    if (start == lastLineStart_ && offset >= lastOffset_) {
        from = lastOffset_;
        col = lastColumn_;
    }
    for (std::size_t i = from; i < offset && i < text_.size(); ++i) {
        if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
            ++col;
        }
    }
    lastLineStart_ = start;
    lastOffset_ = offset;
    lastColumn_ = col;
    return col;
}

std::size_t LineIndex::nextLineStart(std::size_t offset) const {
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    return it == starts_.end() ? text_.size() : *it;
}

} // namespace cuecard
