// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/record/segment_file.hpp"

#include <algorithm>
#include <cmath>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <cstring>

namespace cuecard {
namespace {

std::string avError(int code) {
    char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(code, buf, sizeof buf);
    return buf;
}

} // namespace

struct SegmentFile::Impl {
    AVFormatContext *fmt = nullptr;
    AVCodecContext *video = nullptr;
    AVCodecContext *audio = nullptr;
    AVStream *videoStream = nullptr;
    AVStream *audioStream = nullptr;
    AVFrame *videoFrame = nullptr;
    AVFrame *audioFrame = nullptr;
    AVPacket *packet = nullptr;
    AVAudioFifo *fifo = nullptr;
    SwsContext *sws = nullptr;
    PixelLayout swsFrom = PixelLayout::I420;
    std::int64_t audioPts = 0;
    std::string path;
    bool headerWritten = false;
    std::vector<std::pair<double, std::string>> chapters; ///< seconds into the file, title

    ~Impl() {
        sws_freeContext(sws);
        if (fifo != nullptr) {
            av_audio_fifo_free(fifo);
        }
        av_packet_free(&packet);
        av_frame_free(&videoFrame);
        av_frame_free(&audioFrame);
        avcodec_free_context(&video);
        avcodec_free_context(&audio);
        if (fmt != nullptr) {
            if (fmt->pb != nullptr) {
                avio_closep(&fmt->pb);
            }
            avformat_free_context(fmt);
        }
    }

    Status drain(AVCodecContext *ctx, AVStream *stream) {
        for (;;) {
            const int r = avcodec_receive_packet(ctx, packet);
            if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) {
                return Status::success();
            }
            if (r < 0) {
                return makeError(path + ": the encoder failed (" + avError(r) + ")");
            }
            if (packet->duration == 0 && ctx == video) {
                packet->duration = 1; // one frame: MP4's edit list would otherwise drop the last
            }
            av_packet_rescale_ts(packet, ctx->time_base, stream->time_base);
            packet->stream_index = stream->index;
            const int w = av_interleaved_write_frame(fmt, packet);
            if (w < 0) {
                return makeError(path + ": writing failed (" + avError(w) + ")" +
                                 (w == AVERROR(ENOSPC) ? ": the disk is full" : ""));
            }
        }
    }

    Status encodeAudioFrames(bool final) {
        const int frameSize = audio->frame_size > 0 ? audio->frame_size : 1024;
        while (av_audio_fifo_size(fifo) >= frameSize || (final && av_audio_fifo_size(fifo) > 0)) {
            const int n = std::min(frameSize, av_audio_fifo_size(fifo));
            av_frame_unref(audioFrame);
            audioFrame->nb_samples = n;
            audioFrame->format = audio->sample_fmt;
            av_channel_layout_copy(&audioFrame->ch_layout, &audio->ch_layout);
            audioFrame->sample_rate = audio->sample_rate;
            if (av_frame_get_buffer(audioFrame, 0) < 0) {
                return makeError(path + ": out of memory for audio");
            }
            av_audio_fifo_read(fifo, reinterpret_cast<void **>(audioFrame->data), n);
            audioFrame->pts = audioPts;
            audioPts += n;
            const int r = avcodec_send_frame(audio, audioFrame);
            if (r < 0) {
                return makeError(path + ": the audio encoder failed (" + avError(r) + ")");
            }
            if (Status s = drain(audio, audioStream); !s) {
                return s;
            }
        }
        return Status::success();
    }
};

Result<std::unique_ptr<SegmentFile>>
SegmentFile::open(const std::filesystem::path &path, const EncoderSettings &settings,
                  const std::vector<std::pair<std::string, std::string>> &metadata) {
    std::unique_ptr<SegmentFile> file(new SegmentFile());
    file->impl_ = std::make_unique<Impl>();
    Impl &m = *file->impl_;
    m.path = path.filename().string();
    const char *muxer = settings.container == "mp4" ? "mp4" : "matroska";
    if (int r = avformat_alloc_output_context2(&m.fmt, nullptr, muxer, path.c_str()); r < 0) {
        return makeError("cannot start " + m.path + " (" + avError(r) + ")");
    }

    // Video encoder: a hardware one when asked for and it opens, else libx264.
    std::vector<std::string> candidates;
    if (settings.videoEncoder == "auto") {
        candidates = {"h264_nvenc", "libx264"};
    } else {
        candidates = {settings.videoEncoder};
    }
    std::string tried;
    for (const auto &name : candidates) {
        const AVCodec *codec = avcodec_find_encoder_by_name(name.c_str());
        if (codec == nullptr) {
            tried += (tried.empty() ? "" : "; ") + name + ": not available";
            continue;
        }
        AVCodecContext *ctx = avcodec_alloc_context3(codec);
        ctx->width = settings.width;
        ctx->height = settings.height;
        ctx->time_base = AVRational{settings.fpsDen, settings.fpsNum};
        ctx->framerate = AVRational{settings.fpsNum, settings.fpsDen};
        ctx->pix_fmt = AV_PIX_FMT_YUV420P;
        ctx->gop_size = settings.fpsNum / std::max(1, settings.fpsDen) * 2;
        if (m.fmt->oformat->flags & AVFMT_GLOBALHEADER) {
            ctx->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        }
        if (name == "libx264") {
            av_opt_set(ctx->priv_data, "preset", settings.preset.c_str(), 0);
            av_opt_set(ctx->priv_data, "crf", std::to_string(settings.crf).c_str(), 0);
        }
        if (int r = avcodec_open2(ctx, codec, nullptr); r < 0) {
            tried += (tried.empty() ? "" : "; ") + name + ": " + avError(r);
            avcodec_free_context(&ctx);
            continue;
        }
        m.video = ctx;
        break;
    }
    if (m.video == nullptr) {
        return makeError("no H.264 encoder could be opened (" + tried +
                         "); use libx264 (Debian's libavcodec59 has it) or auto");
    }
    m.videoStream = avformat_new_stream(m.fmt, nullptr);
    m.videoStream->time_base = m.video->time_base;
    avcodec_parameters_from_context(m.videoStream->codecpar, m.video);

    if (settings.audio) {
        const AVCodec *aac = avcodec_find_encoder(AV_CODEC_ID_AAC);
        if (aac == nullptr) {
            return makeError("the AAC encoder is not available in this libavcodec");
        }
        m.audio = avcodec_alloc_context3(aac);
        m.audio->sample_fmt = AV_SAMPLE_FMT_FLTP;
        m.audio->sample_rate = settings.sampleRate;
        av_channel_layout_default(&m.audio->ch_layout, settings.channels);
        m.audio->bit_rate = settings.audioBitrate;
        m.audio->time_base = AVRational{1, settings.sampleRate};
        if (m.fmt->oformat->flags & AVFMT_GLOBALHEADER) {
            m.audio->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        }
        if (int r = avcodec_open2(m.audio, aac, nullptr); r < 0) {
            return makeError("the AAC encoder could not open (" + avError(r) + ")");
        }
        m.audioStream = avformat_new_stream(m.fmt, nullptr);
        m.audioStream->time_base = m.audio->time_base;
        avcodec_parameters_from_context(m.audioStream->codecpar, m.audio);
        m.fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, settings.channels, 4096);
        m.audioFrame = av_frame_alloc();
    }
    for (const auto &[k, v] : metadata) {
        av_dict_set(&m.fmt->metadata, k.c_str(), v.c_str(), 0);
    }
    if (int r = avio_open(&m.fmt->pb, path.c_str(), AVIO_FLAG_WRITE); r < 0) {
        return makeError("cannot write " + path.string() + " (" + avError(r) + ")");
    }
    AVDictionary *opts = nullptr;
    if (settings.container == "mkv") {
        // Short clusters, flushed as written: after a crash the file plays to the last second.
        av_dict_set(&opts, "cluster_time_limit", "1000", 0);
        av_dict_set(&opts, "flush_packets", "1", 0);
    }
    const int hr = avformat_write_header(m.fmt, &opts);
    av_dict_free(&opts);
    if (hr < 0) {
        return makeError("cannot start " + m.path + " (" + avError(hr) + ")");
    }
    m.headerWritten = true;
    m.videoFrame = av_frame_alloc();
    m.videoFrame->format = AV_PIX_FMT_YUV420P;
    m.videoFrame->width = settings.width;
    m.videoFrame->height = settings.height;
    if (av_frame_get_buffer(m.videoFrame, 0) < 0) {
        return makeError("out of memory for video frames");
    }
    m.packet = av_packet_alloc();
    return file;
}

SegmentFile::~SegmentFile() {
    (void)close();
}

Status SegmentFile::writeVideo(const VideoInput &in) {
    Impl &m = *impl_;
    if (closed_) {
        return makeError(m.path + " is already closed");
    }
    if (av_frame_make_writable(m.videoFrame) < 0) {
        return makeError(m.path + ": out of memory for video");
    }
    const int w = m.video->width;
    const int h = m.video->height;
    if (in.layout == PixelLayout::I420) {
        for (int p = 0; p < 3; ++p) {
            const int rows = p == 0 ? h : (h + 1) / 2;
            const int bytes = p == 0 ? w : (w + 1) / 2;
            for (int y = 0; y < rows; ++y) {
                std::memcpy(m.videoFrame->data[p] +
                                static_cast<std::ptrdiff_t>(y) * m.videoFrame->linesize[p],
                            in.data[p] + static_cast<std::ptrdiff_t>(y) * in.linesize[p],
                            static_cast<std::size_t>(bytes));
            }
        }
    } else {
        const AVPixelFormat from =
            in.layout == PixelLayout::RGBA ? AV_PIX_FMT_RGBA : AV_PIX_FMT_NV12;
        m.sws = sws_getCachedContext(m.sws, w, h, from, w, h, AV_PIX_FMT_YUV420P, SWS_BILINEAR,
                                     nullptr, nullptr, nullptr);
        if (m.sws == nullptr) {
            return makeError(m.path + ": cannot convert the video frames");
        }
        sws_scale(m.sws, in.data, in.linesize, 0, h, m.videoFrame->data, m.videoFrame->linesize);
    }
    m.videoFrame->pts = frames_;
    // The first frame of every file is an IDR: a new encoder starts with one, and we say so.
    m.videoFrame->pict_type = frames_ == 0 ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
    if (int r = avcodec_send_frame(m.video, m.videoFrame); r < 0) {
        return makeError(m.path + ": the video encoder failed (" + avError(r) + ")");
    }
    ++frames_;
    return m.drain(m.video, m.videoStream);
}

Status SegmentFile::writeAudio(const float *const *planes, int frames) {
    Impl &m = *impl_;
    if (closed_ || m.audio == nullptr || frames <= 0) {
        return Status::success();
    }
    av_audio_fifo_write(m.fifo, reinterpret_cast<void **>(const_cast<float **>(planes)), frames);
    audioSamples_ += frames;
    return m.encodeAudioFrames(false);
}

void SegmentFile::addChapter(double seconds, const std::string &title) {
    if (!closed_ && impl_) {
        auto &list = impl_->chapters;
        const auto at = std::find_if(list.begin(), list.end(),
                                     [&](const auto &c) { return c.first > seconds; });
        list.insert(at, {std::max(0.0, seconds), title});
    }
}

Status SegmentFile::close() {
    if (closed_ || !impl_) {
        return Status::success();
    }
    closed_ = true;
    Impl &m = *impl_;
    if (!m.headerWritten) {
        return Status::success(); // never started: nothing to finish
    }
    Status result;
    if (m.audio != nullptr) {
        if (Status s = m.encodeAudioFrames(true); !s && result.ok()) {
            result = s;
        }
        avcodec_send_frame(m.audio, nullptr);
        if (Status s = m.drain(m.audio, m.audioStream); !s && result.ok()) {
            result = s;
        }
    }
    avcodec_send_frame(m.video, nullptr);
    if (Status s = m.drain(m.video, m.videoStream); !s && result.ok()) {
        result = s;
    }
    // Chapters go in as the file is finished (MKV and MP4 both write them in the trailer).
    // Players list chapters from the start (FFmpeg reads an MP4's first chapter as starting at
    // 0 whatever it says): a "Start" chapter covers what comes before the rep's first mark.
    const double seconds = static_cast<double>(frames_) * av_q2d(m.video->time_base);
    if (!m.chapters.empty() && m.chapters.front().first > 0.0) {
        m.chapters.insert(m.chapters.begin(), {0.0, "Start"});
    }
    for (std::size_t i = 0; i < m.chapters.size(); ++i) {
        auto *c = static_cast<AVChapter *>(av_mallocz(sizeof(AVChapter)));
        if (c == nullptr) {
            break;
        }
        const double end = i + 1 < m.chapters.size() ? m.chapters[i + 1].first : seconds;
        c->id = static_cast<std::int64_t>(i) + 1;
        c->time_base = AVRational{1, 1000};
        c->start = static_cast<std::int64_t>(std::llround(m.chapters[i].first * 1000.0));
        c->end = std::max(c->start, static_cast<std::int64_t>(std::llround(end * 1000.0)));
        av_dict_set(&c->metadata, "title", m.chapters[i].second.c_str(), 0);
        int n = static_cast<int>(m.fmt->nb_chapters);
        av_dynarray_add(&m.fmt->chapters, &n, c);
        m.fmt->nb_chapters = static_cast<unsigned>(n);
    }
    if (int r = av_write_trailer(m.fmt); r < 0 && result.ok()) {
        result = makeError(m.path + ": finishing the file failed (" + avError(r) + ")");
    }
    if (m.fmt->pb != nullptr) {
        avio_flush(m.fmt->pb);
        if (m.fmt->pb->error < 0 && result.ok()) {
            result = makeError(m.path + ": writing failed (" + avError(m.fmt->pb->error) + ")");
        }
    }
    return result;
}

} // namespace cuecard
