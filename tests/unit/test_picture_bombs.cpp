// SPDX-License-Identifier: GPL-2.0-or-later
// Decompression bombs that pass the per-side limit (32,768 px) and are caught by the pixel
// count alone (40 megapixels): a real 20,000 × 20,000 PNG of a few hundred KB, a JPEG and a
// WebP whose headers claim as much, each refused before a pixel is decoded, and the process's
// peak memory stays where it was; a JPEG cut short is a note, not a crash.

#include "core/picture/picture_decode.hpp"

#include <doctest/doctest.h>
#include <turbojpeg.h>
#include <webp/encode.h>
#include <zlib.h>

#include <cstdint>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace cuecard;

namespace {

void put32(std::string &out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((v >> shift) & 0xff));
    }
}

void chunk(std::string &png, const char *type, const std::string &data) {
    put32(png, static_cast<std::uint32_t>(data.size()));
    const std::string typed = std::string(type, 4) + data;
    png += typed;
    put32(png, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef *>(typed.data()),
                                                static_cast<uInt>(typed.size()))));
}

/// A whole, valid w × h grey PNG of zeros, compressed as it is made (never w × h in memory).
std::string zeroPng(std::uint32_t w, std::uint32_t h) {
    std::string png = "\x89PNG\r\n\x1a\n";
    std::string ihdr;
    put32(ihdr, w);
    put32(ihdr, h);
    ihdr += std::string("\x08\x00\x00\x00\x00", 5); // 8-bit grey, no interlace
    chunk(png, "IHDR", ihdr);
    z_stream z{};
    REQUIRE(deflateInit(&z, 9) == Z_OK);
    std::vector<unsigned char> row(w + 1, 0); // filter byte 0, then the row
    std::string idat;
    std::vector<unsigned char> out(1 << 16);
    for (std::uint32_t y = 0; y <= h; ++y) {
        const bool last = y == h;
        z.next_in = last ? nullptr : row.data();
        z.avail_in = last ? 0 : static_cast<uInt>(row.size());
        do {
            z.next_out = out.data();
            z.avail_out = static_cast<uInt>(out.size());
            deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
            idat.append(reinterpret_cast<char *>(out.data()), out.size() - z.avail_out);
        } while (z.avail_out == 0 || (last && z.avail_in != 0));
    }
    deflateEnd(&z);
    chunk(png, "IDAT", idat);
    chunk(png, "IEND", "");
    return png;
}

long peakKb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

std::string smallJpeg() {
    std::vector<unsigned char> px(16 * 8 * 4, 200);
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = nullptr;
    unsigned long size = 0;
    REQUIRE(tjCompress2(tj, px.data(), 16, 64, 8, TJPF_RGBA, &jpeg, &size, TJSAMP_444, 90, 0) == 0);
    std::string out(reinterpret_cast<char *>(jpeg), size);
    tjFree(jpeg);
    tjDestroy(tj);
    return out;
}

} // namespace

TEST_CASE("picture bombs: a 20,000 × 20,000 PNG of a few hundred KB is refused by its pixel "
          "count, and memory stays where it was") {
    const std::string bomb = zeroPng(20000, 20000);
    CAPTURE(bomb.size());
    CHECK(bomb.size() < 2 * 1024 * 1024);
    const long before = peakKb();
    auto r = decodePicture(bomb, "logo");
    const long grownMb = (peakKb() - before) / 1024;
    REQUIRE_FALSE(r.ok());
    CHECK(r.message().find("20000×20000 pixels is over the limit of 40 megapixels") !=
          std::string::npos);
    CHECK_MESSAGE(grownMb < 200, "peak memory grew by " << grownMb << " MB");
    // The same PNG at the limit's side of it decodes: the check is the pixel count, not a
    // refusal of large files.
    auto fine = decodePicture(zeroPng(4000, 3000), "logo");
    INFO((fine.ok() ? std::string() : fine.message()));
    CHECK(fine.ok());
}

TEST_CASE("picture bombs: a JPEG and a WebP whose headers claim 20,000 × 20,000 and 16,384 × "
          "16,384 are refused before decoding; a JPEG cut short is a note") {
    // JPEG: the frame header (SOF0, FFC0) of a real 16 × 8 JPEG says 20000 × 20000.
    std::string jpeg = smallJpeg();
    const auto sof = jpeg.find("\xff\xc0");
    REQUIRE(sof != std::string::npos);
    jpeg[sof + 5] = static_cast<char>(20000 >> 8); // height
    jpeg[sof + 6] = static_cast<char>(20000 & 0xff);
    jpeg[sof + 7] = static_cast<char>(20000 >> 8); // width
    jpeg[sof + 8] = static_cast<char>(20000 & 0xff);
    long before = peakKb();
    auto j = decodePicture(jpeg, "photo");
    REQUIRE_FALSE(j.ok());
    CHECK(j.message().find("over the limit of 40 megapixels") != std::string::npos);
    CHECK((peakKb() - before) / 1024 < 200);

    // WebP lossless: its VP8L header holds width-1 and height-1 in 14 bits each.
    std::vector<unsigned char> px(4 * 4 * 4, 255);
    std::uint8_t *out = nullptr;
    const std::size_t size = WebPEncodeLosslessRGBA(px.data(), 4, 4, 16, &out);
    REQUIRE(size > 25);
    std::string webp(reinterpret_cast<char *>(out), size);
    WebPFree(out);
    const auto vp8l = webp.find("VP8L");
    REQUIRE(vp8l != std::string::npos);
    const std::size_t bits = vp8l + 9; // after the chunk header and the 0x2f signature
    const std::uint32_t side = 16384 - 1;
    std::uint32_t header =
        static_cast<std::uint8_t>(webp[bits]) |
        (static_cast<std::uint32_t>(static_cast<std::uint8_t>(webp[bits + 1])) << 8) |
        (static_cast<std::uint32_t>(static_cast<std::uint8_t>(webp[bits + 2])) << 16) |
        (static_cast<std::uint32_t>(static_cast<std::uint8_t>(webp[bits + 3])) << 24);
    header = (header & ~0x0fffffffu) | side | (side << 14);
    for (int k = 0; k < 4; ++k) {
        webp[bits + static_cast<std::size_t>(k)] = static_cast<char>((header >> (8 * k)) & 0xff);
    }
    before = peakKb();
    auto w = decodePicture(webp, "logo");
    REQUIRE_FALSE(w.ok());
    CHECK(w.message().find("16384×16384 pixels is over the limit") != std::string::npos);
    CHECK((peakKb() - before) / 1024 < 200);

    // A JPEG cut in the middle of its data: a note naming it, never a crash or a half picture
    // passed off as whole.
    const std::string whole = smallJpeg();
    auto cut = decodePicture(whole.substr(0, whole.size() / 2), "photo");
    REQUIRE_FALSE(cut.ok());
    CHECK(cut.message().find("photo") == 0);
}
