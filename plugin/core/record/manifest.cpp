// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/record/manifest.hpp"
#include "core/util/read_file.hpp"

#include "core/util/atomic_file.hpp"
#include "core/util/version.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

namespace cuecard {

std::string Manifest::csvCell(const std::string &value) {
    std::string v = value;
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' ||
                       v[0] == '\r')) {
        v.insert(0, "'");
    }
    if (v.find_first_of(",\"\n\r") == std::string::npos) {
        return v;
    }
    std::string out = "\"";
    for (char c : v) {
        out += c == '"' ? "\"\"" : std::string(1, c);
    }
    return out + "\"";
}

namespace {

nlohmann::json chapters(const ManifestEntry &e) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto &c : e.chapters) {
        out.push_back({{"at", c.at}, {"title", c.title}});
    }
    return out;
}

/// One lock for every manifest this process writes (saves are rare and small).
std::mutex &manifestMutex() {
    static std::mutex m;
    return m;
}

ManifestEntry parseEntry(const nlohmann::json &f);

/// The manifest on disk, or nothing (none yet, or damaged: then the caller's copy wins).
std::optional<std::vector<ManifestEntry>> readEntries(const std::filesystem::path &folder) {
    const auto text = readFile(folder / "manifest.json");
    if (!text) {
        return std::nullopt;
    }
    try {
        std::vector<ManifestEntry> out;
        const nlohmann::json doc = nlohmann::json::parse(*text);
        for (const auto &f : doc.at("files")) {
            out.push_back(parseEntry(f));
        }
        return out;
    } catch (const nlohmann::json::exception &) {
        return std::nullopt;
    }
}

void copyAssets(ManifestEntry &to, const ManifestEntry &from) {
    to.poster = from.poster;
    to.previewGif = from.previewGif;
    to.emailHtml = from.emailHtml;
    to.previewBytes = from.previewBytes;
    if (!from.pageUrl.empty()) {
        to.pageUrl = from.pageUrl;
    }
    if (!from.draftMessageId.empty()) {
        to.draftMessageId = from.draftMessageId;
    }
}

} // namespace

Status Manifest::save() const {
    std::lock_guard lock(manifestMutex());
    std::vector<ManifestEntry> entries = entries_;
    if (auto onDisk = readEntries(folder_)) {
        for (auto &e : entries) {
            for (const auto &d : *onDisk) {
                if (e.poster.empty() && d.file == e.file && !d.poster.empty()) {
                    copyAssets(e, d);
                }
                if (e.pageUrl.empty() && d.file == e.file) {
                    e.pageUrl = d.pageUrl; // published meanwhile (cuecard publish)
                }
                if (e.draftMessageId.empty() && d.file == e.file) {
                    e.draftMessageId = d.draftMessageId; // and drafted (cuecard drafts)
                }
            }
        }
    }
    return writeEntries(entries);
}

Status updateManifestAssets(const std::filesystem::path &folder, const ManifestEntry &entry) {
    std::lock_guard lock(manifestMutex());
    auto onDisk = readEntries(folder);
    if (!onDisk) {
        return makeError("manifest.json in " + folder.string() + " cannot be read");
    }
    bool found = false;
    for (auto &e : *onDisk) {
        if (e.file == entry.file) {
            copyAssets(e, entry);
            found = true;
        }
    }
    if (!found) {
        return makeError("manifest.json in " + folder.string() + " does not list " + entry.file);
    }
    Manifest m(folder);
    m.entries() = std::move(*onDisk);
    return m.writeEntries(m.entries());
}

Status Manifest::writeEntries(const std::vector<ManifestEntry> &entries) const {
    nlohmann::json files = nlohmann::json::array();
    std::ostringstream csv;
    csv << "recipient_id,name,email,company,file,take,started_at,ended_at,media_start,media_end,"
           "duration,frames,audio_samples,status,poster,preview_gif,email_html,preview_bytes,page_"
           "url\n";
    for (const auto &e : entries) {
        files.push_back({{"recipient_id", e.recipientId},
                         {"name", e.name},
                         {"email", e.email},
                         {"company", e.company},
                         {"file", e.file},
                         {"take", e.take},
                         {"started_at", e.startedAt},
                         {"ended_at", e.endedAt},
                         {"media_start", e.mediaStart},
                         {"media_end", e.mediaEnd},
                         {"duration", e.duration},
                         {"frames", e.frames},
                         {"audio_samples", e.audioSamples},
                         {"status", e.status},
                         {"overlay_at", e.overlayAt},
                         {"chapters", chapters(e)},
                         {"poster", e.poster},
                         {"preview_gif", e.previewGif},
                         {"email_html", e.emailHtml},
                         {"preview_bytes", e.previewBytes},
                         {"page_url", e.pageUrl},
                         {"draft_message_id", e.draftMessageId}});
        char times[160];
        std::snprintf(times, sizeof times, "%.6f,%.6f,%.6f,%lld,%lld", e.mediaStart, e.mediaEnd,
                      e.duration, static_cast<long long>(e.frames),
                      static_cast<long long>(e.audioSamples));
        csv << csvCell(e.recipientId) << ',' << csvCell(e.name) << ',' << csvCell(e.email) << ','
            << csvCell(e.company) << ',' << csvCell(e.file) << ',' << e.take << ','
            << csvCell(e.startedAt) << ',' << csvCell(e.endedAt) << ',' << times << ','
            << csvCell(e.status) << ',' << csvCell(e.poster) << ',' << csvCell(e.previewGif) << ','
            << csvCell(e.emailHtml) << ',' << e.previewBytes << ',' << csvCell(e.pageUrl) << '\n';
    }
    const nlohmann::json doc = {
        {"cuecard_manifest", 1}, {"cuecard_version", version()}, {"files", files}};
    if (Status s = writeFileAtomically(folder_ / "manifest.json", doc.dump(2) + "\n"); !s) {
        return s;
    }
    return writeFileAtomically(folder_ / "manifest.csv", csv.str());
}

namespace {

ManifestEntry parseEntry(const nlohmann::json &f) {
    ManifestEntry e;
    e.recipientId = f.at("recipient_id").get<std::string>();
    e.name = f.value("name", "");
    e.email = f.value("email", "");
    e.company = f.value("company", "");
    e.file = f.at("file").get<std::string>();
    e.take = f.value("take", 1);
    e.startedAt = f.value("started_at", "");
    e.endedAt = f.value("ended_at", "");
    e.mediaStart = f.value("media_start", 0.0);
    e.mediaEnd = f.value("media_end", 0.0);
    e.duration = f.value("duration", 0.0);
    e.frames = f.value("frames", std::int64_t{0});
    e.audioSamples = f.value("audio_samples", std::int64_t{0});
    e.status = f.value("status", "recording");
    e.overlayAt = f.value("overlay_at", 0.0);
    if (const auto c = f.find("chapters"); c != f.end() && c->is_array()) {
        for (const auto &chapter : *c) {
            e.chapters.push_back({chapter.value("at", 0.0), chapter.value("title", "")});
        }
    }
    e.poster = f.value("poster", "");
    e.previewGif = f.value("preview_gif", "");
    e.emailHtml = f.value("email_html", "");
    e.previewBytes = f.value("preview_bytes", std::int64_t{0});
    e.pageUrl = f.value("page_url", "");
    e.draftMessageId = f.value("draft_message_id", "");
    return e;
}

} // namespace

Manifest Manifest::load(const std::filesystem::path &folder, std::string &note) {
    Manifest manifest(folder);
    const std::filesystem::path path = folder / "manifest.json";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return manifest;
    }
    const std::string text = readFile(path).value_or("");
    try {
        const nlohmann::json doc = nlohmann::json::parse(text);
        for (const auto &f : doc.at("files")) {
            manifest.entries_.push_back(parseEntry(f));
        }
        return manifest;
    } catch (const nlohmann::json::exception &) {
        manifest.entries_.clear();
    }
    auto moved =
        renameWithoutReplacing(path, folder / ("manifest.damaged-" + utcStamp() + ".json"));
    note = "manifest.json in " + folder.string() + " is damaged; " +
           (moved ? "it was kept as " + moved->filename().string()
                  : "it could not be moved aside (" + moved.message() + ")") +
           " and a new manifest started";
    return manifest;
}

} // namespace cuecard
