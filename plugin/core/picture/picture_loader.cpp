// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/picture/picture_loader.hpp"

namespace cuecard {

PictureLoader::PictureLoader(PictureLoaderOptions options)
    : options_(std::move(options)), cache_(options_.cacheFolder, options_.cacheBytes) {}

LoadedPicture PictureLoader::load(const std::string &what,
                                  const std::vector<std::string> &candidates,
                                  const std::filesystem::path &folder, const CaptureView &view) {
    LoadedPicture out;
    bool first = true;
    for (const std::string &src : candidates) {
        if (classifyPictureSource(src).kind == PictureSource::Kind::None) {
            continue;
        }
        bool fromCache = false;
        auto image = loadOne(what, src, folder, view, fromCache);
        if (image) {
            out.image = std::move(image.value());
            out.source = src;
            out.fallbackUsed = !first;
            out.fromCache = fromCache;
            if (out.fallbackUsed && !out.notes.empty()) {
                out.notes.back() += "; fallback used";
            }
            return out;
        }
        out.notes.push_back(image.message());
        first = false;
    }
    if (!out.notes.empty()) {
        out.notes.back() += "; no picture: the element is left out";
    }
    return out;
}

Result<Image> PictureLoader::loadOne(const std::string &what, const std::string &src,
                                     const std::filesystem::path &folder, const CaptureView &view,
                                     bool &fromCache) {
    const PictureSource source = classifyPictureSource(src);
    const std::string name = what + " " + source.location;
    switch (source.kind) {
    case PictureSource::Kind::None:
        return makeError(what + ": empty");
    case PictureSource::Kind::Refused:
        return makeError(what + " " + src + ": " + source.why);
    case PictureSource::Kind::Capture:
        return loadCapture(what, source.location, view, fromCache);
    case PictureSource::Kind::Local: {
        auto bytes = readLocalPicture(folder, source.location, options_.maxFileBytes);
        if (!bytes) {
            return makeError(what + " " + bytes.message());
        }
        return decodePicture(*bytes, name, {}, options_.decode);
    }
    case PictureSource::Kind::Http:
        break;
    }
    if (auto cached = cache_.lookup(source.location)) {
        auto image = decodePicture(cached->bytes, name, cached->contentType, options_.decode);
        if (image) {
            fromCache = true;
            return image;
        }
    }
    if (!options_.network) {
        return makeError(name + ": not fetched yet (cuecard render or the OBS source fetches it "
                                "into the picture cache while online)");
    }
    auto fetched = fetchUrl(source.location, options_.fetch);
    if (!fetched) {
        return makeError(what + " " + fetched.message());
    }
    auto image = decodePicture(fetched->body, name, fetched->contentType, options_.decode);
    if (image) {
        // Only a picture that decodes is kept: an error page is fetched again next time.
        (void)cache_.store(source.location, fetched->body, fetched->contentType);
    }
    return image;
}

} // namespace cuecard

namespace cuecard {

Result<Image> PictureLoader::loadCapture(const std::string &what, const std::string &url,
                                         const CaptureView &view, bool &fromCache) {
    const std::string name = what + " capture:" + url;
    const std::string key = captureCacheKey(url, view);
    if (auto cached = cache_.lookup(key)) {
        auto image = decodePicture(cached->bytes, name, "image/png", options_.decode);
        if (image) {
            fromCache = true;
            return image;
        }
    }
    if (!options_.network) {
        return makeError(name + ": not captured yet (cuecard prepare or the OBS source captures "
                                "it into the picture cache while online)");
    }
    auto png = capturePage(url, view, options_.capture);
    if (!png) {
        return makeError(what + " " + png.message());
    }
    auto image = decodePicture(*png, name, "image/png", options_.decode);
    if (image) {
        (void)cache_.store(key, *png, "image/png");
    }
    return image;
}

} // namespace cuecard
