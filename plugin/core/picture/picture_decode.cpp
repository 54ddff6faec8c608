// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/picture/picture_decode.hpp"

#include <cairo.h>
#include <gif_lib.h>
#include <librsvg/rsvg.h>
#include <png.h>
#include <turbojpeg.h>
#include <webp/decode.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

namespace cuecard {
namespace {

void premultiply(Image &img) {
    for (std::size_t i = 0; i + 3 < img.pixels.size(); i += 4) {
        const unsigned a = img.pixels[i + 3];
        if (a == 255) {
            continue;
        }
        for (int c = 0; c < 3; ++c) {
            img.pixels[i + static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(
                (img.pixels[i + static_cast<std::size_t>(c)] * a + 127) / 255);
        }
    }
}

Error tooLarge(const std::string &what, std::uint64_t w, std::uint64_t h,
               const DecodeLimits &limits) {
    return makeError(what + ": " + std::to_string(w) + "×" + std::to_string(h) +
                     " pixels is over the limit of " +
                     std::to_string(limits.maxPixels / 1'000'000) + " megapixels; not decoded");
}

bool overBudget(std::uint64_t w, std::uint64_t h, const DecodeLimits &limits) {
    return w == 0 || h == 0 || w * h > limits.maxPixels || w > 32768 || h > 32768;
}

Result<Image> decodePng(std::string_view bytes, const std::string &what,
                        const DecodeLimits &limits) {
    png_image png{};
    png.version = PNG_IMAGE_VERSION;
    if (png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()) == 0) {
        const std::string why = png.message;
        png_image_free(&png);
        return makeError(what + ": a damaged or cut-off PNG (" + why + ")");
    }
    if (overBudget(png.width, png.height, limits)) {
        png_image_free(&png);
        return tooLarge(what, png.width, png.height, limits);
    }
    png.format = PNG_FORMAT_RGBA;
    Image img(static_cast<int>(png.width), static_cast<int>(png.height));
    if (png_image_finish_read(&png, nullptr, img.pixels.data(), 0, nullptr) == 0) {
        const std::string why = png.message;
        png_image_free(&png);
        return makeError(what + ": a damaged or cut-off PNG (" + why + ")");
    }
    premultiply(img);
    return img;
}

Result<Image> decodeJpeg(std::string_view bytes, const std::string &what,
                         const DecodeLimits &limits) {
    std::unique_ptr<void, decltype(&tjDestroy)> tj(tjInitDecompress(), &tjDestroy);
    if (!tj) {
        return makeError(what + ": the JPEG decoder could not start");
    }
    int w = 0;
    int h = 0;
    int subsampling = 0;
    int colorspace = 0;
    auto *data = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto size = static_cast<unsigned long>(bytes.size());
    if (tjDecompressHeader3(tj.get(), data, size, &w, &h, &subsampling, &colorspace) != 0) {
        return makeError(what + ": a damaged JPEG (" + tjGetErrorStr2(tj.get()) + ")");
    }
    if (overBudget(static_cast<std::uint64_t>(w), static_cast<std::uint64_t>(h), limits)) {
        return tooLarge(what, static_cast<std::uint64_t>(w), static_cast<std::uint64_t>(h), limits);
    }
    Image img(w, h);
    if (tjDecompress2(tj.get(), data, size, img.pixels.data(), w, w * 4, h, TJPF_RGBA, 0) != 0 &&
        tjGetErrorCode(tj.get()) == TJERR_FATAL) {
        return makeError(what + ": a damaged or cut-off JPEG (" + tjGetErrorStr2(tj.get()) + ")");
    }
    return img; // JPEG is opaque: already premultiplied
}

Result<Image> decodeWebP(std::string_view bytes, const std::string &what,
                         const DecodeLimits &limits) {
    auto *data = reinterpret_cast<const std::uint8_t *>(bytes.data());
    int w = 0;
    int h = 0;
    if (WebPGetInfo(data, bytes.size(), &w, &h) == 0) {
        return makeError(what + ": a damaged WebP");
    }
    if (overBudget(static_cast<std::uint64_t>(w), static_cast<std::uint64_t>(h), limits)) {
        return tooLarge(what, static_cast<std::uint64_t>(w), static_cast<std::uint64_t>(h), limits);
    }
    Image img(w, h);
    if (WebPDecodeRGBAInto(data, bytes.size(), img.pixels.data(), img.pixels.size(), w * 4) ==
        nullptr) {
        return makeError(what + ": a damaged or cut-off WebP");
    }
    premultiply(img);
    return img;
}

struct GifReader {
    std::string_view bytes;
    std::size_t at = 0;
};

int readGif(GifFileType *gif, GifByteType *out, int n) {
    auto *r = static_cast<GifReader *>(gif->UserData);
    const std::size_t take = std::min(static_cast<std::size_t>(n), r->bytes.size() - r->at);
    std::memcpy(out, r->bytes.data() + r->at, take);
    r->at += take;
    return static_cast<int>(take);
}

/// The first frame only, line by line (DGifSlurp would decode every frame: a bomb).
Result<Image> decodeGif(std::string_view bytes, const std::string &what,
                        const DecodeLimits &limits) {
    GifReader reader{bytes, 0};
    int error = 0;
    GifFileType *gif = DGifOpen(&reader, &readGif, &error);
    if (gif == nullptr) {
        return makeError(what + ": a damaged GIF (" + GifErrorString(error) + ")");
    }
    const auto close = [&] { DGifCloseFile(gif, &error); };
    const auto sw = static_cast<std::uint64_t>(std::max(0, gif->SWidth));
    const auto sh = static_cast<std::uint64_t>(std::max(0, gif->SHeight));
    if (overBudget(sw, sh, limits)) {
        close();
        return tooLarge(what, sw, sh, limits);
    }
    Image img(static_cast<int>(sw), static_cast<int>(sh)); // transparent
    int transparent = -1;
    for (;;) {
        GifRecordType type = UNDEFINED_RECORD_TYPE;
        if (DGifGetRecordType(gif, &type) == GIF_ERROR) {
            close();
            return makeError(what + ": a damaged or cut-off GIF");
        }
        if (type == TERMINATE_RECORD_TYPE) {
            close();
            return makeError(what + ": a GIF without any frame");
        }
        if (type == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType *ext = nullptr;
            if (DGifGetExtension(gif, &code, &ext) == GIF_ERROR) {
                close();
                return makeError(what + ": a damaged GIF extension");
            }
            if (code == GRAPHICS_EXT_FUNC_CODE && ext != nullptr && ext[0] >= 4 &&
                (ext[1] & 1) != 0) {
                transparent = ext[4];
            }
            while (ext != nullptr) {
                if (DGifGetExtensionNext(gif, &ext) == GIF_ERROR) {
                    close();
                    return makeError(what + ": a damaged GIF extension");
                }
            }
            continue;
        }
        if (type != IMAGE_DESC_RECORD_TYPE) {
            continue;
        }
        if (DGifGetImageDesc(gif) == GIF_ERROR) {
            close();
            return makeError(what + ": a damaged GIF frame");
        }
        const GifImageDesc &d = gif->Image;
        const ColorMapObject *map = d.ColorMap != nullptr ? d.ColorMap : gif->SColorMap;
        if (map == nullptr || d.Width <= 0 || d.Height <= 0 ||
            static_cast<std::uint64_t>(d.Left + d.Width) > sw ||
            static_cast<std::uint64_t>(d.Top + d.Height) > sh) {
            close();
            return makeError(what + ": a GIF frame outside its picture or without colours");
        }
        std::vector<GifPixelType> line(static_cast<std::size_t>(d.Width));
        // Interlaced frames come in four passes.
        const int starts[4] = {0, 4, 2, 1};
        const int steps[4] = {8, 8, 4, 2};
        const int passes = d.Interlace ? 4 : 1;
        for (int pass = 0; pass < passes; ++pass) {
            const int start = d.Interlace ? starts[pass] : 0;
            const int step = d.Interlace ? steps[pass] : 1;
            for (int y = start; y < d.Height; y += step) {
                if (DGifGetLine(gif, line.data(), d.Width) == GIF_ERROR) {
                    close();
                    return makeError(what + ": a cut-off GIF frame");
                }
                for (int x = 0; x < d.Width; ++x) {
                    const int index = line[static_cast<std::size_t>(x)];
                    if (index == transparent || index >= map->ColorCount) {
                        continue;
                    }
                    const GifColorType &c = map->Colors[index];
                    std::uint8_t *p = img.at(d.Left + x, d.Top + y);
                    p[0] = c.Red;
                    p[1] = c.Green;
                    p[2] = c.Blue;
                    p[3] = 255;
                }
            }
        }
        close();
        return img;
    }
}

Result<Image> decodeSvg(std::string_view bytes, const std::string &what,
                        const DecodeLimits &limits) {
    GError *error = nullptr;
    // No base file: librsvg then has nothing to resolve an external reference against, and it
    // never loads one (nor external XML entities).
    RsvgHandle *handle = rsvg_handle_new_from_data(reinterpret_cast<const guint8 *>(bytes.data()),
                                                   bytes.size(), &error);
    if (handle == nullptr) {
        std::string why = error != nullptr ? error->message : "unknown error";
        if (error != nullptr) {
            g_error_free(error);
        }
        return makeError(what + ": a damaged SVG (" + why + ")");
    }
    const auto unref = [&] { g_object_unref(handle); };
    double w = 0;
    double h = 0;
    if (rsvg_handle_get_intrinsic_size_in_pixels(handle, &w, &h) == FALSE || w <= 0 || h <= 0) {
        w = limits.svgDefaultSize;
        h = limits.svgDefaultSize;
    }
    const auto iw = static_cast<std::uint64_t>(std::ceil(w));
    const auto ih = static_cast<std::uint64_t>(std::ceil(h));
    if (overBudget(iw, ih, limits)) {
        unref();
        return tooLarge(what, iw, ih, limits);
    }
    cairo_surface_t *surface =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, static_cast<int>(iw), static_cast<int>(ih));
    cairo_t *cr = cairo_create(surface);
    RsvgRectangle viewport{0, 0, static_cast<double>(iw), static_cast<double>(ih)};
    const gboolean ok = rsvg_handle_render_document(handle, cr, &viewport, &error);
    cairo_destroy(cr);
    unref();
    if (ok == FALSE) {
        std::string why = error != nullptr ? error->message : "unknown error";
        if (error != nullptr) {
            g_error_free(error);
        }
        cairo_surface_destroy(surface);
        return makeError(what + ": the SVG cannot be drawn (" + why + ")");
    }
    cairo_surface_flush(surface);
    Image img(static_cast<int>(iw), static_cast<int>(ih));
    const unsigned char *src = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; y < img.height; ++y) {
        const auto *row = reinterpret_cast<const std::uint32_t *>(src + y * stride);
        std::uint8_t *out = img.row(y);
        for (int x = 0; x < img.width; ++x) {
            const std::uint32_t px = row[x]; // premultiplied ARGB in native endianness
            out[x * 4 + 0] = static_cast<std::uint8_t>(px >> 16);
            out[x * 4 + 1] = static_cast<std::uint8_t>(px >> 8);
            out[x * 4 + 2] = static_cast<std::uint8_t>(px);
            out[x * 4 + 3] = static_cast<std::uint8_t>(px >> 24);
        }
    }
    cairo_surface_destroy(surface);
    return img;
}

} // namespace

PictureFormat sniffPictureFormat(std::string_view b) {
    if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) {
        return PictureFormat::Png;
    }
    if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") {
        return PictureFormat::Jpeg;
    }
    if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") {
        return PictureFormat::WebP;
    }
    if (b.size() >= 6 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a")) {
        return PictureFormat::Gif;
    }
    // SVG: XML whose root is <svg> (after a BOM, spaces, a declaration, comments, a doctype).
    std::string_view s = b.substr(0, 4096);
    if (s.substr(0, 3) == "\xEF\xBB\xBF") {
        s.remove_prefix(3);
    }
    const std::size_t first = s.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && s[first] == '<' &&
        s.find("<svg") != std::string_view::npos) {
        return PictureFormat::Svg;
    }
    return PictureFormat::Unknown;
}

Result<Image> decodePicture(std::string_view bytes, const std::string &what,
                            const std::string &contentType, const DecodeLimits &limits) {
    switch (sniffPictureFormat(bytes)) {
    case PictureFormat::Png:
        return decodePng(bytes, what, limits);
    case PictureFormat::Jpeg:
        return decodeJpeg(bytes, what, limits);
    case PictureFormat::WebP:
        return decodeWebP(bytes, what, limits);
    case PictureFormat::Gif:
        return decodeGif(bytes, what, limits);
    case PictureFormat::Svg:
        return decodeSvg(bytes, what, limits);
    case PictureFormat::Unknown:
        break;
    }
    if (bytes.empty()) {
        return makeError(what + ": empty");
    }
    return makeError(
        what + ": not a picture (PNG, JPEG, WebP, GIF or SVG)" +
        (contentType.empty() ? std::string() : "; the server said it is " + contentType));
}

} // namespace cuecard
