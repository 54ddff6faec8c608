// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/session/folder_recovery.hpp"

#include "core/record/media_probe.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <set>

namespace cuecard {
namespace {

bool isRecordingFile(const std::filesystem::path &p) {
    const std::string ext = p.extension().string();
    return ext == ".mkv" || ext == ".mp4";
}

std::string modifiedAt(const std::filesystem::path &p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
        return "";
    }
    std::tm tm{};
    gmtime_r(&st.st_mtime, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

/// "take=3" in the comment tag the recorder writes; 1 when absent.
int takeFromComment(const std::string &comment) {
    const auto at = comment.find("take=");
    if (at == std::string::npos) {
        return 1;
    }
    try {
        return std::max(1, std::stoi(comment.substr(at + 5)));
    } catch (...) {
        return 1;
    }
}

/// Fills in what the file on disk still holds.
void describeInterrupted(const std::filesystem::path &folder, ManifestEntry &e,
                         std::vector<std::string> &notes) {
    e.status = "interrupted";
    e.endedAt = modifiedAt(folder / e.file);
    auto probe = probeMedia(folder / e.file);
    if (!probe) {
        e.frames = 0;
        e.duration = 0.0;
        e.audioSamples = 0;
        notes.push_back(probe.message());
        return;
    }
    e.frames = probe->frames;
    e.duration = probe->duration;
    e.audioSamples = probe->audioSamples;
    e.mediaEnd = e.mediaStart + e.duration;
    if (e.frames == 0) {
        notes.push_back(e.file + " was interrupted before its first frame was written");
    }
}

} // namespace

std::string FolderRecovery::message() const {
    std::string m;
    for (const auto &e : interrupted) {
        m += (m.empty() ? "" : "; ") + e.file + " was interrupted (" + std::to_string(e.frames) +
             " playable frames)";
    }
    for (const auto &n : notes) {
        m += (m.empty() ? "" : "; ") + n;
    }
    return m;
}

FolderRecovery recoverRecordingFolder(const std::filesystem::path &folder) {
    FolderRecovery r;
    std::string note;
    r.manifest = Manifest::load(folder, note);
    if (!note.empty()) {
        r.notes.push_back(note);
    }
    bool changed = false;
    std::set<std::string> listed;
    for (auto &e : r.manifest.entries()) {
        listed.insert(e.file);
        if (e.status == "recording") {
            describeInterrupted(folder, e, r.notes);
            r.interrupted.push_back(e);
            changed = true;
        }
    }
    // A file claimed and opened just before the crash, before the manifest listed it.
    std::error_code ec;
    std::vector<std::filesystem::path> unlisted;
    for (const auto &item : std::filesystem::directory_iterator(folder, ec)) {
        const auto &p = item.path();
        if (item.is_regular_file(ec) && isRecordingFile(p) &&
            listed.count(p.filename().string()) == 0) {
            unlisted.push_back(p);
        }
    }
    std::sort(unlisted.begin(), unlisted.end());
    for (const auto &p : unlisted) {
        auto probe = probeMedia(p);
        if (!probe || probe->recipientId.empty()) {
            continue; // not a Cuecard recording: not ours to list
        }
        ManifestEntry e;
        e.recipientId = probe->recipientId;
        e.name = probe->title;
        e.file = p.filename().string();
        e.take = takeFromComment(probe->comment);
        describeInterrupted(folder, e, r.notes);
        r.manifest.entries().push_back(e);
        r.interrupted.push_back(e);
        changed = true;
    }
    if (changed) {
        if (Status s = r.manifest.save(); !s) {
            r.notes.push_back("the manifest could not be updated: " + s.message());
        }
    }
    return r;
}

ResumeReport applyResume(Session &session, const SessionJournal &journal,
                         const SessionJournal::File &file, const FolderRecovery &recovery) {
    ResumeReport report = journal.apply(session, file);
    if (addTakesFromManifest(session, recovery.manifest) > 0) {
        const int first = session.firstNotDone();
        if (first >= 0) {
            session.jumpTo(first + 1);
        }
        report.resumed = true;
    }
    if (const std::string m = recovery.message(); !m.empty()) {
        report.message += (report.message.empty() ? "" : "; ") + m;
    }
    return report;
}

ResumeReport resumeFromFolder(Session &session, const SessionJournal &journal,
                              const FolderRecovery &recovery) {
    ResumeReport report = applyResume(session, journal, journal.read(), recovery);
    journal.setAsideIfAsked(report);
    if (Status s = journal.save(session); !s) {
        report.message += "; the journal could not be saved: " + s.message();
    }
    return report;
}

int addTakesFromManifest(Session &session, const Manifest &manifest) {
    int added = 0;
    for (const auto &e : manifest.entries()) {
        Take t;
        t.number = e.take;
        t.file = e.file;
        t.startedAt = e.startedAt;
        t.endedAt = e.endedAt;
        t.status = e.status;
        added += session.addTake(e.recipientId, std::move(t), e.status == "complete") ? 1 : 0;
    }
    return added;
}

} // namespace cuecard
