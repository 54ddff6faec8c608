#include "core/text/text_layout.hpp"

#include <hb.h>

#include <algorithm>

namespace cuecard {
namespace {

constexpr char32_t kEllipsis = U'\u2026';

bool isSpace(char32_t c) {
    return c == U' ' || c == U'\t' || c == 0x00A0 || c == 0x3000;
}

/// Cut points that never split a cluster: not before a mark, joiner or variation selector.
bool canCutBefore(std::u32string_view text, std::size_t i) {
    if (i == 0 || i >= text.size()) {
        return true;
    }
    const char32_t c = text[i];
    const char32_t prev = text[i - 1];
    const auto cat = hb_unicode_general_category(hb_unicode_funcs_get_default(), c);
    const bool mark = cat == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
                      cat == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
                      cat == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
    const bool surrogateOrJoin = c == 0x200D || prev == 0x200D || (c >= 0xFE00 && c <= 0xFE0F);
    return !mark && !surrogateOrJoin;
}

std::u32string truncatedText(std::u32string_view text, std::size_t keep) {
    std::u32string s(text.substr(0, keep));
    while (!s.empty() && isSpace(s.back())) {
        s.pop_back();
    }
    s.push_back(kEllipsis);
    return s;
}

} // namespace

TextLayout layoutText(Shaper &shaper, std::u32string_view text, const TextStyle &style) {
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
            std::vector<std::size_t> cuts;
            for (std::size_t i = 0; i < text.size(); ++i) {
                if (canCutBefore(text, i)) {
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
    return out;
}

} // namespace cuecard
