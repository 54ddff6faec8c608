// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/text/font_collection.hpp"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_MODULE_H
#include <hb-ft.h>
#include <hb-ot.h>
#include <hb.h>

#include <algorithm>
#include <cctype>

namespace cuecard {
namespace {

FcConfig *fc(void *p) {
    return static_cast<FcConfig *>(p);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

} // namespace

Result<std::unique_ptr<FontCollection>>
FontCollection::create(const std::vector<std::filesystem::path> &extraFontDirs, int sdfSpread) {
    std::unique_ptr<FontCollection> fc_(new FontCollection());
    if (FT_Init_FreeType(&fc_->library_) != 0) {
        return makeError("FreeType could not start (out of memory?)");
    }
    fc_->sdfSpread_ = sdfSpread;
    FT_Int spread = sdfSpread;
    // Ignore the result: older FreeType without the property keeps its default spread of 8.
    FT_Property_Set(fc_->library_, "sdf", "spread", &spread);
    FT_Property_Set(fc_->library_, "bsdf", "spread", &spread);

    FcConfig *config = FcInitLoadConfigAndFonts();
    if (config == nullptr) {
        return makeError("fontconfig could not load its configuration: install the Debian "
                         "package 'fontconfig'");
    }
    fc_->fcConfig_ = config;
    for (const auto &dir : extraFontDirs) {
        std::error_code ec;
        if (std::filesystem::is_directory(dir, ec)) {
            FcConfigAppFontAddDir(config, reinterpret_cast<const FcChar8 *>(dir.c_str()));
        }
    }
    return fc_;
}

FontCollection::~FontCollection() {
    for (auto &f : fonts_) {
        hb_font_destroy(f->hb);
        FT_Done_Face(f->face);
    }
    if (fcConfig_ != nullptr) {
        FcConfigDestroy(fc(fcConfig_));
    }
    if (library_ != nullptr) {
        FT_Done_FreeType(library_);
    }
}

Result<FontId> FontCollection::load(const std::string &path, int index, const std::string &family) {
    if (auto it = byFile_.find({path, index}); it != byFile_.end()) {
        return it->second;
    }
    auto font = std::make_unique<Font>();
    if (FT_New_Face(library_, path.c_str(), index, &font->face) != 0) {
        return makeError("font file " + path + " could not be opened by FreeType");
    }
    font->path = path;
    font->family = family;
    const FT_Face face = font->face;
    font->unitsPerEm = face->units_per_EM > 0 ? static_cast<float>(face->units_per_EM) : 1000.0f;
    font->ascender = static_cast<float>(face->ascender) / font->unitsPerEm;
    font->descender = -static_cast<float>(face->descender) / font->unitsPerEm;
    hb_face_t *hbFace = hb_ft_face_create_referenced(face);
    font->hb = hb_font_create(hbFace);
    hb_face_destroy(hbFace);
    const int upem = static_cast<int>(font->unitsPerEm);
    hb_font_set_scale(font->hb, upem, upem);
    hb_ot_font_set_funcs(font->hb);
    const FontId id = static_cast<FontId>(fonts_.size());
    fonts_.push_back(std::move(font));
    byFile_[{path, index}] = id;
    return id;
}

Result<FontId> FontCollection::resolve(const FontRequest &request, bool *exact) {
    const auto key = std::make_tuple(lower(request.family), request.weight, request.italic);
    if (auto it = byRequest_.find(key); it != byRequest_.end()) {
        if (exact != nullptr) {
            *exact = lower(font(it->second).family) == lower(request.family);
        }
        return it->second;
    }
    FcPattern *pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY,
                       reinterpret_cast<const FcChar8 *>(request.family.c_str()));
    FcPatternAddInteger(pattern, FC_WEIGHT, FcWeightFromOpenType(request.weight));
    FcPatternAddInteger(pattern, FC_SLANT, request.italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    FcPatternAddBool(pattern, FC_SCALABLE, FcTrue);
    FcConfigSubstitute(fc(fcConfig_), pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    FcPattern *match = FcFontMatch(fc(fcConfig_), pattern, &result);
    FcPatternDestroy(pattern);
    if (match == nullptr) {
        return makeError("no font found for \"" + request.family +
                         "\": install fonts-inter or fonts-noto-core");
    }
    FcChar8 *file = nullptr;
    FcChar8 *family = nullptr;
    int index = 0;
    FcPatternGetString(match, FC_FILE, 0, &file);
    FcPatternGetString(match, FC_FAMILY, 0, &family);
    FcPatternGetInteger(match, FC_INDEX, 0, &index);
    const std::string path = file ? reinterpret_cast<const char *>(file) : "";
    const std::string fam = family ? reinterpret_cast<const char *>(family) : "";
    FcPatternDestroy(match);
    if (path.empty()) {
        return makeError("no font file found for \"" + request.family + "\"");
    }
    auto id = load(path, index, fam);
    if (!id) {
        return id;
    }
    byRequest_[key] = *id;
    if (exact != nullptr) {
        *exact = lower(fam) == lower(request.family);
    }
    return id;
}

bool FontCollection::hasGlyph(FontId id, char32_t cp) const {
    return id >= 0 && static_cast<std::size_t>(id) < fonts_.size() &&
           FT_Get_Char_Index(font(id).face, cp) != 0;
}

FontId FontCollection::fontFor(char32_t cp, const std::vector<FontId> &chain, int weight) {
    for (FontId id : chain) {
        if (hasGlyph(id, cp)) {
            return id;
        }
    }
    const auto key = std::make_pair(cp, weight);
    if (auto it = fallbackCache_.find(key); it != fallbackCache_.end()) {
        return it->second;
    }
    FontId found = kNoFont;
    FcPattern *pattern = FcPatternCreate();
    FcCharSet *charset = FcCharSetCreate();
    FcCharSetAddChar(charset, cp);
    FcPatternAddCharSet(pattern, FC_CHARSET, charset);
    FcPatternAddInteger(pattern, FC_WEIGHT, FcWeightFromOpenType(weight));
    FcPatternAddBool(pattern, FC_SCALABLE, FcTrue);
    FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8 *>("Noto Sans"));
    FcConfigSubstitute(fc(fcConfig_), pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    FcFontSet *set = FcFontSort(fc(fcConfig_), pattern, FcTrue, nullptr, &result);
    if (set != nullptr) {
        for (int i = 0; i < set->nfont && found == kNoFont; ++i) {
            FcCharSet *fontChars = nullptr;
            if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &fontChars) != FcResultMatch ||
                !FcCharSetHasChar(fontChars, cp)) {
                continue;
            }
            FcChar8 *file = nullptr;
            FcChar8 *family = nullptr;
            int index = 0;
            FcPatternGetString(set->fonts[i], FC_FILE, 0, &file);
            FcPatternGetString(set->fonts[i], FC_FAMILY, 0, &family);
            FcPatternGetInteger(set->fonts[i], FC_INDEX, 0, &index);
            if (file == nullptr) {
                continue;
            }
            auto id = load(reinterpret_cast<const char *>(file), index,
                           family ? reinterpret_cast<const char *>(family) : "");
            if (id && hasGlyph(*id, cp)) {
                found = *id;
            }
        }
        FcFontSetDestroy(set);
    }
    FcCharSetDestroy(charset);
    FcPatternDestroy(pattern);
    fallbackCache_[key] = found;
    return found;
}

FontId FontCollection::emojiFont() {
    if (!emojiTried_) {
        emojiTried_ = true;
        bool exact = false;
        auto id = resolve(FontRequest{"Noto Color Emoji", 400, false}, &exact);
        emoji_ = id && exact ? *id : kNoFont;
    }
    return emoji_;
}

} // namespace cuecard
