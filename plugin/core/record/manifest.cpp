#include "core/record/manifest.hpp"
#include "core/util/read_file.hpp"

#include "core/util/atomic_file.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
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

Status Manifest::save() const {
    nlohmann::json files = nlohmann::json::array();
    std::ostringstream csv;
    csv << "recipient_id,name,email,company,file,take,started_at,ended_at,media_start,media_end,"
           "duration,frames,audio_samples,status\n";
    for (const auto &e : entries_) {
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
                         {"status", e.status}});
        char times[160];
        std::snprintf(times, sizeof times, "%.6f,%.6f,%.6f,%lld,%lld", e.mediaStart, e.mediaEnd,
                      e.duration, static_cast<long long>(e.frames),
                      static_cast<long long>(e.audioSamples));
        csv << csvCell(e.recipientId) << ',' << csvCell(e.name) << ',' << csvCell(e.email) << ','
            << csvCell(e.company) << ',' << csvCell(e.file) << ',' << e.take << ','
            << csvCell(e.startedAt) << ',' << csvCell(e.endedAt) << ',' << times << ','
            << csvCell(e.status) << '\n';
    }
    const nlohmann::json doc = {{"cuecard_manifest", 1}, {"files", files}};
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
