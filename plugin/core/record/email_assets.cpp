// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/record/email_assets.hpp"
// Over 400 lines: the three assets of a file (poster JPEG, animated GIF under a byte budget,
// HTML snippet) share one FFmpeg decode of the recording and its frame helpers.

#include "core/util/atomic_file.hpp"
#include "core/util/web_text.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <vector>

namespace cuecard {
namespace fs = std::filesystem;

namespace {

std::string avError(int code) {
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, buf, sizeof buf);
    return buf;
}

struct FrameDeleter {
    void operator()(AVFrame *f) const { av_frame_free(&f); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;

FramePtr newFrame(AVPixelFormat format, int width, int height) {
    FramePtr f(av_frame_alloc());
    f->format = format;
    f->width = width;
    f->height = height;
    if (av_frame_get_buffer(f.get(), 0) < 0) {
        return nullptr;
    }
    return f;
}

/// RGB24 frames of the clip at one size, with their time in the recording.
struct Clip {
    int width = 0;
    int height = 0;
    std::vector<std::vector<std::uint8_t>> frames; ///< width * height * 3 bytes each
    std::vector<double> times;
};

struct Decoded {
    Image poster; ///< RGBA at the poster's width
    double posterAt = 0.0;
    Clip clip; ///< the GIF's frames at its widest
};

int evenHeight(int width, int srcWidth, int srcHeight) {
    const int h = static_cast<int>(std::lround(static_cast<double>(width) * srcHeight / srcWidth));
    return std::max(2, h + (h & 1));
}

/// Decodes the recording from the start to `from + seconds`: the first frame at or after
/// `from` is the poster, the frames from it on are the clip.
Result<Decoded> decode(const fs::path &file, double from, double seconds, int posterWidth,
                       int gifWidth) {
    AVFormatContext *fmt = nullptr;
    if (int r = avformat_open_input(&fmt, file.c_str(), nullptr, nullptr); r < 0) {
        return makeError(file.filename().string() + " cannot be opened (" + avError(r) + ")");
    }
    std::unique_ptr<AVFormatContext, void (*)(AVFormatContext *)> fmtGuard(
        fmt, [](AVFormatContext *f) { avformat_close_input(&f); });
    (void)avformat_find_stream_info(fmt, nullptr);
    const AVCodec *codec = nullptr;
    const int index = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (index < 0 || codec == nullptr) {
        return makeError(file.filename().string() + " has no video to make a poster from");
    }
    AVCodecContext *dec = avcodec_alloc_context3(codec);
    std::unique_ptr<AVCodecContext, void (*)(AVCodecContext *)> decGuard(
        dec, [](AVCodecContext *c) { avcodec_free_context(&c); });
    avcodec_parameters_to_context(dec, fmt->streams[index]->codecpar);
    dec->thread_count = 2;
    if (int r = avcodec_open2(dec, codec, nullptr); r < 0) {
        return makeError(file.filename().string() + ": its video cannot be decoded (" + avError(r) +
                         ")");
    }
    const AVStream *stream = fmt->streams[index];
    const double timeBase = av_q2d(stream->time_base);
    const std::int64_t start = stream->start_time == AV_NOPTS_VALUE ? 0 : stream->start_time;

    Decoded out;
    SwsContext *toPoster = nullptr;
    SwsContext *toClip = nullptr;
    std::optional<Image> last; ///< the latest frame at the poster's size (a very short file)
    double lastTime = 0.0;
    bool havePoster = false;
    bool done = false;
    AVPacket *packet = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    const auto take = [&]() {
        const std::int64_t pts =
            frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : 0;
        const double t = static_cast<double>(pts - start) * timeBase;
        const int pw = posterWidth;
        const int ph = evenHeight(pw, frame->width, frame->height);
        const auto format = static_cast<AVPixelFormat>(frame->format);
        if (!havePoster || t < from + seconds - 1e-6) {
            toPoster =
                sws_getCachedContext(toPoster, frame->width, frame->height, format, pw, ph,
                                     AV_PIX_FMT_RGBA, SWS_BICUBIC, nullptr, nullptr, nullptr);
        }
        if (!havePoster) {
            Image img(pw, ph);
            std::uint8_t *dst[1] = {img.pixels.data()};
            const int stride[1] = {pw * 4};
            sws_scale(toPoster, frame->data, frame->linesize, 0, frame->height, dst, stride);
            if (t >= from - 1e-6) {
                out.poster = std::move(img);
                out.posterAt = t;
                havePoster = true;
            } else {
                last = std::move(img);
                lastTime = t;
            }
        }
        if (havePoster && t < from + seconds - 1e-6) {
            const int gw = gifWidth;
            const int gh = evenHeight(gw, frame->width, frame->height);
            toClip = sws_getCachedContext(toClip, frame->width, frame->height, format, gw, gh,
                                          AV_PIX_FMT_RGB24, SWS_LANCZOS, nullptr, nullptr, nullptr);
            std::vector<std::uint8_t> rgb(static_cast<std::size_t>(gw) * gh * 3);
            std::uint8_t *dst[1] = {rgb.data()};
            const int stride[1] = {gw * 3};
            sws_scale(toClip, frame->data, frame->linesize, 0, frame->height, dst, stride);
            out.clip.width = gw;
            out.clip.height = gh;
            out.clip.frames.push_back(std::move(rgb));
            out.clip.times.push_back(t);
        } else if (havePoster) {
            done = true;
        }
    };
    bool eof = false;
    while (!done) {
        const int got = avcodec_receive_frame(dec, frame);
        if (got == 0) {
            take();
            av_frame_unref(frame);
            continue;
        }
        if (got == AVERROR_EOF || (got != AVERROR(EAGAIN) && eof)) {
            break;
        }
        if (eof) {
            break;
        }
        if (av_read_frame(fmt, packet) < 0) {
            eof = true;
            avcodec_send_packet(dec, nullptr);
            continue;
        }
        if (packet->stream_index == index) {
            avcodec_send_packet(dec, packet);
        }
        av_packet_unref(packet);
    }
    av_packet_free(&packet);
    av_frame_free(&frame);
    sws_freeContext(toPoster);
    sws_freeContext(toClip);
    if (!havePoster) {
        if (!last) {
            return makeError(file.filename().string() + " has no frame that can be decoded");
        }
        // Shorter than the in-animation: its last frame.
        out.poster = std::move(*last);
        out.posterAt = lastTime;
    }
    return out;
}

/// JPEG of an RGBA image (alpha ignored) through libavcodec's mjpeg encoder.
Result<std::string> encodeJpeg(const Image &image) {
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (codec == nullptr) {
        return makeError("this FFmpeg has no JPEG encoder");
    }
    AVCodecContext *enc = avcodec_alloc_context3(codec);
    std::unique_ptr<AVCodecContext, void (*)(AVCodecContext *)> guard(
        enc, [](AVCodecContext *c) { avcodec_free_context(&c); });
    enc->width = image.width;
    enc->height = image.height;
    enc->pix_fmt = AV_PIX_FMT_YUVJ420P;
    enc->time_base = AVRational{1, 25};
    enc->color_range = AVCOL_RANGE_JPEG;
    enc->flags |= AV_CODEC_FLAG_QSCALE;
    enc->global_quality = FF_QP2LAMBDA * 3;
    if (int r = avcodec_open2(enc, codec, nullptr); r < 0) {
        return makeError("the JPEG encoder did not open (" + avError(r) + ")");
    }
    FramePtr yuv = newFrame(AV_PIX_FMT_YUVJ420P, image.width, image.height);
    if (!yuv) {
        return makeError("out of memory for the poster");
    }
    SwsContext *sws =
        sws_getContext(image.width, image.height, AV_PIX_FMT_RGBA, image.width, image.height,
                       AV_PIX_FMT_YUVJ420P, SWS_BICUBIC, nullptr, nullptr, nullptr);
    const std::uint8_t *src[1] = {image.pixels.data()};
    const int stride[1] = {image.width * 4};
    sws_scale(sws, src, stride, 0, image.height, yuv->data, yuv->linesize);
    sws_freeContext(sws);
    yuv->pts = 0;
    yuv->quality = enc->global_quality;
    std::string bytes;
    AVPacket *pkt = av_packet_alloc();
    int r = avcodec_send_frame(enc, yuv.get());
    if (r >= 0) {
        avcodec_send_frame(enc, nullptr);
        while (avcodec_receive_packet(enc, pkt) == 0) {
            bytes.append(reinterpret_cast<const char *>(pkt->data),
                         static_cast<std::size_t>(pkt->size));
            av_packet_unref(pkt);
        }
    }
    av_packet_free(&pkt);
    if (r < 0 || bytes.empty()) {
        return makeError("the poster could not be encoded (" + avError(r) + ")");
    }
    return bytes;
}

struct GifTry {
    int width;
    int fps;
    int colors;
    const char *dither;
};

struct GifOut {
    std::string bytes;
    int width = 0;
    int height = 0;
    int frames = 0;
};

/// One GIF of the clip: its frames at `fps` from the first, scaled to `width`, a palette made
/// for them (palettegen) and applied (paletteuse), encoded and muxed looping.
Result<GifOut> encodeGif(const Clip &clip, double seconds, const GifTry &t) {
    // The frames at fps: for each step, the first clip frame at or after its time.
    const int count = std::max(1, static_cast<int>(std::lround(seconds * t.fps)));
    const double t0 = clip.times.front();
    std::vector<std::size_t> pick;
    std::size_t j = 0;
    for (int k = 0; k < count; ++k) {
        const double want = t0 + static_cast<double>(k) / t.fps;
        while (j + 1 < clip.times.size() && clip.times[j] < want - 1e-6) {
            ++j;
        }
        if (clip.times[j] < want - 1e-6 && k > 0) {
            break; // the recording ends sooner
        }
        pick.push_back(j);
    }
    const int width = std::min(t.width, clip.width);
    const int height = evenHeight(width, clip.width, clip.height);

    AVFilterGraph *graph = avfilter_graph_alloc();
    std::unique_ptr<AVFilterGraph, void (*)(AVFilterGraph *)> graphGuard(
        graph, [](AVFilterGraph *g) { avfilter_graph_free(&g); });
    char args[256];
    std::snprintf(args, sizeof args, "video_size=%dx%d:pix_fmt=%d:time_base=1/%d:pixel_aspect=1/1",
                  clip.width, clip.height, static_cast<int>(AV_PIX_FMT_RGB24), t.fps);
    AVFilterContext *src = nullptr;
    AVFilterContext *sink = nullptr;
    if (int r = avfilter_graph_create_filter(&src, avfilter_get_by_name("buffer"), "in", args,
                                             nullptr, graph);
        r < 0) {
        return makeError("the GIF's filter graph failed (" + avError(r) + ")");
    }
    if (int r = avfilter_graph_create_filter(&sink, avfilter_get_by_name("buffersink"), "out",
                                             nullptr, nullptr, graph);
        r < 0) {
        return makeError("the GIF's filter graph failed (" + avError(r) + ")");
    }
    char desc[512];
    std::snprintf(desc, sizeof desc,
                  "scale=%d:%d:flags=lanczos,split[a][b];"
                  "[a]palettegen=max_colors=%d:stats_mode=full[p];"
                  "[b][p]paletteuse=dither=%s:diff_mode=rectangle",
                  width, height, t.colors, t.dither);
    AVFilterInOut *outputs = avfilter_inout_alloc();
    AVFilterInOut *inputs = avfilter_inout_alloc();
    outputs->name = av_strdup("in");
    outputs->filter_ctx = src;
    outputs->pad_idx = 0;
    outputs->next = nullptr;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = sink;
    inputs->pad_idx = 0;
    inputs->next = nullptr;
    int r = avfilter_graph_parse_ptr(graph, desc, &inputs, &outputs, nullptr);
    avfilter_inout_free(&inputs);
    avfilter_inout_free(&outputs);
    if (r < 0 || (r = avfilter_graph_config(graph, nullptr)) < 0) {
        return makeError("the GIF's filter graph failed (" + avError(r) + ")");
    }

    // The encoder and the muxer, into memory.
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_GIF);
    if (codec == nullptr) {
        return makeError("this FFmpeg has no GIF encoder");
    }
    AVCodecContext *enc = avcodec_alloc_context3(codec);
    std::unique_ptr<AVCodecContext, void (*)(AVCodecContext *)> encGuard(
        enc, [](AVCodecContext *c) { avcodec_free_context(&c); });
    enc->width = width;
    enc->height = height;
    enc->pix_fmt = AV_PIX_FMT_PAL8;
    enc->time_base = AVRational{1, t.fps};
    if (r = avcodec_open2(enc, codec, nullptr); r < 0) {
        return makeError("the GIF encoder did not open (" + avError(r) + ")");
    }
    AVFormatContext *mux = nullptr;
    if (r = avformat_alloc_output_context2(&mux, nullptr, "gif", nullptr); r < 0) {
        return makeError("the GIF muxer is missing (" + avError(r) + ")");
    }
    std::unique_ptr<AVFormatContext, void (*)(AVFormatContext *)> muxGuard(
        mux, [](AVFormatContext *m) {
            if (m->pb != nullptr) {
                std::uint8_t *buf = nullptr;
                avio_close_dyn_buf(m->pb, &buf);
                av_free(buf);
                m->pb = nullptr;
            }
            avformat_free_context(m);
        });
    AVStream *stream = avformat_new_stream(mux, nullptr);
    avcodec_parameters_from_context(stream->codecpar, enc);
    stream->time_base = enc->time_base;
    if (r = avio_open_dyn_buf(&mux->pb); r < 0) {
        return makeError("out of memory for the GIF");
    }
    AVDictionary *opts = nullptr;
    av_dict_set(&opts, "loop", "0", 0); // loop for ever
    r = avformat_write_header(mux, &opts);
    av_dict_free(&opts);
    if (r < 0) {
        return makeError("the GIF could not be started (" + avError(r) + ")");
    }
    AVPacket *pkt = av_packet_alloc();
    std::unique_ptr<AVPacket, void (*)(AVPacket *)> pktGuard(
        pkt, [](AVPacket *p) { av_packet_free(&p); });
    int frames = 0;
    const auto drainEncoder = [&]() -> int {
        int e = 0;
        while ((e = avcodec_receive_packet(enc, pkt)) == 0) {
            av_packet_rescale_ts(pkt, enc->time_base, stream->time_base);
            pkt->stream_index = 0;
            if (int w = av_write_frame(mux, pkt); w < 0) {
                return w;
            }
            av_packet_unref(pkt);
        }
        return e == AVERROR(EAGAIN) || e == AVERROR_EOF ? 0 : e;
    };
    const auto drainGraph = [&]() -> int {
        AVFrame *filtered = av_frame_alloc();
        int e = 0;
        while ((e = av_buffersink_get_frame(sink, filtered)) >= 0) {
            filtered->pict_type = AV_PICTURE_TYPE_NONE;
            e = avcodec_send_frame(enc, filtered);
            av_frame_unref(filtered);
            ++frames;
            if (e < 0 || (e = drainEncoder()) < 0) {
                break;
            }
        }
        av_frame_free(&filtered);
        return e == AVERROR(EAGAIN) || e == AVERROR_EOF ? 0 : e;
    };
    for (std::size_t k = 0; k < pick.size(); ++k) {
        FramePtr in = newFrame(AV_PIX_FMT_RGB24, clip.width, clip.height);
        if (!in) {
            return makeError("out of memory for the GIF");
        }
        const std::vector<std::uint8_t> &rgb = clip.frames[pick[k]];
        for (int y = 0; y < clip.height; ++y) {
            std::copy_n(rgb.data() + static_cast<std::size_t>(y) * clip.width * 3,
                        static_cast<std::size_t>(clip.width) * 3,
                        in->data[0] + static_cast<std::ptrdiff_t>(y) * in->linesize[0]);
        }
        in->pts = static_cast<std::int64_t>(k);
        if (r = av_buffersrc_add_frame(src, in.get()); r < 0) {
            return makeError("the GIF's frames could not be filtered (" + avError(r) + ")");
        }
    }
    // palettegen gives its palette at the end: everything comes out after the last frame.
    if (r = av_buffersrc_add_frame(src, nullptr); r < 0 || (r = drainGraph()) < 0) {
        return makeError("the GIF's frames could not be filtered (" + avError(r) + ")");
    }
    avcodec_send_frame(enc, nullptr);
    if (r = drainEncoder(); r < 0 || (r = av_write_trailer(mux)) < 0) {
        return makeError("the GIF could not be written (" + avError(r) + ")");
    }
    std::uint8_t *buf = nullptr;
    const int size = avio_close_dyn_buf(mux->pb, &buf);
    mux->pb = nullptr;
    GifOut out;
    out.bytes.assign(reinterpret_cast<const char *>(buf), static_cast<std::size_t>(size));
    av_free(buf);
    out.width = width;
    out.height = height;
    out.frames = frames;
    return out;
}

/// Writes a new file (a temporary name, then renamed without replacing anything); the name used.
Result<std::string> writeNew(const fs::path &folder, const std::string &name,
                             const std::string &bytes) {
    const fs::path tmp = folder / ("." + name + ".cuecard-partial");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            std::error_code ec;
            fs::remove(tmp, ec);
            return makeError("cannot write " + (folder / name).string() +
                             " (is the disk full or read-only?)");
        }
    }
    auto moved = renameWithoutReplacing(tmp, folder / name);
    if (!moved) {
        std::error_code ec;
        fs::remove(tmp, ec);
        return makeError(moved.message());
    }
    return moved->filename().string();
}

bool exists(const fs::path &folder, const std::string &name) {
    std::error_code ec;
    return !name.empty() && fs::is_regular_file(folder / name, ec);
}

double cpuSeconds() {
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

} // namespace

AssetNames assetNames(const std::string &recordingFile) {
    const std::string stem = fs::path(recordingFile).stem().string();
    return {stem + "_poster.jpg", stem + "_preview.gif", stem + "_email.html"};
}

void drawPlayButton(Image &image) {
    const double cx = image.width / 2.0;
    const double cy = image.height / 2.0;
    const double radius = std::max(12.0, image.height * 0.11);
    const double ring = std::max(2.0, radius * 0.08);
    // The triangle points right, its centre of mass a little right of the disc's centre.
    const double side = radius * 0.95;
    const double ax = cx - side * 0.35;
    const double bx = cx + side * 0.65;
    const double halfH = side * 0.55;
    const auto insideTriangle = [&](double x, double y) {
        if (x < ax || x > bx) {
            return false;
        }
        const double h = halfH * (bx - x) / (bx - ax);
        return std::abs(y - cy) <= h;
    };
    const int x0 = std::max(0, static_cast<int>(cx - radius - 2));
    const int x1 = std::min(image.width - 1, static_cast<int>(cx + radius + 2));
    const int y0 = std::max(0, static_cast<int>(cy - radius - 2));
    const int y1 = std::min(image.height - 1, static_cast<int>(cy + radius + 2));
    for (int y = y0; y <= y1; ++y) {
        for (int x = x0; x <= x1; ++x) {
            // 4×4 samples per pixel: smooth edges.
            int disc = 0;
            int white = 0;
            for (int sy = 0; sy < 4; ++sy) {
                for (int sx = 0; sx < 4; ++sx) {
                    const double px = x + (sx + 0.5) / 4.0;
                    const double py = y + (sy + 0.5) / 4.0;
                    const double d = std::hypot(px - cx, py - cy);
                    if (d <= radius) {
                        ++disc;
                        if (d >= radius - ring || insideTriangle(px, py)) {
                            ++white;
                        }
                    }
                }
            }
            if (disc == 0) {
                continue;
            }
            std::uint8_t *p = image.at(x, y);
            for (int c = 0; c < 3; ++c) {
                // The disc darkens what is under it to 40 %, white goes on top.
                const double under = p[c];
                const double dark = under * (1.0 - 0.6 * disc / 16.0);
                p[c] = static_cast<std::uint8_t>(std::lround(dark + (255.0 - dark) * white / 16.0));
            }
            p[3] = 255;
        }
    }
}

Result<std::string> videoUrlFor(const std::string &pattern, const ManifestEntry &entry) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern[i] != '{') {
            out += pattern[i++];
            continue;
        }
        const std::size_t close = pattern.find('}', i);
        if (close == std::string::npos) {
            return makeError("video URL \"" + pattern + "\": a { without its }");
        }
        const std::string key = pattern.substr(i + 1, close - i - 1);
        std::string value;
        if (key == "file") {
            value = entry.file;
        } else if (key == "id") {
            value = entry.recipientId;
        } else if (key == "name") {
            value = entry.name;
        } else if (key == "email") {
            value = entry.email;
        } else if (key == "company") {
            value = entry.company;
        } else {
            return makeError("video URL \"" + pattern + "\": {" + key +
                             "} is not known (use {file}, {id}, {name}, {email} or {company})");
        }
        out += urlEncode(value);
        i = close + 1;
    }
    // Only a web address or one relative to the email's folder: never javascript: and the like.
    const std::size_t colon = out.find(':');
    const std::size_t slash = out.find('/');
    if (colon != std::string::npos && (slash == std::string::npos || colon < slash)) {
        const std::string scheme = out.substr(0, colon);
        if (scheme != "http" && scheme != "https") {
            return makeError("video URL \"" + pattern +
                             "\": only http(s) addresses (or a plain "
                             "file name) can be linked");
        }
    }
    return out;
}

std::string emailHtml(const ManifestEntry &entry, const std::string &gifFile, int gifWidth,
                      int gifHeight, const std::string &url) {
    const std::string who = entry.name.empty() ? entry.recipientId : entry.name;
    const std::string first = who.substr(0, who.find(' '));
    const std::string href = htmlEscape(url);
    std::string html;
    html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    html += "<title>A video for " + htmlEscape(who) + "</title>\n</head>\n<body>\n";
    html += "<!-- Cuecard: copy from here into your email. -->\n";
    html += "<p><a href=\"" + href + "\"><img src=\"" + htmlEscape(urlEncode(gifFile)) +
            "\" width=\"" + std::to_string(gifWidth) + "\" height=\"" + std::to_string(gifHeight) +
            "\" alt=\"A video for " + htmlEscape(who) +
            " (click to play)\" style=\"display:block;border:0;max-width:100%;height:auto\">"
            "</a></p>\n";
    html += "<p><a href=\"" + href + "\">&#9654; Watch the video I made for you, " +
            htmlEscape(first) + "</a></p>\n";
    html += "<!-- Cuecard: to here. -->\n</body>\n</html>\n";
    return html;
}

bool hasEmailAssets(const fs::path &folder, const ManifestEntry &entry) {
    return exists(folder, entry.poster) && exists(folder, entry.previewGif) &&
           exists(folder, entry.emailHtml);
}

Result<EmailAssets> buildEmailAssets(const fs::path &folder, ManifestEntry &entry,
                                     const AssetOptions &options) {
    const double cpuStart = cpuSeconds();
    if (options.gifFps < 10 || options.gifFps > 15) {
        return makeError("the preview's frame rate must be 10 to 15");
    }
    if (options.gifMaxKb < 50) {
        return makeError("a GIF budget under 50 KB cannot hold a preview");
    }
    auto url = videoUrlFor(options.videoUrl, entry);
    if (!url) {
        return makeError(url.message());
    }
    EmailAssets out;
    const AssetNames wanted = assetNames(entry.file);
    // What is already there (a previous run, a kill after some of the three) is kept.
    out.names.poster = exists(folder, entry.poster)    ? entry.poster
                       : exists(folder, wanted.poster) ? wanted.poster
                                                       : "";
    out.names.gif = exists(folder, entry.previewGif) ? entry.previewGif
                    : exists(folder, wanted.gif)     ? wanted.gif
                                                     : "";
    out.names.html = exists(folder, entry.emailHtml) ? entry.emailHtml
                     : exists(folder, wanted.html)   ? wanted.html
                                                     : "";
    const bool needVideo = out.names.poster.empty() || out.names.gif.empty();
    if (needVideo) {
        auto decoded = decode(folder / entry.file, entry.overlayAt, options.gifSeconds,
                              options.posterWidth, options.gifWidth);
        if (!decoded) {
            return makeError(decoded.message());
        }
        out.posterAt = decoded->posterAt;
        if (out.names.poster.empty()) {
            drawPlayButton(decoded->poster);
            out.thumbnail = downscale(
                decoded->poster, 256,
                std::max(1, decoded->poster.height * 256 / std::max(1, decoded->poster.width)));
            auto jpeg = encodeJpeg(decoded->poster);
            if (!jpeg) {
                return makeError(entry.file + ": poster: " + jpeg.message());
            }
            auto written = writeNew(folder, wanted.poster, *jpeg);
            if (!written) {
                return makeError(written.message());
            }
            out.names.poster = *written;
            ++out.built;
        }
        if (out.names.gif.empty()) {
            if (decoded->clip.frames.empty()) {
                return makeError(entry.file + ": no frames for the preview");
            }
            // Smaller until it fits: colours, then width, then the frame rate (never under 10).
            const int w = options.gifWidth;
            const int f = options.gifFps;
            const GifTry tries[] = {
                {w, f, 256, "sierra2_4a"},    {w, f, 128, "bayer"},
                {w * 4 / 5, f, 128, "bayer"}, {w * 4 / 5, 10, 64, "none"},
                {w * 2 / 3, 10, 64, "none"},  {w / 2, 10, 32, "none"},
                {w * 2 / 5, 10, 16, "none"},  {w / 3, 10, 8, "none"},
                {w / 4, 10, 4, "none"},
            };
            const std::int64_t budget = static_cast<std::int64_t>(options.gifMaxKb) * 1024;
            std::optional<GifOut> fit;
            std::int64_t smallest = 0;
            // Bytes per (pixel × frame × bit of colour) of the last try: a try that would still
            // be well over the budget is skipped (noise costs seconds per try).
            double rate = 0.0;
            const std::size_t last = std::size(tries) - 1;
            for (std::size_t n = 0; n <= last && !fit; ++n) {
                const GifTry &t = tries[n];
                const double cost = static_cast<double>(t.width) * t.width * 9 / 16 * t.fps *
                                    std::log2(static_cast<double>(t.colors));
                if (rate > 0.0 && n < last && rate * cost > 1.3 * static_cast<double>(budget)) {
                    continue;
                }
                auto gif = encodeGif(decoded->clip, options.gifSeconds, t);
                if (!gif) {
                    return makeError(entry.file + ": preview: " + gif.message());
                }
                smallest = static_cast<std::int64_t>(gif->bytes.size());
                rate = static_cast<double>(smallest) / cost;
                if (smallest <= budget) {
                    out.gifFps = t.fps;
                    out.gifColors = t.colors;
                    fit = std::move(gif.value());
                }
            }
            if (!fit) {
                return makeError(entry.file + ": the preview does not fit in " +
                                 std::to_string(options.gifMaxKb) + " KB even at " +
                                 std::to_string(w / 4) + " px (" + std::to_string(smallest / 1024) +
                                 " KB): raise --gif-max-kb");
            }
            auto written = writeNew(folder, wanted.gif, fit->bytes);
            if (!written) {
                return makeError(written.message());
            }
            out.names.gif = *written;
            out.gifBytes = static_cast<std::int64_t>(fit->bytes.size());
            out.gifWidth = fit->width;
            out.gifHeight = fit->height;
            out.gifFrames = fit->frames;
            ++out.built;
        }
    }
    std::error_code ec;
    if (out.gifBytes == 0) {
        out.gifBytes = static_cast<std::int64_t>(fs::file_size(folder / out.names.gif, ec));
    }
    if (out.names.html.empty()) {
        // The GIF's size for the <img>: what was made now, or what the file says.
        int gw = out.gifWidth;
        int gh = out.gifHeight;
        if (gw == 0) {
            std::ifstream in(folder / out.names.gif, std::ios::binary);
            unsigned char head[10] = {};
            in.read(reinterpret_cast<char *>(head), sizeof head);
            gw = head[6] | (head[7] << 8);
            gh = head[8] | (head[9] << 8);
        }
        auto written = writeNew(folder, wanted.html, emailHtml(entry, out.names.gif, gw, gh, *url));
        if (!written) {
            return makeError(written.message());
        }
        out.names.html = *written;
        ++out.built;
    }
    entry.poster = out.names.poster;
    entry.previewGif = out.names.gif;
    entry.emailHtml = out.names.html;
    entry.previewBytes = out.gifBytes;
    out.cpuSeconds = cpuSeconds() - cpuStart;
    return out;
}

} // namespace cuecard
