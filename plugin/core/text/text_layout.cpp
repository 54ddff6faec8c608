// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/text/text_layout.hpp"

#include "core/text/line_break.hpp"

#include <algorithm>

namespace cuecard {
namespace {

constexpr char32_t kEllipsis = U'\u2026';

bool isSpace(char32_t c) {
    return c == U' ' || c == U'\t' || c == 0x00A0 || c == 0x3000;
}

std::u32string truncatedText(std::u32string_view text, std::size_t keep) {
    std::u32string s(text.substr(0, keep));
    while (!s.empty() && isSpace(s.back())) {
        s.pop_back();
    }
    s.push_back(kEllipsis);
    return s;
}

bool isLineEnd(char32_t c) {
    return c == U'\n' || c == U'\r' || c == 0x2028 || c == 0x2029 || c == 0x0B || c == 0x0C ||
           c == 0x85;
}

/// [first, last) without the trailing spaces and line ends.
std::size_t trimmedEnd(std::u32string_view text, std::size_t first, std::size_t last) {
    while (last > first && (isSpace(text[last - 1]) || isLineEnd(text[last - 1]))) {
        --last;
    }
    return last;
}

struct Wrapped {
    std::vector<std::pair<std::size_t, std::size_t>> lines;
    bool wordBroken = false;
};

/// Greedy wrapping at `size`: each line takes as many break opportunities as fit `maxWidth`,
/// ends at a mandatory break, and splits a word only when the word alone is too wide. Stops
/// early once over `lineLimit` lines.
Wrapped wrapText(Shaper &shaper, std::u32string_view text,
                 const std::vector<LineBreakOpportunity> &breaks,
                 const std::vector<bool> &clusterStarts, const TextStyle &style, float size,
                 std::size_t lineLimit) {
    Wrapped out;
    const auto fits = [&](std::size_t first, std::size_t last) {
        const std::size_t end = trimmedEnd(text, first, last);
        if (end == first) {
            return true;
        }
        const ShapedLine l =
            shaper.shape(text.substr(first, end - first), style.chain, style.weight);
        return l.advance * size <= style.maxWidth;
    };
    std::size_t start = 0;
    std::size_t b = 0; // first break opportunity after start
    while (start < text.size() && out.lines.size() <= lineLimit) {
        while (b < breaks.size() && breaks[b].position <= start) {
            ++b;
        }
        std::size_t best = 0;
        for (std::size_t i = b; i < breaks.size(); ++i) {
            if (!fits(start, breaks[i].position)) {
                break;
            }
            best = breaks[i].position;
            if (breaks[i].mandatory) {
                break;
            }
        }
        if (best == 0) {
            // The next word alone is too wide: as many whole clusters of it as fit (one at
            // least, so the text always advances).
            const std::size_t wordEnd = b < breaks.size() ? breaks[b].position : text.size();
            std::size_t cut = start + 1;
            while (cut < wordEnd && !clusterStarts[cut]) {
                ++cut;
            }
            for (std::size_t next = cut + 1; next <= wordEnd; ++next) {
                if (next < wordEnd && !clusterStarts[next]) {
                    continue;
                }
                if (!fits(start, next)) {
                    break;
                }
                cut = next;
            }
            best = cut;
            out.wordBroken = out.wordBroken || cut < wordEnd;
        }
        out.lines.emplace_back(start, trimmedEnd(text, start, best));
        start = best;
    }
    return out;
}

/// The paragraph path of layoutText (maxLines > 1 and a width to wrap at).
TextLayout layoutParagraph(Shaper &shaper, std::u32string_view text, const TextStyle &style) {
    TextLayout out;
    const auto breaks = lineBreaks(text);
    const auto clusterStarts = graphemeStarts(text);
    const auto limit = static_cast<std::size_t>(style.maxLines);
    float size = style.size;
    Wrapped wrapped = wrapText(shaper, text, breaks, clusterStarts, style, size, limit);
    const float minSize = style.minSize > 0.0f ? std::min(style.minSize, size) : size;
    if (wrapped.lines.size() > limit && minSize < size) {
        // Shrink: the largest size (to 1/64 px) whose wrapping fits the lines allowed.
        float lo = minSize;
        float hi = size;
        Wrapped atLo = wrapText(shaper, text, breaks, clusterStarts, style, lo, limit);
        if (atLo.lines.size() <= limit) {
            while (hi - lo > 1.0f / 64.0f) {
                const float mid = (lo + hi) * 0.5f;
                Wrapped w = wrapText(shaper, text, breaks, clusterStarts, style, mid, limit);
                if (w.lines.size() <= limit) {
                    lo = mid;
                    atLo = std::move(w);
                } else {
                    hi = mid;
                }
            }
        }
        size = lo;
        wrapped = std::move(atLo);
        out.shrunk = true;
    }
    std::vector<std::u32string> lineTexts;
    std::vector<ShapedLine> shaped;
    for (std::size_t i = 0; i < wrapped.lines.size() && i < limit; ++i) {
        const auto [first, last] = wrapped.lines[i];
        lineTexts.emplace_back(text.substr(first, last - first));
        shaped.push_back(shaper.shape(lineTexts.back(), style.chain, style.weight));
        out.lines.push_back(wrapped.lines[i]);
    }
    if (wrapped.lines.size() > limit) {
        // Still too long at the smallest size: the last line takes the rest of the text (line
        // ends as spaces), cut with an ellipsis.
        out.truncated = true;
        const std::size_t first = wrapped.lines[limit - 1].first;
        std::u32string rest(text.substr(first));
        for (char32_t &c : rest) {
            c = isLineEnd(c) ? U' ' : c;
        }
        TextStyle single = style;
        single.size = size;
        single.minSize = size;
        single.maxLines = 1;
        TextLayout last = layoutText(shaper, rest, single);
        last.truncated = true;
        if (!last.shown.empty() && last.shown.back() != kEllipsis) {
            last.shown.push_back(kEllipsis); // a rest that fits still hides the lines after it
        }
        lineTexts.back() = last.shown;
        shaped.back() = shaper.shape(lineTexts.back(), style.chain, style.weight);
        out.lines.back().second = text.size();
    }
    out.wordBroken = wrapped.wordBroken;
    out.size = size;
    const float lineStep = style.lineHeight * size;
    float left = 0.0f;
    float right = 0.0f;
    for (std::size_t i = 0; i < shaped.size(); ++i) {
        const ShapedLine &line = shaped[i];
        const float width = line.advance * size;
        const float x0 = style.align == TextAlign::Left     ? 0.0f
                         : style.align == TextAlign::Center ? -width * 0.5f
                                                            : -width;
        left = i == 0 ? x0 : std::min(left, x0);
        right = i == 0 ? x0 + width : std::max(right, x0 + width);
        const float y = static_cast<float>(i) * lineStep;
        for (const ShapedGlyph &g : line.glyphs) {
            out.glyphs.push_back(PlacedGlyph{g.font, g.glyph, x0 + g.x * size, y - g.y * size});
        }
        out.lineWidths.push_back(width);
        out.ascent = i == 0 ? line.ascender * size : out.ascent;
        out.descent = static_cast<float>(i) * lineStep + line.descender * size;
        out.rtl = i == 0 ? line.rtl : out.rtl;
        out.missing += line.missing;
        out.shown += (i == 0 ? U"" : U"\n") + lineTexts[i];
    }
    out.left = left;
    out.width = right - left;
    return out;
}

} // namespace

TextLayout layoutText(Shaper &shaper, std::u32string_view text, const TextStyle &style) {
    if (style.maxLines > 1 && style.maxWidth > 0.0f) {
        return layoutParagraph(shaper, text, style);
    }
    TextLayout out;
    ShapedLine line = shaper.shape(text, style.chain, style.weight);
    std::u32string shown(text);
    float size = style.size;

    if (style.maxWidth > 0.0f && line.advance * size > style.maxWidth) {
        const float minSize = style.minSize > 0.0f ? std::min(style.minSize, size) : size;
        const float fit = style.maxWidth / line.advance;
        if (fit >= minSize) {
            size = fit;
            out.shrunk = true;
        } else {
            out.shrunk = minSize < style.size;
            size = minSize;
            out.truncated = true;
            // Longest logical prefix, ending on a cluster boundary, that fits with "…".
            const auto clusterStarts = graphemeStarts(text);
            std::vector<std::size_t> cuts;
            for (std::size_t i = 0; i < text.size(); ++i) {
                if (clusterStarts[i]) {
                    cuts.push_back(i);
                }
            }
            std::u32string bestText = truncatedText(text, 0);
            ShapedLine best = shaper.shape(bestText, style.chain, style.weight);
            std::size_t lo = 0;
            std::size_t hi = cuts.size() - 1;
            while (lo < hi) {
                const std::size_t mid = (lo + hi + 1) / 2;
                std::u32string candidate = truncatedText(text, cuts[mid]);
                ShapedLine cl = shaper.shape(candidate, style.chain, style.weight);
                if (cl.advance * size <= style.maxWidth) {
                    lo = mid;
                    best = std::move(cl);
                    bestText = std::move(candidate);
                } else {
                    hi = mid - 1;
                }
            }
            line = std::move(best);
            shown = std::move(bestText);
        }
    }

    out.size = size;
    out.width = line.advance * size;
    out.ascent = line.ascender * size;
    out.descent = line.descender * size;
    out.rtl = line.rtl;
    out.missing = line.missing;
    out.shown = std::move(shown);
    switch (style.align) {
    case TextAlign::Left:
        out.left = 0.0f;
        break;
    case TextAlign::Center:
        out.left = -out.width * 0.5f;
        break;
    case TextAlign::Right:
        out.left = -out.width;
        break;
    }
    out.glyphs.reserve(line.glyphs.size());
    for (const ShapedGlyph &g : line.glyphs) {
        out.glyphs.push_back(PlacedGlyph{g.font, g.glyph, out.left + g.x * size, -g.y * size});
    }
    out.lines.emplace_back(0, text.size());
    out.lineWidths.push_back(out.width);
    return out;
}

} // namespace cuecard
