// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/text/shaper.hpp"

#include <fribidi.h>
#include <hb.h>

#include <algorithm>

namespace cuecard {
namespace {

struct Run {
    std::size_t start = 0;
    std::size_t length = 0;
    FriBidiLevel level = 0;
    FontId font = kNoFont;
    hb_script_t script = HB_SCRIPT_COMMON;
};

bool followsPrevious(hb_unicode_funcs_t *ufuncs, char32_t cp) {
    // Marks, joiners, variation selectors and spaces stay in the font of what precedes them,
    // so a cluster is never split across fonts.
    const auto cat = hb_unicode_general_category(ufuncs, cp);
    return cat == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
           cat == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
           cat == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK || cp == 0x200D || cp == 0x200C ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

bool isNeutralScript(hb_script_t s) {
    return s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED || s == HB_SCRIPT_UNKNOWN;
}

} // namespace

Shaper::Shaper(FontCollection &fonts) : fonts_(fonts), buffer_(hb_buffer_create()) {}

Shaper::~Shaper() {
    hb_buffer_destroy(static_cast<hb_buffer_t *>(buffer_));
}

ShapedLine Shaper::shape(std::u32string_view text, const std::vector<FontId> &chain, int weight) {
    ShapedLine line;
    const FontId primary = chain.empty() ? kNoFont : chain.front();
    if (primary != kNoFont) {
        line.ascender = fonts_.font(primary).ascender;
        line.descender = fonts_.font(primary).descender;
    }
    const std::size_t n = text.size();
    if (n == 0) {
        return line;
    }

    // 1. Bidi embedding levels for the paragraph (direction from its first strong character).
    std::vector<FriBidiChar> chars(text.begin(), text.end());
    std::vector<FriBidiCharType> types(n);
    std::vector<FriBidiBracketType> brackets(n);
    std::vector<FriBidiLevel> levels(n);
    fribidi_get_bidi_types(chars.data(), static_cast<FriBidiStrIndex>(n), types.data());
    fribidi_get_bracket_types(chars.data(), static_cast<FriBidiStrIndex>(n), types.data(),
                              brackets.data());
    FriBidiParType baseDir = FRIBIDI_PAR_ON;
    if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(),
                                            static_cast<FriBidiStrIndex>(n), &baseDir,
                                            levels.data()) == 0) {
        std::fill(levels.begin(), levels.end(), FriBidiLevel{0});
        baseDir = FRIBIDI_PAR_LTR;
    }
    line.rtl = FRIBIDI_IS_RTL(baseDir);

    // 2. Font and script per code point.
    hb_unicode_funcs_t *ufuncs = hb_unicode_funcs_get_default();
    std::vector<FontId> fontOf(n, kNoFont);
    std::vector<hb_script_t> scriptOf(n, HB_SCRIPT_COMMON);
    for (std::size_t i = 0; i < n; ++i) {
        const char32_t cp = text[i];
        scriptOf[i] = hb_unicode_script(ufuncs, cp);
        // An emoji sequence stays in one font, so the font's ligature draws it as one glyph:
        // what follows a joiner, a skin tone modifier, the second flag letter.
        const bool sequence =
            i > 0 &&
            (text[i - 1] == 0x200D || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
             (cp >= 0x1F1E6 && cp <= 0x1F1FF && text[i - 1] >= 0x1F1E6 && text[i - 1] <= 0x1F1FF));
        if (i > 0 && (followsPrevious(ufuncs, cp) ||
                      ((cp == U' ' || sequence) && fonts_.hasGlyph(fontOf[i - 1], cp)))) {
            fontOf[i] = fontOf[i - 1];
            continue;
        }
        FontId f = fonts_.fontFor(cp, chain, weight);
        // Emoji presentation asked for (U+FE0F), or a keycap (1️⃣): the color emoji font, even
        // when the text font has a plain glyph for the character.
        if (i + 1 < n && (text[i + 1] == 0xFE0F || text[i + 1] == 0x20E3)) {
            if (const FontId emoji = fonts_.emojiFont();
                emoji != kNoFont && fonts_.hasGlyph(emoji, cp)) {
                f = emoji;
            }
        }
        if (f == kNoFont) {
            line.missing.push_back(cp);
            f = primary;
        }
        fontOf[i] = f;
    }
    // Neutral scripts take the script of the preceding (or, at the start, following) character.
    hb_script_t last = HB_SCRIPT_COMMON;
    for (std::size_t i = 0; i < n; ++i) {
        if (isNeutralScript(scriptOf[i])) {
            scriptOf[i] = last;
        } else {
            last = scriptOf[i];
        }
    }
    last = HB_SCRIPT_COMMON;
    for (std::size_t i = n; i-- > 0;) {
        if (isNeutralScript(scriptOf[i])) {
            scriptOf[i] = last;
        } else {
            last = scriptOf[i];
        }
    }

    // 3. Runs of one level, font and script, in logical order.
    std::vector<Run> runs;
    for (std::size_t i = 0; i < n; ++i) {
        if (!runs.empty()) {
            Run &r = runs.back();
            if (r.level == levels[i] && r.font == fontOf[i] && r.script == scriptOf[i]) {
                ++r.length;
                continue;
            }
        }
        runs.push_back(Run{i, 1, levels[i], fontOf[i], scriptOf[i]});
    }

    // 4. Visual order of runs (UAX #9 rule L2): from the highest level down to the lowest odd
    //    level, reverse every maximal sequence of runs at that level or higher.
    std::vector<std::size_t> order(runs.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    int maxLevel = 0;
    int minOdd = 1000;
    for (const Run &r : runs) {
        maxLevel = std::max(maxLevel, static_cast<int>(r.level));
        if (r.level % 2 == 1) {
            minOdd = std::min(minOdd, static_cast<int>(r.level));
        }
    }
    for (int lvl = maxLevel; lvl >= minOdd && lvl > 0; --lvl) {
        std::size_t i = 0;
        while (i < order.size()) {
            if (runs[order[i]].level < lvl) {
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < order.size() && runs[order[j]].level >= lvl) {
                ++j;
            }
            std::reverse(order.begin() + static_cast<std::ptrdiff_t>(i),
                         order.begin() + static_cast<std::ptrdiff_t>(j));
            i = j;
        }
    }

    // 5. Shape each run; HarfBuzz returns right-to-left runs already in visual order.
    auto *buf = static_cast<hb_buffer_t *>(buffer_);
    float pen = 0.0f;
    for (std::size_t ri : order) {
        const Run &r = runs[ri];
        if (r.font == kNoFont) {
            continue;
        }
        const Font &font = fonts_.font(r.font);
        hb_buffer_clear_contents(buf);
        hb_buffer_add_utf32(buf, reinterpret_cast<const std::uint32_t *>(text.data()),
                            static_cast<int>(n), static_cast<unsigned>(r.start),
                            static_cast<int>(r.length));
        hb_buffer_set_direction(buf, r.level % 2 ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
        hb_buffer_set_script(buf, r.script);
        hb_buffer_set_language(buf, hb_language_get_default());
        hb_shape(font.hb, buf, nullptr, 0);
        unsigned count = 0;
        const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &count);
        const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &count);
        const float inv = 1.0f / font.unitsPerEm;
        for (unsigned g = 0; g < count; ++g) {
            ShapedGlyph sg;
            sg.font = r.font;
            sg.glyph = info[g].codepoint;
            sg.cluster = info[g].cluster;
            sg.x = pen + static_cast<float>(pos[g].x_offset) * inv;
            sg.y = static_cast<float>(pos[g].y_offset) * inv;
            pen += static_cast<float>(pos[g].x_advance) * inv;
            line.glyphs.push_back(sg);
        }
        line.ascender = std::max(line.ascender, font.ascender);
        line.descender = std::max(line.descender, font.descender);
    }
    line.advance = pen;
    return line;
}

} // namespace cuecard
