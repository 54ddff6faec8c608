// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/picture/recipient_pictures.hpp"

namespace cuecard {

namespace {

void addCandidates(const TextTemplate &src, const Recipient &recipient,
                   const std::filesystem::path &queueFolder,
                   const std::filesystem::path &themeFolder,
                   std::vector<std::pair<std::string, std::filesystem::path>> &out) {
    std::string value;
    std::string fallback;
    bool hasField = false;
    bool valueComplete = true;
    bool fallbackComplete = true;
    for (const auto &seg : src.segments()) {
        if (!seg.isField) {
            value += seg.text;
            fallback += seg.text;
            continue;
        }
        hasField = true;
        const std::string_view v = recipient.get(seg.text);
        valueComplete = valueComplete && !v.empty();
        value += v;
        fallbackComplete = fallbackComplete && seg.hasFallback && !seg.fallback.empty();
        fallback += seg.fallback;
    }
    if (!hasField) {
        out.emplace_back(value, themeFolder); // the theme's own picture
        return;
    }
    if (valueComplete) {
        out.emplace_back(value, queueFolder);
    }
    if (fallbackComplete) {
        out.emplace_back(fallback, themeFolder);
    }
}

} // namespace

std::vector<std::pair<std::string, std::filesystem::path>>
pictureCandidates(const ImageElement &element, const Recipient &recipient,
                  const std::filesystem::path &queueFolder,
                  const std::filesystem::path &themeFolder) {
    std::vector<std::pair<std::string, std::filesystem::path>> out;
    for (const TextTemplate &src : element.src) {
        addCandidates(src, recipient, queueFolder, themeFolder, out);
    }
    return out;
}

RecipientPictures loadRecipientPictures(const Theme &theme, const Recipient &recipient,
                                        const std::filesystem::path &queueFolder,
                                        PictureLoader &loader) {
    RecipientPictures out;
    for (std::size_t i = 0; i < theme.elements.size(); ++i) {
        const auto *element = std::get_if<ImageElement>(&theme.elements[i]);
        if (element == nullptr) {
            continue;
        }
        const std::string what =
            "elements[" + std::to_string(i) + "] " +
            (element->src.empty() ? std::string() : element->src.front().source());
        LoadedPicture picked;
        bool first = true;
        std::vector<std::string> notes;
        for (const auto &[src, folder] :
             pictureCandidates(*element, recipient, queueFolder, theme.folder)) {
            const CaptureView view{element->viewportWidth, element->viewportHeight,
                                   element->pan > 0.0f};
            LoadedPicture one = loader.load(what, {src}, folder, view);
            if (one.image) {
                picked = std::move(one);
                picked.fallbackUsed = !first;
                break;
            }
            for (auto &n : one.notes) {
                // The loader closes its last note with "the element is left out"; here a
                // later candidate may still work, so only the reason is kept.
                const std::string tail = "; no picture: the element is left out";
                if (n.size() > tail.size() &&
                    n.compare(n.size() - tail.size(), tail.size(), tail) == 0) {
                    n.resize(n.size() - tail.size());
                }
                notes.push_back(std::move(n));
            }
            first = false;
        }
        if (picked.image) {
            if (picked.fallbackUsed && !notes.empty()) {
                notes.back() += "; fallback used";
            }
            out.images[i] = std::make_shared<const Image>(std::move(*picked.image));
        } else if (!notes.empty()) {
            notes.back() += "; no picture: the element is left out";
        } else {
            notes.push_back(what + ": empty for this recipient; the element is left out");
        }
        for (auto &n : notes) {
            out.notes.push_back(std::move(n));
        }
    }
    return out;
}

} // namespace cuecard
