// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Theme + recipient → draw list: expands the templates, lays out each text line (shrink, then
/// ellipsis), puts the glyphs it needs in the atlas, and reports what a rep should look at
/// (text that shrank or was cut, fallbacks, glyphs no font has).

#include "core/picture/picture_fit.hpp"
#include "core/picture/recipient_pictures.hpp"
#include "core/queue/recipient.hpp"
#include "core/render/draw_list.hpp"
#include "core/text/glyph_cache.hpp"
#include "core/text/shaper.hpp"
#include "core/theme/theme.hpp"
#include "core/util/result.hpp"

#include <string>
#include <vector>

namespace cuecard {

struct TextReport {
    std::string text;  ///< after templates
    std::string shown; ///< what was drawn (with the ellipsis when cut)
    float size = 0.0f; ///< px after shrinking, in canvas px
    bool shrunk = false;
    bool truncated = false;
    bool fallbackUsed = false; ///< a template field was empty or missing
    std::u32string missing;    ///< code points no installed font has
};

struct PictureReport {
    std::size_t element = 0; ///< index into Theme::elements
    bool shown = false;      ///< false: no picture for this recipient, the element is left out
    PixelRect drawn;         ///< where it landed on the canvas
};

struct ComposedOverlay {
    DrawList drawList;
    int width = 0;
    int height = 0;
    std::vector<TextReport> texts;
    std::vector<PictureReport> pictures;
};

class OverlayComposer {
  public:
    OverlayComposer(FontCollection &fonts, GlyphCache &glyphs);

    /// Composes at `width`×`height`; the theme canvas is scaled uniformly to fit and centered.
    /// 0×0 means the theme's own canvas size. `pictures` are the recipient's, loaded before
    /// (image elements without one are left out); they are fitted, resampled to the size they
    /// are drawn at and packed into the draw list's picture texture. `panSeconds`: how long
    /// the recipient has been on screen, for image elements with `pan` (0: the top).
    Result<ComposedOverlay> compose(const Theme &theme, const Recipient &recipient, int width = 0,
                                    int height = 0, const RecipientPictures *pictures = nullptr,
                                    double panSeconds = 0.0);

    /// Shapes and lays out one text element without touching the atlas (for checks and
    /// benchmarks).
    Result<TextLayout> layout(const Theme &theme, const TextElement &element,
                              const std::string &text, float scale);

    /// Lays out `text` as `element` (at `scale`, offset by ox, oy) and appends its quads.
    /// Used by compose() and for labels that are not theme text (the contact sheet).
    Status appendText(DrawList &list, const Theme &theme, const TextElement &element,
                      const std::string &text, float scale, float ox, float oy, TextReport *report);

    Shaper &shaper() { return shaper_; }

  private:
    /// One picture of the frame: the piece of the picture texture it needs (which source
    /// picture, the part of it, resampled to w×h), where that piece is packed, and the window
    /// of it the quad shows (all of it, or the box's height of a panned picture).
    struct PieceKey {
        std::shared_ptr<const Image> picture;
        FloatRect source;
        int w = 0;
        int h = 0;
    };
    struct PendingPicture {
        PieceKey key;
        int x = 0;
        int y = 0;
        float windowY = 0.0f;
        int windowH = 0;
        std::size_t quad = 0;
    };
    Result<ComposedOverlay> composeOnce(const Theme &theme, const Recipient &recipient, int width,
                                        int height, const RecipientPictures *pictures,
                                        double panSeconds);
    /// The picture texture for these pieces: resampled and packed, or the last one again when
    /// nothing changed.
    std::shared_ptr<const Image> packPictures(const std::vector<PendingPicture> &placed,
                                              int textureHeight);
    Result<std::vector<FontId>> chainFor(const Theme &theme, const FontRequest &request);

    FontCollection &fonts_;
    GlyphCache &glyphs_;
    Shaper shaper_;
    /// Emoji appendText drew as pictures, to be packed by composeOnce (only while composing;
    /// text drawn outside compose, like contact sheet labels, leaves emoji out).
    struct ColorGlyph {
        std::size_t quad = 0;
        std::shared_ptr<const Image> image;
        int w = 0;
        int h = 0;
    };
    std::vector<ColorGlyph> colorGlyphs_;
    bool composing_ = false;
    std::vector<PendingPicture> lastPieces_;
    std::shared_ptr<const Image> lastPacked_;
};

} // namespace cuecard
