#include "core/render/overlay_composer.hpp"

#include "core/picture/picture_fit.hpp"
#include "core/util/utf8.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

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
                                                 int width, int height,
                                                 const RecipientPictures *pictures) {
    auto result = composeOnce(theme, recipient, width, height, pictures);
    if (!result && glyphs_.atlas().usage() > 0.0f) {
        // The atlas filled up over many recipients: start it afresh and try once more.
        glyphs_.clear();
        result = composeOnce(theme, recipient, width, height, pictures);
    }
    return result;
}

namespace {

/// The frame's pictures, resampled to their drawn size, packed in shelves into one image.
class PicturePacker {
  public:
    static constexpr int kWidth = 2048;
    static constexpr int kMaxHeight = 4096;

    /// Where `piece` goes (x, y), or false when the frame has no room left.
    bool place(const Image &piece, int &x, int &y) {
        if (piece.width > kWidth) {
            return false;
        }
        if (shelfX_ + piece.width > kWidth) {
            shelfY_ += shelfH_ + 1;
            shelfX_ = 0;
            shelfH_ = 0;
        }
        if (shelfY_ + piece.height > kMaxHeight) {
            return false;
        }
        x = shelfX_;
        y = shelfY_;
        shelfX_ += piece.width + 1; // a transparent texel between pieces: no bleeding
        shelfH_ = std::max(shelfH_, piece.height);
        pieces_.push_back({&piece, x, y});
        return true;
    }
    int height() const { return shelfY_ + shelfH_; }
    /// The packed image: kWidth wide, its height rounded up to a power of two (fewer texture
    /// re-creations from one recipient to the next).
    std::shared_ptr<const Image> pack() const {
        int h = 64;
        while (h < height()) {
            h *= 2;
        }
        auto out = std::make_shared<Image>(kWidth, h);
        for (const auto &p : pieces_) {
            for (int row = 0; row < p.image->height; ++row) {
                std::memcpy(out->at(p.x, p.y + row), p.image->row(row),
                            static_cast<std::size_t>(p.image->width) * 4);
            }
        }
        return out;
    }

  private:
    struct Piece {
        const Image *image;
        int x;
        int y;
    };
    std::vector<Piece> pieces_;
    int shelfX_ = 0;
    int shelfY_ = 0;
    int shelfH_ = 0;
};

} // namespace

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
                                                     int width, int height,
                                                     const RecipientPictures *pictures) {
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
    // Pictures are resampled first and their quads added in element order; the texture's size
    // (for their uv) is known once all are packed, so their uv is filled in afterwards.
    PicturePacker packer;
    std::vector<Image> pieces;
    pieces.reserve(theme.elements.size());
    struct PendingUv {
        std::size_t quad;
        int x, y, w, h;
    };
    std::vector<PendingUv> uvs;

    for (std::size_t index = 0; index < theme.elements.size(); ++index) {
        const ThemeElement &element = theme.elements[index];
        if (const auto *im = std::get_if<ImageElement>(&element)) {
            PictureReport report;
            report.element = index;
            std::shared_ptr<const Image> picture;
            if (pictures != nullptr) {
                if (auto it = pictures->images.find(index); it != pictures->images.end()) {
                    picture = it->second;
                }
            }
            if (picture && picture->width > 0 && picture->height > 0) {
                const FloatRect box{ox + im->x * scale, oy + im->y * scale, im->width * scale,
                                    im->height * scale};
                const PictureFitResult fit =
                    fitPicture(im->fit, box, picture->width, picture->height);
                const int w = std::max(1, static_cast<int>(std::lround(fit.dest.width)));
                const int h = std::max(1, static_cast<int>(std::lround(fit.dest.height)));
                pieces.push_back(resamplePicture(*picture, fit.source, w, h));
                int px = 0;
                int py = 0;
                if (packer.place(pieces.back(), px, py)) {
                    const float dx = std::round(fit.dest.x);
                    const float dy = std::round(fit.dest.y);
                    const float radius = im->mask == PictureMask::Circle
                                             ? static_cast<float>(std::min(w, h)) * 0.5f
                                         : im->mask == PictureMask::Rounded ? im->radius * scale
                                                                            : 0.0f;
                    if (im->shadow) {
                        const Shadow &sh = *im->shadow;
                        dl.addBox(dx + sh.dx * scale, dy + sh.dy * scale, static_cast<float>(w),
                                  static_cast<float>(h), radius, sh.blur * scale * 0.5f, sh.color,
                                  sh.color, 0.0f);
                    }
                    const float uv[4] = {0, 0, 0, 0};
                    uvs.push_back({dl.quads.size(), px, py, w, h});
                    dl.addPicture(dx, dy, static_cast<float>(w), static_cast<float>(h), uv, radius,
                                  im->opacity);
                    report.shown = true;
                    report.drawn = PixelRect{static_cast<int>(dx), static_cast<int>(dy), w, h};
                }
            }
            out.pictures.push_back(report);
            continue;
        }
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
    if (!uvs.empty()) {
        auto packed = packer.pack();
        const float tw = static_cast<float>(packed->width);
        const float th = static_cast<float>(packed->height);
        for (const PendingUv &u : uvs) {
            QuadInstance &q = dl.quads[u.quad];
            q.color0[0] = static_cast<float>(u.x) / tw;
            q.color0[1] = static_cast<float>(u.y) / th;
            q.color0[2] = static_cast<float>(u.x + u.w) / tw;
            q.color0[3] = static_cast<float>(u.y + u.h) / th;
        }
        dl.pictures = std::move(packed);
    }
    return out;
}

} // namespace cuecard
