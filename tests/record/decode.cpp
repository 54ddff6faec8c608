// SPDX-License-Identifier: GPL-2.0-or-later
#include "record/decode.hpp"

#include "core/record/test_pattern.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <algorithm>

namespace cuecard::test {

DecodedFile decodeFile(const std::string &path, std::vector<int> rgbFrames) {
    DecodedFile out;
    AVFormatContext *fmt = nullptr;
    if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0 ||
        avformat_find_stream_info(fmt, nullptr) < 0) {
        out.error = "cannot open " + path;
        return out;
    }
    if (const AVDictionaryEntry *t = av_dict_get(fmt->metadata, "title", nullptr, 0)) {
        out.title = t->value;
    }
    if (const AVDictionaryEntry *c = av_dict_get(fmt->metadata, "comment", nullptr, 0)) {
        out.comment = c->value;
    }
    AVCodecContext *ctx[2] = {nullptr, nullptr};
    int index[2] = {-1, -1};
    for (int k = 0; k < 2; ++k) {
        const AVCodec *codec = nullptr;
        index[k] = av_find_best_stream(fmt, k == 0 ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO, -1,
                                       -1, &codec, 0);
        if (index[k] >= 0 && codec != nullptr) {
            ctx[k] = avcodec_alloc_context3(codec);
            avcodec_parameters_to_context(ctx[k], fmt->streams[index[k]]->codecpar);
            ctx[k]->pkt_timebase = fmt->streams[index[k]]->time_base;
            avcodec_open2(ctx[k], codec, nullptr);
        }
    }
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    SwsContext *sws = nullptr;
    std::vector<std::vector<std::uint8_t>> keep;
    const auto receive = [&](int k) {
        while (avcodec_receive_frame(ctx[k], frame) == 0) {
            const AVRational tb = fmt->streams[index[k]]->time_base;
            const double pts = frame->best_effort_timestamp == AV_NOPTS_VALUE
                                   ? 0.0
                                   : static_cast<double>(frame->best_effort_timestamp) * av_q2d(tb);
            if (k == 0) {
                DecodedFrame f;
#ifdef AV_FRAME_FLAG_KEY // FFmpeg 6.1+ (Debian 13 on); testing's FFmpeg has no key_frame
                f.key = (frame->flags & AV_FRAME_FLAG_KEY) != 0;
#else
                f.key = frame->key_frame != 0;
#endif
                f.pictType = av_get_picture_type_char(frame->pict_type);
                f.pts = pts;
                f.index =
                    readFrameIndex(frame->data[0], frame->linesize[0], frame->width, frame->height);
                out.width = frame->width;
                out.height = frame->height;
                sws = sws_getCachedContext(sws, frame->width, frame->height,
                                           static_cast<AVPixelFormat>(frame->format), frame->width,
                                           frame->height, AV_PIX_FMT_RGB24, SWS_BILINEAR, nullptr,
                                           nullptr, nullptr);
                f.rgb.resize(static_cast<std::size_t>(frame->width) * frame->height * 3);
                std::uint8_t *dst[1] = {f.rgb.data()};
                const int stride[1] = {frame->width * 3};
                sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, stride);
                out.frames.push_back(std::move(f));
            } else {
                out.audioSamples += frame->nb_samples;
            }
            av_frame_unref(frame);
        }
    };
    double audioSkip = -1.0; // the encoder delay (priming) the demuxer says to drop, in seconds
    while (av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == index[1] && audioSkip < 0.0) {
            std::size_t size = 0;
            const std::uint8_t *sd = av_packet_get_side_data(pkt, AV_PKT_DATA_SKIP_SAMPLES, &size);
            const std::uint32_t skip =
                sd != nullptr && size >= 4
                    ? static_cast<std::uint32_t>(sd[0] | (sd[1] << 8) | (sd[2] << 16) |
                                                 (sd[3] << 24))
                    : 0;
            // Where the container does not carry the encoder delay (MKV stores CodecDelay only
            // for Opus in this libavformat), it is the AAC encoder's: 1024 samples of priming.
            const int priming = skip > 0 ? static_cast<int>(skip)
                                         : (fmt->streams[index[1]]->codecpar->initial_padding > 0
                                                ? fmt->streams[index[1]]->codecpar->initial_padding
                                                : 1024);
            out.audioPriming = skip > 0 ? 0 : priming; // still in the decoded samples
            audioSkip = static_cast<double>(priming) / ctx[1]->sample_rate;
            out.audioStart =
                static_cast<double>(pkt->pts) * av_q2d(fmt->streams[index[1]]->time_base) +
                audioSkip;
        }
        for (int k = 0; k < 2; ++k) {
            if (ctx[k] != nullptr && pkt->stream_index == index[k]) {
                avcodec_send_packet(ctx[k], pkt);
                receive(k);
            }
        }
        av_packet_unref(pkt);
    }
    for (int k = 0; k < 2; ++k) {
        if (ctx[k] != nullptr) {
            avcodec_send_packet(ctx[k], nullptr);
            receive(k);
        }
    }
    // Keep RGB only where asked, to spare memory.
    const int n = static_cast<int>(out.frames.size());
    for (int i = 0; i < n; ++i) {
        const bool wanted = std::find_if(rgbFrames.begin(), rgbFrames.end(), [&](int w) {
                                return (w >= 0 ? w : n + w) == i;
                            }) != rgbFrames.end();
        if (!wanted) {
            out.frames[static_cast<std::size_t>(i)].rgb.clear();
            out.frames[static_cast<std::size_t>(i)].rgb.shrink_to_fit();
        }
    }
    sws_freeContext(sws);
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&ctx[0]);
    avcodec_free_context(&ctx[1]);
    avformat_close_input(&fmt);
    return out;
}

} // namespace cuecard::test
