// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/util/png_io.hpp"

#include <png.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

namespace cuecard {
namespace {

struct FileCloser {
    void operator()(std::FILE *f) const {
        if (f != nullptr) {
            std::fclose(f);
        }
    }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

} // namespace

Status writePng(const Image &image, const std::filesystem::path &path, bool overwrite) {
    // "wx" fails when the file exists: an existing file is never overwritten by accident.
    FilePtr file(std::fopen(path.c_str(), overwrite ? "wb" : "wbx"));
    if (!file) {
        std::error_code ec;
        if (!overwrite && std::filesystem::exists(path, ec)) {
            return makeError(path.string() + " already exists; it was not overwritten");
        }
        return makeError(path.string() + " cannot be written (check the folder exists and is "
                                         "writable)");
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (png == nullptr || info == nullptr) {
        png_destroy_write_struct(&png, &info);
        return makeError("libpng could not start (out of memory?)");
    }
    std::vector<std::uint8_t> straight(image.pixels.size());
    for (std::size_t i = 0; i + 3 < image.pixels.size(); i += 4) {
        const unsigned a = image.pixels[i + 3];
        for (int c = 0; c < 3; ++c) {
            const unsigned v = image.pixels[i + static_cast<std::size_t>(c)];
            straight[i + static_cast<std::size_t>(c)] =
                a == 0 ? 0 : static_cast<std::uint8_t>(std::min(255u, (v * 255 + a / 2) / a));
        }
        straight[i + 3] = static_cast<std::uint8_t>(a);
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return makeError(path.string() + ": writing the PNG failed (disk full?)");
    }
    png_init_io(png, file.get());
    png_set_IHDR(png, info, static_cast<png_uint_32>(image.width),
                 static_cast<png_uint_32>(image.height), 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 3);
    png_write_info(png, info);
    for (int y = 0; y < image.height; ++y) {
        png_write_row(png, straight.data() + static_cast<std::size_t>(y) * image.width * 4);
    }
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    if (std::fflush(file.get()) != 0) {
        return makeError(path.string() + ": writing the PNG failed (disk full?)");
    }
    return Status::success();
}

Result<Image> readPng(const std::filesystem::path &path) {
    png_image img{};
    img.version = PNG_IMAGE_VERSION;
    if (png_image_begin_read_from_file(&img, path.c_str()) == 0) {
        return makeError(path.string() + ": not a readable PNG");
    }
    img.format = PNG_FORMAT_RGBA;
    Image out(static_cast<int>(img.width), static_cast<int>(img.height));
    if (png_image_finish_read(&img, nullptr, out.pixels.data(), 0, nullptr) == 0) {
        png_image_free(&img);
        return makeError(path.string() + ": the PNG is damaged");
    }
    for (std::size_t i = 0; i + 3 < out.pixels.size(); i += 4) {
        const unsigned a = out.pixels[i + 3];
        for (int c = 0; c < 3; ++c) {
            out.pixels[i + static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(
                (out.pixels[i + static_cast<std::size_t>(c)] * a + 127) / 255);
        }
    }
    return out;
}

} // namespace cuecard
