#pragma once
/// \file
/// Theme + recipient → draw list: expands the templates, lays out each text line (shrink, then
/// ellipsis), puts the glyphs it needs in the atlas, and reports what a rep should look at
/// (text that shrank or was cut, fallbacks, glyphs no font has).

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
    /// are drawn at and packed into the draw list's picture texture.
    Result<ComposedOverlay> compose(const Theme &theme, const Recipient &recipient, int width = 0,
                                    int height = 0, const RecipientPictures *pictures = nullptr);

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
    Result<ComposedOverlay> composeOnce(const Theme &theme, const Recipient &recipient, int width,
                                        int height, const RecipientPictures *pictures);
    Result<std::vector<FontId>> chainFor(const Theme &theme, const FontRequest &request);

    FontCollection &fonts_;
    GlyphCache &glyphs_;
    Shaper shaper_;
};

} // namespace cuecard
