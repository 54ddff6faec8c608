// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/record/async_recorder.hpp"

#include <cstring>

namespace cuecard {

Result<std::unique_ptr<AsyncRecorder>>
AsyncRecorder::create(RecorderOptions options,
                      std::function<void(const ManifestEntry &)> onFileClosed) {
    const int channels = options.encoder.channels;
    const int height = options.encoder.height;
    auto recorder = SegmentRecorder::create(std::move(options));
    if (!recorder) {
        return recorder.error();
    }
    std::unique_ptr<AsyncRecorder> a(new AsyncRecorder());
    a->recorder_ = std::move(recorder.value());
    a->recorder_->setOnFileClosed(std::move(onFileClosed));
    a->channels_ = channels;
    a->height_ = height;
    a->thread_ = std::thread([p = a.get()] { p->run(); });
    return a;
}

AsyncRecorder::~AsyncRecorder() {
    (void)stop();
}

void AsyncRecorder::enqueue(Item item) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        queue_.push_back(std::move(item));
    }
    wake_.notify_one();
}

void AsyncRecorder::addBoundary(std::uint64_t ts, Recipient recipient, int take, double overlayAt,
                                std::string origin) {
    enqueue(Boundary{ts, std::move(recipient), take, overlayAt, std::move(origin)});
}

void AsyncRecorder::addChapter(std::uint64_t ts, std::string title) {
    enqueue(ChapterItem{ts, std::move(title)});
}

void AsyncRecorder::addPause(std::uint64_t ts) {
    enqueue(Boundary{ts, std::nullopt, 0, 0.0, {}});
}

void AsyncRecorder::pushVideo(const VideoInput &in) {
    Video v;
    v.frame = in;
    const int planes =
        in.layout == PixelLayout::I420 ? 3 : (in.layout == PixelLayout::NV12 ? 2 : 1);
    for (int p = 0; p < planes; ++p) {
        const int rows = p == 0 ? height_ : (height_ + 1) / 2;
        const std::size_t bytes = static_cast<std::size_t>(in.linesize[p]) * rows;
        v.planes[p].assign(in.data[p], in.data[p] + bytes);
        v.frame.data[p] = nullptr; // pointed at the copies on the encoder thread
    }
    enqueue(std::move(v));
}

void AsyncRecorder::pushAudio(std::uint64_t ts, const float *const *planes, int frames) {
    Audio a;
    a.timestampNs = ts;
    a.frames = frames;
    for (int c = 0; c < channels_; ++c) {
        a.planes.emplace_back(planes[c], planes[c] + frames);
    }
    enqueue(std::move(a));
}

void AsyncRecorder::run() {
    for (;;) {
        Item item;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return; // stopping and drained
            }
            item = std::move(queue_.front());
            queue_.pop_front();
        }
        Status s;
        if (auto *v = std::get_if<Video>(&item)) {
            for (int p = 0; p < 3; ++p) {
                v->frame.data[p] = v->planes[p].empty() ? nullptr : v->planes[p].data();
            }
            s = recorder_->pushVideo(v->frame);
        } else if (auto *a = std::get_if<Audio>(&item)) {
            std::vector<const float *> ptrs;
            for (auto &p : a->planes) {
                ptrs.push_back(p.data());
            }
            s = recorder_->pushAudio(a->timestampNs, ptrs.data(), a->frames);
        } else if (auto *c = std::get_if<ChapterItem>(&item)) {
            recorder_->addChapter(c->timestampNs, std::move(c->title));
        } else {
            auto &b = std::get<Boundary>(item);
            if (b.recipient) {
                recorder_->addBoundary(b.timestampNs, std::move(*b.recipient), b.take, b.overlayAt,
                                       std::move(b.origin));
            } else {
                recorder_->addPause(b.timestampNs);
            }
        }
        if (!s) {
            std::lock_guard lock(mutex_);
            if (error_.empty()) {
                error_ = s.message();
            }
        }
    }
}

Status AsyncRecorder::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable()) {
            return error_.empty() ? Status::success() : Status(makeError(error_));
        }
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
    Status s = recorder_->stop();
    std::lock_guard lock(mutex_);
    if (!error_.empty()) {
        return makeError(error_);
    }
    return s;
}

std::string AsyncRecorder::error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

} // namespace cuecard
