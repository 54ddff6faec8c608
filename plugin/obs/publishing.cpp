// SPDX-License-Identifier: GPL-2.0-or-later
#include "obs/publishing.hpp"

#include "obs/log.hpp"
#include "obs/plugin_state.hpp"
#include "obs/recording.hpp"

#include <obs.hpp>

#include <cstdlib>
#include <mutex>

namespace cuecard::obs {
namespace {

std::mutex gMutex;
PublishProfile gProfile;
PublishJob &job() {
    static PublishJob j;
    return j;
}

struct Field {
    const char *key;
    std::string PublishProfile::*plain = nullptr;
    std::string PageOptions::*page = nullptr;
    std::string DraftOptions::*draft = nullptr;
};
const Field kFields[] = {
    {"to", &PublishProfile::to},
    {"imap", &PublishProfile::imap},
    {"base_url", nullptr, &PageOptions::baseUrl},
    {"rep", nullptr, &PageOptions::repName},
    {"title", nullptr, &PageOptions::title},
    {"message", nullptr, &PageOptions::message},
    {"cta_text", nullptr, &PageOptions::ctaText},
    {"cta_url", nullptr, &PageOptions::ctaUrl},
    {"from", nullptr, nullptr, &DraftOptions::from},
    {"subject", nullptr, nullptr, &DraftOptions::subject},
    {"body", nullptr, nullptr, &DraftOptions::body},
    {"signature", nullptr, nullptr, &DraftOptions::signature},
};

std::string &fieldOf(PublishProfile &p, const Field &f) {
    return f.plain != nullptr ? p.*f.plain : f.page != nullptr ? p.page.*f.page : p.draft.*f.draft;
}

} // namespace

PublishProfile publishProfile() {
    std::lock_guard lock(gMutex);
    return gProfile;
}

void setPublishProfile(const PublishProfile &profile) {
    std::lock_guard lock(gMutex);
    gProfile = profile;
}

void savePublishProfile(obs_data_t *saveData, bool saving, void *) {
    guarded("publish profile save/load", [&] {
        if (saving) {
            const PublishProfile p = publishProfile();
            OBSDataAutoRelease obj = obs_data_create();
            for (const Field &f : kFields) {
                obs_data_set_string(obj, f.key,
                                    fieldOf(const_cast<PublishProfile &>(p), f).c_str());
            }
            obs_data_set_obj(saveData, "cuecard-publish", obj);
            return;
        }
        OBSDataAutoRelease obj = obs_data_get_obj(saveData, "cuecard-publish");
        PublishProfile p;
        if (obj != nullptr) {
            for (const Field &f : kFields) {
                if (obs_data_has_user_value(obj, f.key)) {
                    fieldOf(p, f) = obs_data_get_string(obj, f.key);
                }
            }
        }
        setPublishProfile(p);
    });
}

std::string publishFolder() {
    return recordingStatus().folder;
}

std::string startPublishing(const PublishProfile &profile, const std::string &imapPassword) {
    setPublishProfile(profile);
    const std::string folder = publishFolder();
    if (folder.empty() || folder == "OBS's recording folder") {
        return "no Cuecard recording folder to publish from yet: record with Cuecard's own "
               "modes first";
    }
    PublishJob::Secrets secrets;
    secrets.imapPassword = imapPassword;
    const char *home = std::getenv("HOME");
    secrets.home = home != nullptr ? home : ".";
    const std::string why = job().start(folder, profile, secrets, [](const PublishJobStatus &s) {
        CUECARD_LOG(s.phase == "failed" ? LOG_WARNING : LOG_INFO, "%s", publishingLine(s).c_str());
        for (const auto &e : s.errors) {
            CUECARD_LOG(LOG_WARNING, "publish: %s", e.c_str());
        }
    });
    if (why.empty()) {
        CUECARD_LOG(LOG_INFO, "publishing %s to %s%s", folder.c_str(), profile.to.c_str(),
                    profile.imap.empty() ? "" : " (and drafts)");
    }
    return why;
}

PublishJobStatus publishingStatus() {
    return job().status();
}

std::string publishingLine(const PublishJobStatus &s) {
    if (s.running) {
        return (s.phase == "drafting" ? "Making drafts " : "Publishing ") + std::to_string(s.done) +
               "/" + std::to_string(s.total) +
               (s.current.empty() ? std::string() : ": " + s.current);
    }
    if (s.phase.empty()) {
        return {};
    }
    std::string line = (s.phase == "failed" ? "Publishing failed: " : "Published: ") + s.summary;
    if (!s.errors.empty()) {
        line += "\n" + std::to_string(s.errors.size()) + " failed, e.g. " + s.errors.front();
    }
    return line;
}

} // namespace cuecard::obs
