// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Fonts by family name through fontconfig, one FreeType face and one HarfBuzz font per file,
/// and per-code-point fallback so a name in any script finds a font that has its glyphs.

#include "core/util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using FT_Library = struct FT_LibraryRec_ *;
using FT_Face = struct FT_FaceRec_ *;
struct hb_font_t;

namespace cuecard {

using FontId = int;
constexpr FontId kNoFont = -1;

struct FontRequest {
    std::string family = "Inter";
    int weight = 400; ///< CSS/OpenType weight: 400 regular, 700 bold
    bool italic = false;
};

/// One loaded font file. Metrics are per pixel of font size (divide font units by units/em),
/// so layout scales linearly to any size: the SDF path renders unhinted outlines.
struct Font {
    FT_Face face = nullptr;
    hb_font_t *hb = nullptr;
    std::string path;
    std::string family; ///< family name as fontconfig reports it
    float unitsPerEm = 1000.0f;
    float ascender = 0.8f;  ///< above the baseline, per px of size
    float descender = 0.2f; ///< below the baseline (positive), per px of size
};

class FontCollection {
  public:
    /// Starts fontconfig with the system configuration plus `extraFontDirs` (the fonts that
    /// ship with Cuecard), and FreeType with the SDF renderer's spread set to `sdfSpread`.
    static Result<std::unique_ptr<FontCollection>>
    create(const std::vector<std::filesystem::path> &extraFontDirs, int sdfSpread = 8);
    ~FontCollection();
    FontCollection(const FontCollection &) = delete;
    FontCollection &operator=(const FontCollection &) = delete;

    /// The best match for the request. `exact` is set false when fontconfig had to substitute
    /// another family (the requested one is not installed).
    Result<FontId> resolve(const FontRequest &request, bool *exact = nullptr);

    /// A font that has a glyph for `cp`: the preferred chain first, then whatever fontconfig
    /// finds. kNoFont when no installed font covers it. Cached per code point and chain.
    FontId fontFor(char32_t cp, const std::vector<FontId> &chain, int weight);

    bool hasGlyph(FontId id, char32_t cp) const;
    /// The color emoji font (Noto Color Emoji, when installed), else kNoFont; looked up once.
    FontId emojiFont();
    const Font &font(FontId id) const { return *fonts_[static_cast<std::size_t>(id)]; }
    FT_Library library() const { return library_; }
    int sdfSpread() const { return sdfSpread_; }

  private:
    FontCollection() = default;
    Result<FontId> load(const std::string &path, int index, const std::string &family);

    FT_Library library_ = nullptr;
    void *fcConfig_ = nullptr; // FcConfig*
    int sdfSpread_ = 8;
    std::vector<std::unique_ptr<Font>> fonts_;
    std::map<std::pair<std::string, int>, FontId> byFile_;
    std::map<std::tuple<std::string, int, bool>, FontId> byRequest_;
    std::map<std::pair<char32_t, int>, FontId> fallbackCache_;
    bool emojiTried_ = false;
    FontId emoji_ = kNoFont;
};

} // namespace cuecard
