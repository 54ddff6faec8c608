#include "core/record/manifest.hpp"

#include "core/util/atomic_file.hpp"

#include <nlohmann/json.hpp>

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

} // namespace cuecard
