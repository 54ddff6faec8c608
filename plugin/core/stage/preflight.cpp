// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/stage/preflight.hpp"

#include "core/picture/recipient_pictures.hpp"
#include "core/util/utf8.hpp"

#include <cstdio>

namespace cuecard {
namespace {

std::string codepoints(const std::u32string &s) {
    std::string out;
    for (char32_t c : s) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%sU+%04X", out.empty() ? "" : " ",
                      static_cast<unsigned>(c));
        out += buf;
    }
    return out;
}

} // namespace

std::vector<PreflightLine> preflightRecipient(const Theme &theme, const Recipient &r,
                                              const Queue &queue, OverlayComposer &composer,
                                              PictureLoader *pictures,
                                              const std::filesystem::path &queueFolder) {
    using Level = PreflightLine::Level;
    std::vector<PreflightLine> lines;
    if (pictures != nullptr && theme.hasPictures()) {
        const RecipientPictures loaded = loadRecipientPictures(theme, r, queueFolder, *pictures);
        for (const auto &note : loaded.notes) {
            const bool later = note.find("not fetched yet") != std::string::npos ||
                               note.find("not captured yet") != std::string::npos;
            lines.push_back({later ? Level::Note : Level::Warning,
                             (later ? "note: picture " : "warning: picture ") + note});
        }
    }
    for (const auto &e : theme.elements) {
        const auto *t = std::get_if<TextElement>(&e);
        if (t == nullptr) {
            continue;
        }
        const std::string text = t->expand(r);
        auto laid = composer.layout(theme, *t, text, 1.0f);
        if (!laid) {
            lines.push_back({Level::Error, "error: " + laid.message()});
            continue;
        }
        const std::string what = "\"" + text + "\"";
        // A column the queue has but this row leaves empty (a column the queue lacks entirely
        // is the theme's design, not news).
        std::string empty;
        bool emptyWithoutFallback = false;
        for (const auto &p : t->parts) {
            for (const auto &seg : p.segments()) {
                if (seg.isField && queueProvides(queue.columns, seg.text) &&
                    fieldValue(r, seg.text).empty()) {
                    empty += (empty.empty() ? "" : ", ") + seg.text;
                    emptyWithoutFallback = emptyWithoutFallback || !seg.hasFallback;
                }
            }
        }
        if (!empty.empty() && text.empty() && emptyWithoutFallback) {
            // An on-camera text that shows nothing at all, and the theme gave no fallback (an
            // explicit empty one, {title|}, is the theme's design): the rep would record a blank
            // sticky note or lower third without knowing.
            lines.push_back({Level::Warning, "warning: " + empty +
                                                 " is empty for this row and the theme has no "
                                                 "fallback: this text shows nothing"});
        } else if (!empty.empty()) {
            lines.push_back({Level::Note, "note: " + empty + " is empty, shown: " + what});
        }
        if (laid->truncated) {
            lines.push_back(
                {Level::Warning, "warning: cut to fit: \"" + utf8::encode(laid->shown) + "\""});
        } else if (laid->shrunk) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "note: shrunk from %.0f to %.0f px to fit: ",
                          static_cast<double>(t->size), static_cast<double>(laid->size));
            lines.push_back({Level::Note, buf + what});
        }
        if (!laid->missing.empty()) {
            lines.push_back({Level::Warning, "warning: no installed font has " +
                                                 codepoints(laid->missing) + " (\"" +
                                                 utf8::encode(laid->missing) +
                                                 "\"); install a font that covers it"});
        }
    }
    return lines;
}

} // namespace cuecard
