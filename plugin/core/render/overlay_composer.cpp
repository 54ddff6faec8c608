#include "core/render/overlay_composer.hpp"

#include "core/util/utf8.hpp"

#include <algorithm>

namespace cuecard {

OverlayComposer::OverlayComposer(FontCollection &fonts, GlyphCache &glyphs)
    : fonts_(fonts), glyphs_(glyphs), shaper_(fonts) {}

Result<std::vector<FontId>> OverlayComposer::chainFor(const Theme &theme,
                                                      const FontRequest &request) {
    std::vector<FontId> chain;
    auto primary = fonts_.resolve(request);
    if (!primary) {
        return primary.error();
    }
    chain.push_back(*primary);
    for (const auto &family : theme.fallbackFamilies) {
        FontRequest fb = request;
        fb.family = family;
        bool exact = false;
        auto id = fonts_.resolve(fb, &exact);
        // A fallback family that is not installed is skipped: fontconfig's own fallback
        // still runs for anything the chain lacks.
        if (id && exact && std::find(chain.begin(), chain.end(), *id) == chain.end()) {
            chain.push_back(*id);
        }
    }
    return chain;
}

Result<TextLayout> OverlayComposer::layout(const Theme &theme, const TextElement &element,
                                           const std::string &text, float scale) {
    auto chain = chainFor(theme, element.font);
    if (!chain) {
        return chain.error();
    }
    TextStyle style;
    style.chain = std::move(chain.value());
    style.weight = element.font.weight;
    style.size = element.size * scale;
    style.minSize = element.minSize * scale;
    style.maxWidth = element.maxWidth * scale;
    style.align = element.align;
    return layoutText(shaper_, utf8::decode(text), style);
}

Result<ComposedOverlay> OverlayComposer::compose(const Theme &theme, const Recipient &recipient,
                                                 int width, int height) {
    auto result = composeOnce(theme, recipient, width, height);
    if (!result && glyphs_.atlas().usage() > 0.0f) {
        // The atlas filled up over many recipients: start it afresh and try once more.
        glyphs_.clear();
        result = composeOnce(theme, recipient, width, height);
    }
    return result;
}

Status OverlayComposer::appendText(DrawList &dl, const Theme &theme, const TextElement &text,
                                   const std::string &value, float scale, float ox, float oy,
                                   TextReport *report) {
    auto laid = layout(theme, text, value, scale);
    if (!laid) {
        return laid.error();
    }
    const TextLayout &tl = laid.value();
    if (report != nullptr) {
        report->text = value;
        report->shown = utf8::encode(tl.shown);
        report->size = tl.size / scale;
        report->shrunk = tl.shrunk;
        report->truncated = tl.truncated;
        report->missing = tl.missing;
    }
    const float atlasW = static_cast<float>(glyphs_.atlas().width());
    const float atlasH = static_cast<float>(glyphs_.atlas().height());
    const float ax = ox + text.x * scale;
    const float ay = oy + text.y * scale;
    const float size = tl.size;
    const float pxPerUnit = 2.0f * glyphs_.spread() * size / static_cast<float>(glyphs_.baseSize());
    const float outline = text.outlineWidth * scale;
    struct Pending {
        float x0, y0, x1, y1;
        float uv[4];
    };
    std::vector<Pending> quads;
    quads.reserve(tl.glyphs.size());
    for (const PlacedGlyph &g : tl.glyphs) {
        auto cached = glyphs_.get(g.font, g.glyph);
        if (!cached) {
            return cached.error();
        }
        const CachedGlyph &cg = cached.value();
        if (cg.rect.w == 0) {
            continue;
        }
        Pending p{};
        p.x0 = ax + g.x + cg.left * size;
        p.y0 = ay + g.y - cg.top * size;
        p.x1 = p.x0 + cg.width * size;
        p.y1 = p.y0 + cg.height * size;
        p.uv[0] = static_cast<float>(cg.rect.x) / atlasW;
        p.uv[1] = static_cast<float>(cg.rect.y) / atlasH;
        p.uv[2] = static_cast<float>(cg.rect.x + cg.rect.w) / atlasW;
        p.uv[3] = static_cast<float>(cg.rect.y + cg.rect.h) / atlasH;
        quads.push_back(p);
    }
    if (text.shadow) {
        const Shadow &s = *text.shadow;
        const float dx = s.dx * scale;
        const float dy = s.dy * scale;
        for (const Pending &p : quads) {
            dl.addGlyph(p.x0 + dx, p.y0 + dy, p.x1 + dx, p.y1 + dy, p.uv, pxPerUnit, 0.0f,
                        std::max(0.5f, s.blur * scale * 0.5f), outline, s.color, s.color);
        }
    }
    for (const Pending &p : quads) {
        dl.addGlyph(p.x0, p.y0, p.x1, p.y1, p.uv, pxPerUnit, outline, 0.0f, 0.0f, text.color,
                    text.outlineColor);
    }
    return Status::success();
}

Result<ComposedOverlay> OverlayComposer::composeOnce(const Theme &theme, const Recipient &recipient,
                                                     int width, int height) {
    ComposedOverlay out;
    out.width = width > 0 ? width : theme.width;
    out.height = height > 0 ? height : theme.height;
    const float scale = std::min(static_cast<float>(out.width) / static_cast<float>(theme.width),
                                 static_cast<float>(out.height) / static_cast<float>(theme.height));
    const float ox =
        (static_cast<float>(out.width) - static_cast<float>(theme.width) * scale) * 0.5f;
    const float oy =
        (static_cast<float>(out.height) - static_cast<float>(theme.height) * scale) * 0.5f;
    DrawList &dl = out.drawList;

    for (const ThemeElement &element : theme.elements) {
        if (const auto *box = std::get_if<BoxElement>(&element)) {
            const float x = ox + box->x * scale;
            const float y = oy + box->y * scale;
            const float w = box->width * scale;
            const float h = box->height * scale;
            const float r = box->radius * scale;
            if (box->shadow) {
                const Shadow &s = *box->shadow;
                dl.addBox(x + s.dx * scale, y + s.dy * scale, w, h, r, s.blur * scale * 0.5f,
                          s.color, s.color, 0.0f);
            }
            const Color from = box->gradient ? box->gradient->from : box->fill;
            const Color to = box->gradient ? box->gradient->to : box->fill;
            dl.addBox(x, y, w, h, r, 0.0f, from, to, box->gradient ? box->gradient->angle : 0.0f);
            continue;
        }
        const auto &text = std::get<TextElement>(element);
        TextReport report;
        for (const auto &p : text.parts) {
            report.fallbackUsed = report.fallbackUsed || p.usesFallback(recipient);
        }
        if (Status s = appendText(dl, theme, text, text.expand(recipient), scale, ox, oy, &report);
            !s) {
            return s.error();
        }
        out.texts.push_back(std::move(report));
    }
    return out;
}

} // namespace cuecard
