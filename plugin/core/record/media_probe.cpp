// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/record/media_probe.hpp"

#include <algorithm>

extern "C" {
#include <libavformat/avformat.h>
}

namespace cuecard {
namespace {

std::string tag(const AVDictionary *metadata, const char *key) {
    const AVDictionaryEntry *e = av_dict_get(metadata, key, nullptr, 0);
    return e != nullptr ? e->value : "";
}

} // namespace

Result<MediaProbe> probeMedia(const std::filesystem::path &path) {
    AVFormatContext *fmt = nullptr;
    if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0) {
        return makeError(path.filename().string() + " cannot be opened as a video file");
    }
    // Reads the first packets for the frame rate; a file cut short still answers.
    (void)avformat_find_stream_info(fmt, nullptr);
    MediaProbe probe;
    probe.recipientId = tag(fmt->metadata, "CUECARD_RECIPIENT_ID");
    probe.title = tag(fmt->metadata, "title");
    probe.comment = tag(fmt->metadata, "comment");
    const int video = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    const int audio = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (video < 0) {
        avformat_close_input(&fmt);
        return makeError(path.filename().string() + " has no video stream");
    }
    const AVStream *vs = fmt->streams[video];
    const int audioFrameSize = audio >= 0 ? fmt->streams[audio]->codecpar->frame_size : 0;
    std::int64_t firstPts = AV_NOPTS_VALUE;
    std::int64_t endPts = AV_NOPTS_VALUE; ///< the end of the latest whole video frame
    AVPacket *pkt = av_packet_alloc();
    // A packet cut short by the crash is not returned whole (or is flagged corrupt): only whole
    // packets count, which is what a player can show.
    while (av_read_frame(fmt, pkt) >= 0) {
        const bool whole = (pkt->flags & AV_PKT_FLAG_CORRUPT) == 0 && pkt->size > 0;
        if (whole && pkt->stream_index == video) {
            ++probe.frames;
            if (pkt->pts != AV_NOPTS_VALUE) {
                firstPts = firstPts == AV_NOPTS_VALUE ? pkt->pts : std::min(firstPts, pkt->pts);
                endPts = std::max(endPts == AV_NOPTS_VALUE ? pkt->pts : endPts,
                                  pkt->pts + std::max<std::int64_t>(pkt->duration, 0));
            }
        } else if (whole && pkt->stream_index == audio) {
            probe.audioSamples += audioFrameSize;
        }
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    // The span the frames' timestamps cover; from the frame rate when they carry none.
    const AVRational rate = vs->avg_frame_rate.num > 0 ? vs->avg_frame_rate : vs->r_frame_rate;
    if (firstPts != AV_NOPTS_VALUE && endPts > firstPts) {
        probe.duration = static_cast<double>(endPts - firstPts) * av_q2d(vs->time_base);
    } else if (rate.num > 0 && rate.den > 0) {
        probe.duration = static_cast<double>(probe.frames) * rate.den / rate.num;
    }
    avformat_close_input(&fmt);
    return probe;
}

} // namespace cuecard
