// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/recording/recording_session.hpp"

#include <filesystem>

namespace cuecard {

RecordingSession::RecordingSession(SessionHub &hub, RecordingSessionOptions options)
    : hub_(hub), options_(std::move(options)) {}

Result<std::shared_ptr<RecordingSession>> RecordingSession::start(SessionHub &hub,
                                                                  RecordingSessionOptions options) {
    const std::filesystem::path folder = options.recorder.folder;
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (!std::filesystem::is_directory(folder)) {
        return makeError("cannot create the recording folder " + folder.string() +
                         (ec ? ": " + ec.message() : std::string()));
    }
    std::shared_ptr<RecordingSession> s(new RecordingSession(hub, std::move(options)));
    if (s->options_.resume) {
        // The journal lives with the recordings: a restarted session resumes there, with every
        // earlier file (and one a crash interrupted) still in the manifest.
        s->recovery_ = recoverRecordingFolder(folder);
        s->resumed_ = hub.useJournal(folder, s->recovery_);
    }
    // The recorder calls back on its own thread until stop() joins it, which the destructor
    // does before any member goes: `this` outlives every call.
    RecordingSession *self = s.get();
    const auto closed = [self](const ManifestEntry &e) { self->fileClosed(e); };
    if (s->options_.encodeOnCaller) {
        auto r = SegmentRecorder::create(s->options_.recorder);
        if (!r) {
            return r.error();
        }
        s->direct_ = std::move(r.value());
        s->direct_->setOnFileClosed(closed);
    } else {
        auto r = AsyncRecorder::create(s->options_.recorder, closed);
        if (!r) {
            return r.error();
        }
        s->threaded_ = std::move(r.value());
    }
    s->health_.startSession(s->counters());
    // Listening first, so a switch that becomes visible from now on reaches the recorder. The
    // hub may call a copy of the listener after stop() replaced it: it holds the session weakly.
    std::weak_ptr<RecordingSession> weak = s;
    hub.setOnBoundary([weak](const Boundary &b, const Recipient &r, int take) {
        if (auto session = weak.lock()) {
            session->onBoundary(b, r, take);
        }
    });
    if (s->options_.standby) {
        std::lock_guard lock(s->mutex_);
        s->waitingForRoll_ = true;
    } else if (auto onScreen = hub.onScreenWithTake()) {
        // The recipient on screen owns the first frame. When the cursor moved and the sources
        // still draw someone else, nothing is written until the switch to the current
        // recipient is on screen: onBoundary starts their file on that frame.
        s->startFile(0, onScreen->first, onScreen->second, hub.queueLabel());
    }
    return s;
}

RecordingSession::~RecordingSession() {
    (void)stop();
}

FrameCounters RecordingSession::counters() const {
    return options_.frameCounters ? options_.frameCounters() : FrameCounters{};
}

void RecordingSession::startFile(std::uint64_t atNs, const Recipient &recipient, int take,
                                 const std::string &queue) {
    const double overlayAt = options_.overlayIn ? options_.overlayIn() : 0.0;
    if (direct_) {
        direct_->addBoundary(atNs, recipient, take, overlayAt, queue);
    } else {
        threaded_->addBoundary(atNs, recipient, take, overlayAt, queue);
    }
    const FrameCounters now = counters();
    std::lock_guard lock(mutex_);
    OnAir air;
    air.recipient = recipient;
    air.take = take;
    air.sinceNs = atNs != 0 || !options_.clock ? atNs : options_.clock();
    onAir_ = std::move(air);
    health_.startTake(now);
    saidLosing_ = false;
}

void RecordingSession::onBoundary(const Boundary &b, const Recipient &r, int take) {
    bool pause = false;
    {
        std::lock_guard lock(mutex_);
        if (stopped_) {
            return;
        }
        pause = options_.standby && !rollPending_;
        rollPending_ = false;
        waitingForRoll_ = pause;
        if (pause) {
            onAir_.reset();
        }
    }
    if (!pause) {
        startFile(b.frameTimeNs, r, take, b.queue);
    } else if (direct_) {
        direct_->addPause(b.frameTimeNs); // nothing is written until roll
    } else {
        threaded_->addPause(b.frameTimeNs);
    }
}

void RecordingSession::fileClosed(const ManifestEntry &e) {
    hub_.recordTake(e.recipientId, e.file, e.startedAt, e.endedAt,
                    TakeFacts{e.duration, e.frames, e.status}, e.origin);
    if (options_.assets != nullptr) {
        options_.assets->add(options_.recorder.folder, e); // its own thread, after the file
    }
    {
        std::lock_guard lock(mutex_);
        ++files_;
    }
    if (options_.onFileClosed) {
        options_.onFileClosed(e);
    }
}

Status RecordingSession::pushVideo(const VideoInput &frame) {
    if (direct_) {
        Status s = direct_->pushVideo(frame);
        if (!s) {
            std::lock_guard lock(mutex_);
            if (error_.empty()) {
                error_ = s.message();
            }
        }
        return s;
    }
    threaded_->pushVideo(frame);
    const std::string e = threaded_->error();
    return e.empty() ? Status::success() : Status(makeError(e));
}

Status RecordingSession::pushAudio(std::uint64_t timestampNs, const float *const *planes,
                                   int frames) {
    if (direct_) {
        return direct_->pushAudio(timestampNs, planes, frames);
    }
    threaded_->pushAudio(timestampNs, planes, frames);
    return Status::success();
}

std::string RecordingSession::roll(std::uint64_t nowNs) {
    {
        std::lock_guard lock(mutex_);
        if (stopped_) {
            return "no Cuecard recording is running";
        }
        if (!options_.standby) {
            return "roll is for standby mode";
        }
    }
    if (!hub_.currentWithTake()) {
        return "no recipient";
    }
    const auto onScreen = hub_.onScreenWithTake();
    {
        std::lock_guard lock(mutex_);
        waitingForRoll_ = false;
        if (!onScreen) {
            rollPending_ = true; // the switch to them is not on screen yet: their file starts
            return {};           // on its frame
        }
    }
    startFile(nowNs, onScreen->first, onScreen->second, hub_.queueLabel());
    return {};
}

std::string RecordingSession::chapter(std::uint64_t nowNs, const std::string &title) {
    std::string name;
    {
        std::lock_guard lock(mutex_);
        ++chapters_;
        name = title.empty() ? "Chapter " + std::to_string(chapters_) : title;
    }
    if (direct_) {
        direct_->addChapter(nowNs, name);
    } else {
        threaded_->addChapter(nowNs, name);
    }
    return name;
}

Status RecordingSession::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopped_) {
            return error_.empty() ? Status::success() : Status(makeError(error_));
        }
        stopped_ = true;
        waitingForRoll_ = false;
        onAir_.reset();
    }
    hub_.setOnBoundary({});
    Status s = direct_ ? direct_->stop() : (threaded_ ? threaded_->stop() : Status::success());
    std::lock_guard lock(mutex_);
    if (!s && error_.empty()) {
        error_ = s.message();
    }
    return error_.empty() ? Status::success() : Status(makeError(error_));
}

std::optional<OnAir> RecordingSession::onAir() const {
    std::lock_guard lock(mutex_);
    return onAir_;
}

bool RecordingSession::waitingForRoll() const {
    std::lock_guard lock(mutex_);
    return waitingForRoll_;
}

std::string RecordingSession::error() const {
    if (threaded_) {
        if (std::string e = threaded_->error(); !e.empty()) {
            return e;
        }
    }
    std::lock_guard lock(mutex_);
    return error_;
}

std::string RecordingSession::frameWarning(bool *fresh) {
    if (fresh != nullptr) {
        *fresh = false;
    }
    if (!options_.frameCounters) {
        return {};
    }
    const FrameCounters now = counters();
    std::lock_guard lock(mutex_);
    const std::string take = onAir_ ? "#" + std::to_string(onAir_->recipient.index) + " " +
                                          onAir_->recipient.displayName()
                                    : std::string();
    std::string warning = health_.warning(now, take);
    if (fresh != nullptr && !warning.empty() && !saidLosing_) {
        saidLosing_ = true;
        *fresh = true;
    }
    return warning;
}

std::size_t RecordingSession::filesWritten() const {
    std::lock_guard lock(mutex_);
    return files_;
}

} // namespace cuecard
