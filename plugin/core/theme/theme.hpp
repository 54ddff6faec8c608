// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Theme format v1: a canvas and a list of elements (rounded boxes with fill, gradient and
/// shadow; single-line text with templates, font, size, fit and effects). The format is
/// documented in README.md ("Themes").

#include "core/template/text_template.hpp"
#include "core/text/font_collection.hpp"
#include "core/text/text_layout.hpp"
#include "core/theme/animation.hpp"
#include "core/theme/color.hpp"
#include "core/util/homography.hpp"
#include "core/util/result.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cuecard {

struct Shadow {
    Color color{0.0f, 0.0f, 0.0f, 0.5f};
    float dx = 0.0f;
    float dy = 4.0f;
    float blur = 8.0f;
};

struct Gradient {
    Color from;
    Color to;
    float angle = 0.0f; ///< degrees; 0 = left to right, 90 = top to bottom
};

struct BoxElement {
    float x = 0.0f;
    float y = 0.0f;
    float width = 0.0f;
    float height = 0.0f;
    float radius = 0.0f;
    Color fill{1.0f, 1.0f, 1.0f, 1.0f};
    std::optional<Gradient> gradient;
    std::optional<Shadow> shadow;
    int layer = -1; ///< index into Theme::layers (-1: drawn flat)
};

struct TextElement {
    /// The parts are expanded and joined with `separator`, skipping empty ones, so
    /// ["{title|}", "{company|}"] with " · " never shows a dangling separator.
    std::vector<TextTemplate> parts;
    std::string separator;
    float x = 0.0f; ///< anchor: left edge, center or right edge depending on align
    float y = 0.0f; ///< baseline
    TextAlign align = TextAlign::Left;
    float maxWidth = 0.0f;
    int maxLines = 1;         ///< over 1: a paragraph wrapped at max_width
    float lineHeight = 1.25f; ///< baseline to baseline, times the size
    FontRequest font;
    float size = 48.0f;
    float minSize = 0.0f;
    Color color{1.0f, 1.0f, 1.0f, 1.0f};
    float outlineWidth = 0.0f;
    Color outlineColor{0.0f, 0.0f, 0.0f, 1.0f};
    std::optional<Shadow> shadow;
    int layer = -1; ///< index into Theme::layers (-1: drawn flat)

    std::string expand(const Recipient &recipient) const;
};

enum class PictureFit { Contain, Cover, Fill };
enum class PictureMask { None, Rounded, Circle };

/// A picture: the recipient's logo, photo or website, or one of the theme's own. `src` is a
/// template: "{logo|images/placeholder.png}" tries the recipient's `logo` (a path relative to
/// the queue's folder, or an http(s) address), then the fallback (relative to the theme's
/// folder). With no picture that works the element is left out.
struct ImageElement {
    /// Where the picture comes from, tried in order (`src` is one template or a list of them);
    /// each template gives the recipient's value, then its own fallback.
    std::vector<TextTemplate> src;
    float x = 0.0f;
    float y = 0.0f;
    float width = 0.0f;
    float height = 0.0f;
    float radius = 0.0f; ///< corner radius for mask "rounded"
    PictureFit fit = PictureFit::Contain;
    PictureMask mask = PictureMask::None;
    float opacity = 1.0f;
    std::optional<Shadow> shadow;
    /// Seconds to scroll a picture taller than its box from top to bottom (0: no pan; the
    /// picture is fitted as `fit` says). A panned picture fills the box's width.
    float pan = 0.0f;
    /// The browser window a `capture:` source is taken with (CSS px); with `pan`, the whole
    /// page is captured, not only the first screen.
    int viewportWidth = 1280;
    int viewportHeight = 800;
    int layer = -1; ///< index into Theme::layers (-1: drawn flat)
};

/// A `group` of elements: drawn as one flat layer (x, y, width, height, canvas px; the
/// group's elements are placed relative to its top-left), then put in perspective onto `quad`
/// (top-left, top-right, bottom-right, bottom-left, canvas px), or tilted by `rotate` degrees
/// about its center; with neither, drawn flat where it is. Its elements come one after another
/// in Theme::elements, each with `layer` set.
struct ThemeLayer {
    float x = 0.0f;
    float y = 0.0f;
    float width = 0.0f;
    float height = 0.0f;
    std::optional<Quad> quad;
    float rotate = 0.0f;
    /// Where the layer lands: `quad`, else the rotated box, else nullopt (flat).
    std::optional<Quad> placement() const;
};

using ThemeElement = std::variant<BoxElement, TextElement, ImageElement>;

struct ThemeAnimation {
    AnimationKind in = AnimationKind::Fade;
    AnimationKind out = AnimationKind::Fade;
    float duration = 0.3f; ///< seconds
};

struct Theme {
    std::string name;
    std::string description;
    std::string source;           ///< file it came from, for messages
    std::filesystem::path folder; ///< where its own pictures are (the theme file's folder)
    int width = 1920;
    int height = 1080;
    std::vector<std::string> fallbackFamilies; ///< tried before fontconfig's own fallback
    std::vector<ThemeElement> elements;
    std::vector<ThemeLayer> layers;
    ThemeAnimation animation;

    /// Whether any element is a picture (then pictures must be loaded before rendering).
    bool hasPictures() const;
    /// The longest `pan` of its image elements (0: nothing pans, the overlay is still).
    float longestPan() const;
    /// Puts its first group onto `quad` instead of the theme's placement (the rep fitted it to
    /// a surface in their camera). Fails, saying why, for a theme without a group.
    Status placeFirstGroup(const Quad &quad);

    /// Every template field against the queue's columns (see TextTemplate::check).
    Status check(const std::vector<std::string> &columns) const;
};

/// Parses theme JSON; `source` names it in messages.
Result<Theme> parseTheme(std::string_view json, const std::string &source);

/// A built-in theme by name (looked up as `<dir>/themes/<name>.json` in each data dir) or a
/// path to a theme file.
Result<Theme> loadTheme(const std::string &nameOrPath,
                        const std::vector<std::filesystem::path> &dataDirs);

/// Names of the built-in themes found in the data dirs, sorted.
std::vector<std::string> builtinThemeNames(const std::vector<std::filesystem::path> &dataDirs);

} // namespace cuecard
