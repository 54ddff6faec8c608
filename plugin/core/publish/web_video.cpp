// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/publish/web_video.hpp"

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
}

#include <memory>
#include <vector>

namespace cuecard {
namespace {

struct InputCloser {
    void operator()(AVFormatContext *c) const { avformat_close_input(&c); }
};
struct OutputCloser {
    void operator()(AVFormatContext *c) const {
        if (c->pb != nullptr) {
            avio_closep(&c->pb);
        }
        avformat_free_context(c);
    }
};
struct PacketFree {
    void operator()(AVPacket *p) const { av_packet_free(&p); }
};

std::string avText(int code) {
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, buf, sizeof buf);
    return buf;
}

} // namespace

Result<WebVideo> remuxForWeb(const std::filesystem::path &in, const std::filesystem::path &out) {
    const std::string what = in.filename().string();
    AVFormatContext *rawIn = nullptr;
    if (int r = avformat_open_input(&rawIn, in.c_str(), nullptr, nullptr); r < 0) {
        return makeError(what + ": cannot be opened (" + avText(r) + ")");
    }
    std::unique_ptr<AVFormatContext, InputCloser> input(rawIn);
    if (int r = avformat_find_stream_info(input.get(), nullptr); r < 0) {
        return makeError(what + ": cannot be read (" + avText(r) + ")");
    }
    AVFormatContext *rawOut = nullptr;
    if (int r = avformat_alloc_output_context2(&rawOut, nullptr, "mp4", out.c_str()); r < 0) {
        return makeError("MP4 output: " + avText(r));
    }
    std::unique_ptr<AVFormatContext, OutputCloser> output(rawOut);
    std::vector<int> map(input->nb_streams, -1);
    bool video = false;
    WebVideo size;
    for (unsigned i = 0; i < input->nb_streams; ++i) {
        const AVCodecParameters *par = input->streams[i]->codecpar;
        if (par->codec_type != AVMEDIA_TYPE_VIDEO && par->codec_type != AVMEDIA_TYPE_AUDIO) {
            continue;
        }
        const bool web = par->codec_id == AV_CODEC_ID_H264 || par->codec_id == AV_CODEC_ID_AAC;
        if (!web) {
            return makeError(what + ": its " + avcodec_get_name(par->codec_id) +
                             " stream is not H.264 or AAC, which every browser plays; record "
                             "with Cuecard's H.264 encoder");
        }
        AVStream *s = avformat_new_stream(output.get(), nullptr);
        if (s == nullptr || avcodec_parameters_copy(s->codecpar, par) < 0) {
            return makeError("MP4 output: out of memory");
        }
        s->codecpar->codec_tag = 0;
        s->time_base = input->streams[i]->time_base;
        map[i] = s->index;
        if (par->codec_type == AVMEDIA_TYPE_VIDEO && !video) {
            video = true;
            size.width = par->width;
            size.height = par->height;
        }
    }
    if (!video) {
        return makeError(what + ": has no video");
    }
    if (int r = avio_open(&output->pb, out.c_str(), AVIO_FLAG_WRITE); r < 0) {
        return makeError("cannot write " + out.string() + " (" + avText(r) + ")");
    }
    AVDictionary *options = nullptr;
    av_dict_set(&options, "movflags", "+faststart", 0); // the index first: plays while loading
    const int header = avformat_write_header(output.get(), &options);
    av_dict_free(&options);
    if (header < 0) {
        return makeError("MP4 output: " + avText(header));
    }
    std::unique_ptr<AVPacket, PacketFree> packet(av_packet_alloc());
    for (;;) {
        const int r = av_read_frame(input.get(), packet.get());
        if (r == AVERROR_EOF) {
            break;
        }
        if (r < 0) {
            return makeError(what + ": " + avText(r));
        }
        const int to = map[static_cast<std::size_t>(packet->stream_index)];
        if (to < 0) {
            av_packet_unref(packet.get());
            continue;
        }
        av_packet_rescale_ts(packet.get(), input->streams[packet->stream_index]->time_base,
                             output->streams[to]->time_base);
        packet->stream_index = to;
        packet->pos = -1;
        if (int w = av_interleaved_write_frame(output.get(), packet.get()); w < 0) {
            return makeError("cannot write " + out.string() + " (" + avText(w) + ")");
        }
    }
    if (int r = av_write_trailer(output.get()); r < 0) {
        return makeError("cannot finish " + out.string() + " (" + avText(r) + ")");
    }
    return size;
}

} // namespace cuecard
