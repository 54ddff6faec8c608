// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/record/media_reader.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

namespace cuecard {

struct MediaReader::Impl {
    AVFormatContext *fmt = nullptr;
    AVCodecContext *video = nullptr;
    AVCodecContext *audio = nullptr;
    int videoIndex = -1;
    int audioIndex = -1;
    SwsContext *sws = nullptr;
    SwrContext *swr = nullptr;
    AVPacket *packet = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    int width = 0;
    int height = 0;
    int rate = 48000;
    int channels = 2;
    bool eof = false;
    std::vector<std::vector<float>> audioOut;

    ~Impl() {
        sws_freeContext(sws);
        swr_free(&swr);
        av_packet_free(&packet);
        av_frame_free(&frame);
        avcodec_free_context(&video);
        avcodec_free_context(&audio);
        avformat_close_input(&fmt);
    }

    void takeAudioFrame() {
        const int outMax = swr_get_out_samples(swr, frame->nb_samples);
        std::vector<std::vector<float>> tmp(static_cast<std::size_t>(channels),
                                            std::vector<float>(static_cast<std::size_t>(outMax)));
        std::vector<std::uint8_t *> ptrs;
        for (auto &p : tmp) {
            ptrs.push_back(reinterpret_cast<std::uint8_t *>(p.data()));
        }
        const int n =
            swr_convert(swr, ptrs.data(), outMax,
                        const_cast<const std::uint8_t **>(frame->extended_data), frame->nb_samples);
        for (int c = 0; c < channels && n > 0; ++c) {
            audioOut[static_cast<std::size_t>(c)].insert(
                audioOut[static_cast<std::size_t>(c)].end(),
                tmp[static_cast<std::size_t>(c)].begin(),
                tmp[static_cast<std::size_t>(c)].begin() + n);
        }
    }
};

Result<std::unique_ptr<MediaReader>> MediaReader::open(const std::filesystem::path &path, int width,
                                                       int height, int sampleRate, int channels) {
    std::unique_ptr<MediaReader> r(new MediaReader());
    r->impl_ = std::make_unique<Impl>();
    Impl &m = *r->impl_;
    m.width = width;
    m.height = height;
    m.rate = sampleRate;
    m.channels = channels;
    m.audioOut.resize(static_cast<std::size_t>(channels));
    if (avformat_open_input(&m.fmt, path.c_str(), nullptr, nullptr) < 0) {
        return makeError(path.string() + ": cannot be opened as a video");
    }
    if (avformat_find_stream_info(m.fmt, nullptr) < 0) {
        return makeError(path.string() + ": no readable streams");
    }
    const auto openDecoder = [&](AVMediaType type, int &index, AVCodecContext *&ctx) {
        const AVCodec *codec = nullptr;
        index = av_find_best_stream(m.fmt, type, -1, -1, &codec, 0);
        if (index < 0 || codec == nullptr) {
            index = -1;
            return;
        }
        ctx = avcodec_alloc_context3(codec);
        avcodec_parameters_to_context(ctx, m.fmt->streams[index]->codecpar);
        if (avcodec_open2(ctx, codec, nullptr) < 0) {
            avcodec_free_context(&ctx);
            index = -1;
        }
    };
    openDecoder(AVMEDIA_TYPE_VIDEO, m.videoIndex, m.video);
    openDecoder(AVMEDIA_TYPE_AUDIO, m.audioIndex, m.audio);
    if (m.videoIndex < 0) {
        return makeError(path.string() + ": no video stream");
    }
    if (m.audio != nullptr) {
        AVChannelLayout out{};
        av_channel_layout_default(&out, channels);
        if (swr_alloc_set_opts2(&m.swr, &out, AV_SAMPLE_FMT_FLTP, sampleRate, &m.audio->ch_layout,
                                m.audio->sample_fmt, m.audio->sample_rate, 0, nullptr) < 0 ||
            swr_init(m.swr) < 0) {
            return makeError(path.string() + ": its audio cannot be converted");
        }
    }
    return r;
}

MediaReader::~MediaReader() = default;

std::pair<int, int> MediaReader::frameRate() const {
    const AVRational fr = impl_->fmt->streams[impl_->videoIndex]->avg_frame_rate;
    if (fr.num <= 0 || fr.den <= 0) {
        return {30, 1};
    }
    return {fr.num, fr.den};
}

std::optional<Image> MediaReader::nextVideo() {
    Impl &m = *impl_;
    for (;;) {
        const int got = avcodec_receive_frame(m.video, m.frame);
        if (got == 0) {
            Image out(m.width, m.height);
            m.sws = sws_getCachedContext(
                m.sws, m.frame->width, m.frame->height, static_cast<AVPixelFormat>(m.frame->format),
                m.width, m.height, AV_PIX_FMT_RGBA, SWS_BILINEAR, nullptr, nullptr, nullptr);
            std::uint8_t *dst[1] = {out.pixels.data()};
            const int dstStride[1] = {m.width * 4};
            sws_scale(m.sws, m.frame->data, m.frame->linesize, 0, m.frame->height, dst, dstStride);
            av_frame_unref(m.frame);
            return out;
        }
        if (got == AVERROR_EOF) {
            return std::nullopt;
        }
        if (m.eof) {
            avcodec_send_packet(m.video, nullptr);
            continue;
        }
        if (av_read_frame(m.fmt, m.packet) < 0) {
            m.eof = true;
            avcodec_send_packet(m.video, nullptr);
            if (m.audio != nullptr) {
                avcodec_send_packet(m.audio, nullptr);
                while (avcodec_receive_frame(m.audio, m.frame) == 0) {
                    m.takeAudioFrame();
                    av_frame_unref(m.frame);
                }
            }
            continue;
        }
        if (m.packet->stream_index == m.videoIndex) {
            avcodec_send_packet(m.video, m.packet);
        } else if (m.packet->stream_index == m.audioIndex && m.audio != nullptr) {
            avcodec_send_packet(m.audio, m.packet);
            while (avcodec_receive_frame(m.audio, m.frame) == 0) {
                m.takeAudioFrame();
                av_frame_unref(m.frame);
            }
        }
        av_packet_unref(m.packet);
    }
}

std::vector<std::vector<float>> MediaReader::takeAudio() {
    std::vector<std::vector<float>> out(impl_->audioOut.size());
    out.swap(impl_->audioOut);
    impl_->audioOut.assign(out.size(), {});
    return out;
}

} // namespace cuecard
