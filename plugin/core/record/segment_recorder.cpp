// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/record/segment_recorder.hpp"

#include "core/util/atomic_file.hpp"

#include <sys/statvfs.h>

#include <algorithm>
#include <cmath>

namespace cuecard {

Result<std::unique_ptr<SegmentRecorder>> SegmentRecorder::create(RecorderOptions options) {
    std::error_code ec;
    std::filesystem::create_directories(options.folder, ec);
    if (!std::filesystem::is_directory(options.folder, ec)) {
        return makeError("cannot create the output folder " + options.folder.string());
    }
    auto names = FileNameTemplate::parse(options.fileNamePattern);
    if (!names) {
        return makeError("file name template: " + names.message());
    }
    if (options.encoder.container != "mkv" && options.encoder.container != "mp4") {
        return makeError("format \"" + options.encoder.container + "\" is not mkv or mp4");
    }
    std::unique_ptr<SegmentRecorder> r(new SegmentRecorder());
    r->options_ = std::move(options);
    r->names_ = std::move(names.value());
    // Earlier sessions' files stay listed: the manifest is the folder's whole history (a damaged
    // one was moved aside by recoverRecordingFolder, which runs before a session resumes).
    std::string note;
    r->manifest_ = Manifest::load(r->options_.folder, note);
    r->firstEntryThisRun_ = r->manifest_.entries().size();
    r->frameNs_ = static_cast<std::uint64_t>(1'000'000'000.0 * r->options_.encoder.fpsDen /
                                             r->options_.encoder.fpsNum);
    return r;
}

SegmentRecorder::~SegmentRecorder() {
    if (!stopped_) {
        (void)stop("stopped: the recorder was closed");
    }
}

void SegmentRecorder::addBoundary(std::uint64_t timestampNs, Recipient recipient, int take,
                                  double overlayAt, std::string origin) {
    marks_.push_back(Mark{timestampNs, std::move(recipient), take, overlayAt, std::move(origin)});
}

void SegmentRecorder::addChapter(std::uint64_t timestampNs, std::string title) {
    const auto at = std::find_if(chapters_.begin(), chapters_.end(),
                                 [&](const ChapterMark &c) { return c.timestampNs > timestampNs; });
    chapters_.insert(at, ChapterMark{timestampNs, std::move(title)});
}

void SegmentRecorder::addPause(std::uint64_t timestampNs) {
    marks_.push_back(Mark{timestampNs, std::nullopt, 0, 0.0, {}});
}

Status SegmentRecorder::checkDisk() {
    struct statvfs st {};
    if (::statvfs(options_.folder.c_str(), &st) != 0) {
        return Status::success();
    }
    const std::uint64_t freeBytes = static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
    if (freeBytes < options_.minFreeBytes) {
        const std::string why = "stopped: the disk is almost full (" +
                                std::to_string(freeBytes / (1024 * 1024)) + " MB free in " +
                                options_.folder.string() + ")";
        (void)stop(why);
        return makeError("recording " + why + "; every file so far is complete");
    }
    return Status::success();
}

Status SegmentRecorder::openFor(const Mark &mark, std::uint64_t frameTs) {
    const Recipient &r = *mark.recipient;
    auto path = claimNewFile(options_.folder, names_.takeStem(r, mark.take),
                             "." + options_.encoder.container);
    if (!path) {
        return path.error();
    }
    const std::vector<std::pair<std::string, std::string>> metadata{
        {"title", r.displayName()},
        {"comment", "Cuecard recipient id=" + r.id + " take=" + std::to_string(mark.take)},
        {"CUECARD_RECIPIENT_ID", r.id}};
    auto file = SegmentFile::open(*path, options_.encoder, metadata);
    if (!file) {
        std::error_code ec;
        std::filesystem::remove(*path, ec); // the empty claim, never a take
        return file.error();
    }
    file_ = std::move(file.value());
    segmentStartNs_ = frameTs;
    ManifestEntry e;
    e.recipientId = r.id;
    e.name = r.displayName();
    e.email = std::string(r.get("email"));
    e.company = std::string(r.get("company"));
    e.file = path->filename().string();
    e.take = mark.take;
    e.origin = mark.origin;
    e.startedAt = utcIso8601();
    e.mediaStart = static_cast<double>(frameTs - sessionStartNs_) / 1e9;
    e.overlayAt = std::round(mark.overlayAt * 1000.0) / 1000.0; // whole milliseconds
    manifest_.entries().push_back(std::move(e));
    entry_ = manifest_.entries().size() - 1;
    return manifest_.save();
}

Status SegmentRecorder::closeCurrent(const std::string &status) {
    if (!file_) {
        return Status::success();
    }
    Status closed = file_->close();
    ManifestEntry &e = manifest_.entries()[*entry_];
    e.frames = file_->frames();
    e.audioSamples = file_->audioSamples();
    e.duration = static_cast<double>(file_->frames()) * static_cast<double>(frameNs_) / 1e9;
    e.mediaEnd = e.mediaStart + e.duration;
    e.endedAt = utcIso8601();
    e.status = closed ? status : "error: " + closed.message();
    file_.reset();
    Status saved = manifest_.save();
    if (onFileClosed_) {
        onFileClosed_(e);
    }
    entry_.reset();
    return closed ? saved : closed;
}

Status SegmentRecorder::flushAudioBefore(std::uint64_t untilNs) {
    const int rate = options_.encoder.sampleRate;
    while (!audio_.empty()) {
        AudioChunk &c = audio_.front();
        if (c.timestampNs >= untilNs) {
            return Status::success();
        }
        // Samples whose time is before `untilNs` go now; the rest wait (exact integer math).
        const std::uint64_t span = untilNs - c.timestampNs;
        const std::uint64_t take64 =
            (span * static_cast<std::uint64_t>(rate) + 999'999'999ull) / 1'000'000'000ull;
        const int take = static_cast<int>(std::min<std::uint64_t>(take64, c.frames));
        if (file_ && !paused_ && take > 0) {
            std::vector<const float *> planes;
            for (auto &p : c.planes) {
                planes.push_back(p.data());
            }
            if (Status s = file_->writeAudio(planes.data(), take); !s) {
                return s;
            }
        }
        if (take >= c.frames) {
            audio_.pop_front();
            continue;
        }
        for (auto &p : c.planes) {
            p.erase(p.begin(), p.begin() + take);
        }
        c.frames -= take;
        c.timestampNs +=
            static_cast<std::uint64_t>(take) * 1'000'000'000ull / static_cast<std::uint64_t>(rate);
        return Status::success();
    }
    return Status::success();
}

Status SegmentRecorder::pushVideo(const VideoInput &frame) {
    if (stopped_) {
        return makeError("the recorder has stopped");
    }
    if (!haveStart_) {
        sessionStartNs_ = frame.timestampNs;
        haveStart_ = true;
    }
    // Switches due at this frame: only the last one counts. A recipient switched past within
    // one frame was never on a frame of their own: no file (it could hold no frame and no
    // player would open it), no manifest entry, and they stay to be recorded.
    std::optional<Mark> due;
    while (!marks_.empty() && marks_.front().timestampNs <= frame.timestampNs) {
        due = std::move(marks_.front());
        marks_.pop_front();
    }
    const bool sameTake = due && due->recipient && file_ && entry_ &&
                          manifest_.entries()[*entry_].recipientId == due->recipient->id &&
                          manifest_.entries()[*entry_].take == due->take &&
                          manifest_.entries()[*entry_].origin == due->origin;
    // The same take announced twice (start and switch): one file. The same person from
    // another queue is another take (each queue counts its own).
    if (due && !sameTake) {
        // Audio before this frame belongs to the file that is ending.
        if (Status s = flushAudioBefore(frame.timestampNs); !s) {
            (void)closeCurrent("error: " + s.message());
            return s;
        }
        if (Status s = closeCurrent("complete"); !s) {
            return s;
        }
        paused_ = !due->recipient.has_value();
        if (!paused_) {
            if (Status s = openFor(*due, frame.timestampNs); !s) {
                paused_ = true;
                return s;
            }
        }
    }
    lastVideoNs_ = frame.timestampNs;
    if (!paused_ && file_) {
        if (Status s = file_->writeVideo(frame); !s) {
            (void)closeCurrent("error: " + s.message());
            paused_ = true;
            return s;
        }
    }
    // Chapters due at this frame go into this file, at this frame's time.
    while (!chapters_.empty() && chapters_.front().timestampNs <= frame.timestampNs) {
        if (!paused_ && file_ && entry_) {
            const double at = static_cast<double>(frame.timestampNs - segmentStartNs_) / 1e9;
            file_->addChapter(at, chapters_.front().title);
            manifest_.entries()[*entry_].chapters.push_back({at, chapters_.front().title});
        }
        chapters_.pop_front();
    }
    if (Status s = flushAudioBefore(frame.timestampNs + frameNs_); !s) {
        (void)closeCurrent("error: " + s.message());
        return s;
    }
    if (++framesSinceDiskCheck_ >= 15) {
        framesSinceDiskCheck_ = 0;
        return checkDisk();
    }
    return Status::success();
}

Status SegmentRecorder::pushAudio(std::uint64_t timestampNs, const float *const *planes,
                                  int frames) {
    if (stopped_ || frames <= 0) {
        return Status::success();
    }
    AudioChunk c;
    c.timestampNs = timestampNs;
    c.frames = frames;
    for (int ch = 0; ch < options_.encoder.channels; ++ch) {
        c.planes.emplace_back(planes[ch], planes[ch] + frames);
    }
    audio_.push_back(std::move(c));
    return Status::success();
}

Status SegmentRecorder::stop(const std::string &status) {
    if (stopped_) {
        return Status::success();
    }
    stopped_ = true;
    // Audio up to the end of the last frame belongs to the last file.
    Status flushed = flushAudioBefore(lastVideoNs_ + frameNs_);
    audio_.clear();
    Status closed = closeCurrent(flushed ? status : "error: " + flushed.message());
    return flushed ? closed : flushed;
}

} // namespace cuecard
