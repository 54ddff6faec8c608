// SPDX-License-Identifier: GPL-2.0-or-later
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
    style.maxLines = element.maxLines;
    style.lineHeight = element.lineHeight;
    style.align = element.align;
    return layoutText(shaper_, utf8::decode(text), style);
}

Result<ComposedOverlay> OverlayComposer::compose(const Theme &theme, const Recipient &recipient,
                                                 int width, int height,
                                                 const RecipientPictures *pictures,
                                                 double panSeconds) {
    auto result = composeOnce(theme, recipient, width, height, pictures, panSeconds);
    if (!result && glyphs_.atlas().usage() > 0.0f) {
        // The atlas filled up over many recipients: start it afresh and try once more.
        glyphs_.clear();
        result = composeOnce(theme, recipient, width, height, pictures, panSeconds);
    }
    return result;
}

namespace {

/// Where the frame's pictures go in the one picture texture: shelves, 2048 wide.
class PicturePacker {
  public:
    static constexpr int kWidth = 2048;
    static constexpr int kMaxHeight = 4096;

    /// Where a `w`×`h` piece goes (x, y), or false when the frame has no room left.
    bool place(int w, int h, int &x, int &y) {
        if (w > kWidth) {
            return false;
        }
        if (shelfX_ + w > kWidth) {
            shelfY_ += shelfH_ + 1;
            shelfX_ = 0;
            shelfH_ = 0;
        }
        if (shelfY_ + h > kMaxHeight) {
            return false;
        }
        x = shelfX_;
        y = shelfY_;
        shelfX_ += w + 1; // a transparent texel between pieces: no bleeding
        shelfH_ = std::max(shelfH_, h);
        return true;
    }
    /// The packed image's height: rounded up to a power of two (fewer texture re-creations
    /// from one recipient to the next).
    int textureHeight() const {
        int h = 64;
        while (h < shelfY_ + shelfH_) {
            h *= 2;
        }
        return h;
    }

  private:
    int shelfX_ = 0;
    int shelfY_ = 0;
    int shelfH_ = 0;
};

/// A panned picture is drawn at most this many times its box's height (and this tall), so it
/// fits the picture texture beside the frame's other pictures.

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
    struct ColorPending {
        float x, y;
        int w, h;
        std::shared_ptr<const Image> image;
    };
    std::vector<ColorPending> colors;
    for (const PlacedGlyph &g : tl.glyphs) {
        auto cached = glyphs_.get(g.font, g.glyph);
        if (!cached) {
            return cached.error();
        }
        const CachedGlyph &cg = cached.value();
        if (cg.color) {
            // An emoji: its color picture, drawn as a picture of the frame (when composing).
            colors.push_back(
                {std::round(ax + g.x + cg.left * size), std::round(ay + g.y - cg.top * size),
                 std::max(1, static_cast<int>(std::lround(cg.width * size))),
                 std::max(1, static_cast<int>(std::lround(cg.height * size))), cg.color});
            continue;
        }
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
    if (composing_) {
        for (ColorPending &c : colors) {
            const float uv[4] = {0, 0, 0, 0}; // filled in once the frame's pictures are packed
            colorGlyphs_.push_back({dl.quads.size(), std::move(c.image), c.w, c.h});
            dl.addPicture(c.x, c.y, static_cast<float>(c.w), static_cast<float>(c.h), uv, 0.0f,
                          text.color.a);
        }
    }
    return Status::success();
}

std::shared_ptr<const Image>
OverlayComposer::packPictures(const std::vector<PendingPicture> &placed, int textureHeight) {
    // The same pieces at the same places as the last frame (a pan, a re-render of the same
    // person): the same texture, so neither resampling nor the upload is paid again.
    bool same =
        lastPacked_ && lastPacked_->height == textureHeight && lastPieces_.size() == placed.size();
    for (std::size_t i = 0; same && i < placed.size(); ++i) {
        const PendingPicture &a = placed[i];
        const PendingPicture &b = lastPieces_[i];
        same = a.key.picture == b.key.picture && a.key.w == b.key.w && a.key.h == b.key.h &&
               a.key.source.x == b.key.source.x && a.key.source.y == b.key.source.y &&
               a.key.source.width == b.key.source.width &&
               a.key.source.height == b.key.source.height && a.x == b.x && a.y == b.y;
    }
    if (same) {
        return lastPacked_;
    }
    auto out = std::make_shared<Image>(PicturePacker::kWidth, textureHeight);
    for (const PendingPicture &p : placed) {
        const Image piece = resamplePicture(*p.key.picture, p.key.source, p.key.w, p.key.h);
        for (int row = 0; row < piece.height; ++row) {
            std::memcpy(out->at(p.x, p.y + row), piece.row(row),
                        static_cast<std::size_t>(piece.width) * 4);
        }
    }
    lastPieces_ = placed;
    lastPacked_ = out;
    return out;
}

Result<ComposedOverlay> OverlayComposer::composeOnce(const Theme &theme, const Recipient &recipient,
                                                     int width, int height,
                                                     const RecipientPictures *pictures,
                                                     double panSeconds) {
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
    std::vector<PendingPicture> placed;
    int pans = 0; // panned pictures placed
    PanPiece pan;
    composing_ = true;
    colorGlyphs_.clear();
    // Emoji of a text element become pictures of the frame, packed with the others.
    const auto placeColorGlyphs = [&]() {
        for (ColorGlyph &c : colorGlyphs_) {
            PendingPicture pp;
            pp.key.picture = std::move(c.image);
            pp.key.source = FloatRect{0.0f, 0.0f, static_cast<float>(pp.key.picture->width),
                                      static_cast<float>(pp.key.picture->height)};
            pp.key.w = c.w;
            pp.key.h = c.h;
            pp.windowH = c.h;
            pp.quad = c.quad;
            if (packer.place(c.w, c.h, pp.x, pp.y)) {
                placed.push_back(std::move(pp));
            } else {
                dl.quads[c.quad].params[2] = 0.0f; // no room left: not drawn
            }
        }
        colorGlyphs_.clear();
    };

    // Groups (layers) in perspective: their elements' quads form one warped span each.
    int spanLayer = -1;
    std::size_t spanFirst = 0;
    const auto closeSpan = [&]() {
        if (spanLayer < 0 || static_cast<std::size_t>(spanLayer) >= theme.layers.size()) {
            return;
        }
        const ThemeLayer &layer = theme.layers[static_cast<std::size_t>(spanLayer)];
        const auto placement = layer.placement();
        if (!placement || dl.quads.size() == spanFirst) {
            return;
        }
        Quad to;
        for (std::size_t c = 0; c < 4; ++c) {
            to[c] = {ox + (*placement)[c].x * scale, oy + (*placement)[c].y * scale};
        }
        const float lx = ox + layer.x * scale;
        const float ly = oy + layer.y * scale;
        const auto h = rectToQuad(lx, ly, layer.width * scale, layer.height * scale, to);
        if (!h) {
            return; // a quad the theme parser would have refused; drawn flat
        }
        WarpSpan span;
        span.first = static_cast<std::uint32_t>(spanFirst);
        span.count = static_cast<std::uint32_t>(dl.quads.size() - spanFirst);
        std::copy(h->begin(), h->end(), span.homography);
        const float layerRect[4] = {lx, ly, lx + layer.width * scale, ly + layer.height * scale};
        std::copy(std::begin(layerRect), std::end(layerRect), span.layer);
        for (std::size_t c = 0; c < 4; ++c) {
            span.to[c * 2] = to[c].x;
            span.to[c * 2 + 1] = to[c].y;
        }
        dl.warps.push_back(span);
    };

    for (std::size_t index = 0; index < theme.elements.size(); ++index) {
        const ThemeElement &element = theme.elements[index];
        const int elementLayer = std::visit([](const auto &el) { return el.layer; }, element);
        if (elementLayer != spanLayer) {
            closeSpan();
            spanLayer = elementLayer;
            spanFirst = dl.quads.size();
        }
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
                PendingPicture pp;
                pp.key.picture = picture;
                const float fullHeight = static_cast<float>(picture->height) * box.width /
                                         static_cast<float>(picture->width);
                float dx = 0.0f;
                float dy = 0.0f;
                const bool panned = im->pan > 0.0f && fullHeight > box.height + 1.0f;
                if (panned) {
                    // Pan: the picture fills the box's width; a window of the box's height
                    // scrolls down it (the top of a tall page, at most a few screens).
                    pp.key.w = std::max(1, static_cast<int>(std::lround(box.width)));
                    pp.windowH = std::max(1, static_cast<int>(std::lround(box.height)));
                    pp.key.h = static_cast<int>(
                        std::min({fullHeight, box.height * static_cast<float>(kPanMaxScreens),
                                  static_cast<float>(kPanMaxHeight)}));
                    pp.key.h = std::max(pp.key.h, pp.windowH);
                    const float perPixel = static_cast<float>(picture->width) / box.width;
                    pp.key.source = FloatRect{0.0f, 0.0f, static_cast<float>(picture->width),
                                              static_cast<float>(pp.key.h) * perPixel};
                    pp.windowY = static_cast<float>(pp.key.h - pp.windowH) *
                                 panProgress(panSeconds, im->pan);
                    dx = std::round(box.x);
                    dy = std::round(box.y);
                } else {
                    const PictureFitResult fit =
                        fitPicture(im->fit, box, picture->width, picture->height);
                    pp.key.source = fit.source;
                    pp.key.w = std::max(1, static_cast<int>(std::lround(fit.dest.width)));
                    pp.key.h = std::max(1, static_cast<int>(std::lround(fit.dest.height)));
                    pp.windowH = pp.key.h;
                    dx = std::round(fit.dest.x);
                    dy = std::round(fit.dest.y);
                }
                const int w = pp.key.w;
                const int h = pp.windowH;
                if (packer.place(pp.key.w, pp.key.h, pp.x, pp.y)) {
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
                    pp.quad = dl.quads.size();
                    dl.addPicture(dx, dy, static_cast<float>(w), static_cast<float>(h), uv, radius,
                                  im->opacity);
                    if (panned) {
                        ++pans;
                        pan.quad = static_cast<std::int32_t>(pp.quad);
                        pan.piece = PixelRect{pp.x, pp.y, pp.key.w, pp.key.h};
                        pan.windowHeight = pp.windowH;
                        pan.duration = im->pan;
                    }
                    placed.push_back(std::move(pp));
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
        Status appended =
            appendText(dl, theme, text, text.expand(recipient), scale, ox, oy, &report);
        placeColorGlyphs();
        if (!appended) {
            composing_ = false;
            return appended.error();
        }
        out.texts.push_back(std::move(report));
    }
    closeSpan();
    composing_ = false;
    if (pans == 1 && dl.warps.empty()) {
        dl.pan = pan;
    }
    if (!placed.empty()) {
        dl.pictures = packPictures(placed, packer.textureHeight());
        const float tw = static_cast<float>(dl.pictures->width);
        const float th = static_cast<float>(dl.pictures->height);
        for (const PendingPicture &p : placed) {
            QuadInstance &q = dl.quads[p.quad];
            q.color0[0] = static_cast<float>(p.x) / tw;
            q.color0[1] = (static_cast<float>(p.y) + p.windowY) / th;
            q.color0[2] = static_cast<float>(p.x + p.key.w) / tw;
            q.color0[3] =
                (static_cast<float>(p.y) + p.windowY + static_cast<float>(p.windowH)) / th;
        }
    }
    return out;
}

} // namespace cuecard
