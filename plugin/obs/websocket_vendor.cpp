// SPDX-License-Identifier: GPL-2.0-or-later
// obs-websocket 5 vendor requests through its proc handler (the documented vendor API:
// "obs_websocket_api_get_ph", then "vendor_register" and "vendor_request_register"), so a Stream
// Deck or a script can drive Cuecard: CallVendorRequest {vendorName: "cuecard", requestType}.

#include "obs/websocket_vendor.hpp"

#include "obs/dock.hpp"
#include "obs/log.hpp"
#include "obs/overlay_sources.hpp"
#include "obs/plugin_state.hpp"
#include "obs/publishing.hpp"
#include "obs/recording.hpp"

#include "core/picture/address_policy.hpp"
#include "core/util/version.hpp"

#include <callback/calldata.h>
#include <callback/proc.h>
#include <obs-module.h>
#include <obs.hpp>

#include <string>

namespace cuecard::obs {
namespace {

using RequestFn = void (*)(obs_data_t *request, obs_data_t *response, void *priv);
struct RequestCallback { // layout of obs-websocket's obs_websocket_request_callback
    RequestFn callback;
    void *priv;
};

void putRecipient(obs_data_t *parent, const char *key, const Recipient &r) {
    OBSDataAutoRelease d = obs_data_create();
    obs_data_set_string(d, "id", r.id.c_str());
    obs_data_set_int(d, "index", r.index);
    obs_data_set_string(d, "name", r.displayName().c_str());
    for (const char *field : {"company", "title", "email"}) {
        obs_data_set_string(d, field, std::string(r.get(field)).c_str());
    }
    obs_data_set_obj(parent, key, d);
}

void putState(obs_data_t *response) {
    const HubSnapshot s = state().hub.snapshot();
    obs_data_set_string(response, "version", versionLine().c_str());
    obs_data_set_bool(response, "loaded", s.loaded);
    obs_data_set_string(response, "queue_path", s.queuePath.c_str());
    obs_data_set_int(response, "index", s.index);
    obs_data_set_int(response, "total", s.counts.total);
    obs_data_set_bool(response, "visible", s.visible);
    obs_data_set_string(response, "state", stateName(s.state));
    // The queue's error, else the first source that cannot draw (a broken theme file), and
    // every source with its theme and error.
    const std::string sourceError = state().sources.firstError();
    // Rows the queue's loading skipped are an error too (the first of them, in cuecard check's
    // words), after a queue or source that cannot be used at all.
    OBSDataArrayAutoRelease problems = obs_data_array_create();
    if (s.queueProblems) {
        for (const std::string &line : s.queueProblems->lines) {
            OBSDataAutoRelease item = obs_data_create();
            obs_data_set_string(item, "text", line.c_str());
            obs_data_array_push_back(problems, item);
        }
    }
    obs_data_set_array(response, "queue_problems", problems);
    obs_data_set_int(response, "rows_skipped", s.rowsSkipped());
    const std::string error = !s.error.empty()             ? s.error
                              : !sourceError.empty()       ? sourceError
                              : s.queueProblems != nullptr ? s.queueProblems->firstSkipped
                                                           : std::string();
    obs_data_set_string(response, "error", error.c_str());
    OBSDataArrayAutoRelease sources = obs_data_array_create();
    for (const SourceReport &r : state().sources.all()) {
        OBSDataAutoRelease item = obs_data_create();
        obs_data_set_string(item, "name", r.name.c_str());
        obs_data_set_string(item, "theme", r.theme.c_str());
        obs_data_set_string(item, "error", r.error.c_str());
        obs_data_array_push_back(sources, item);
    }
    obs_data_set_array(response, "sources", sources);
    obs_data_set_string(response, "notice", s.notice.c_str());
    // Pictures and captures from the rep's own network (the dock's setting or
    // CUECARD_ALLOW_PRIVATE_HOSTS=1).
    obs_data_set_bool(response, "private_hosts_allowed", privateHostsAllowed());
    OBSDataAutoRelease counts = obs_data_create();
    obs_data_set_int(counts, "pending", s.counts.pending);
    obs_data_set_int(counts, "recorded", s.counts.recorded);
    obs_data_set_int(counts, "skipped", s.counts.skipped);
    obs_data_set_int(counts, "retake", s.counts.retake);
    obs_data_set_obj(response, "counts", counts);
    if (s.current) {
        putRecipient(response, "current", *s.current);
    }
    if (s.next) {
        putRecipient(response, "next", *s.next);
    }
    // A team campaign: who this rep is, what they hold, the team's progress.
    if (const auto team = state().campaigns.view()) {
        OBSDataAutoRelease t = obs_data_create();
        obs_data_set_string(t, "campaign", team->campaign.c_str());
        obs_data_set_string(t, "rep", team->rep.c_str());
        obs_data_set_bool(t, "online", team->online);
        obs_data_set_bool(t, "done", team->done);
        obs_data_set_string(t, "error", team->error.c_str());
        obs_data_set_int(t, "claimed", team->claimed);
        obs_data_set_int(t, "ahead", team->ahead);
        obs_data_set_int(t, "waiting", team->waiting);
        obs_data_set_int(t, "reported", team->reported);
        OBSDataArrayAutoRelease notices = obs_data_array_create();
        for (const std::string &n : team->notices) {
            OBSDataAutoRelease item = obs_data_create();
            obs_data_set_string(item, "text", n.c_str());
            obs_data_array_push_back(notices, item);
        }
        obs_data_set_array(t, "notices", notices);
        if (team->statusKnown) {
            const CampaignStatus &cs = team->status;
            obs_data_set_int(t, "total", cs.total);
            obs_data_set_int(t, "recorded", cs.recorded);
            obs_data_set_int(t, "skipped", cs.skipped);
            obs_data_set_int(t, "in_progress", cs.claimed);
            obs_data_set_int(t, "left", cs.left);
            OBSDataArrayAutoRelease reps = obs_data_array_create();
            for (const RepProgress &rp : cs.reps) {
                OBSDataAutoRelease item = obs_data_create();
                obs_data_set_string(item, "rep", rp.rep.c_str());
                obs_data_set_int(item, "recorded", rp.recorded);
                obs_data_set_int(item, "skipped", rp.skipped);
                obs_data_set_int(item, "claimed", rp.claimed);
                obs_data_set_double(item, "per_hour", rp.perHour);
                obs_data_array_push_back(reps, item);
            }
            obs_data_set_array(t, "reps", reps);
        }
        OBSDataArrayAutoRelease lines = obs_data_array_create();
        for (const std::string &line : describeTeam(*team)) {
            OBSDataAutoRelease item = obs_data_create();
            obs_data_set_string(item, "text", line.c_str());
            obs_data_array_push_back(lines, item);
        }
        obs_data_set_array(t, "summary", lines);
        obs_data_set_obj(response, "team", t);
    }
    const RecordingStatus r = recordingStatus();
    OBSDataAutoRelease recording = obs_data_create();
    obs_data_set_bool(recording, "active", r.recording);
    obs_data_set_string(recording, "mode", r.mode.c_str());
    obs_data_set_string(recording, "folder", r.folder.c_str());
    obs_data_set_bool(recording, "waiting_for_roll", r.standby);
    obs_data_set_string(recording, "error", r.error.c_str());
    obs_data_set_string(recording, "frame_warning", r.frameWarning.c_str());
    obs_data_set_string(recording, "busy", r.busy.c_str());
    if (r.onAir) {
        // Whose file is being written now, and for how long (the dock's REC line).
        OBSDataAutoRelease air = obs_data_create();
        obs_data_set_string(air, "id", r.onAir->id.c_str());
        obs_data_set_string(air, "who", r.onAir->who.c_str());
        obs_data_set_int(air, "take", r.onAir->take);
        obs_data_set_double(air, "seconds", r.onAir->seconds);
        obs_data_set_obj(recording, "on_air", air);
    }
    // The email assets of the files recorded so far (made after each file closes).
    const AssetProgress a = state().assets.progress();
    OBSDataAutoRelease assets = obs_data_create();
    obs_data_set_int(assets, "queued", a.queued);
    obs_data_set_int(assets, "done", a.done);
    obs_data_set_int(assets, "failed", a.failed);
    obs_data_set_string(assets, "last_error", a.errors.empty() ? "" : a.errors.back().c_str());
    obs_data_set_obj(recording, "assets", assets);
    obs_data_set_obj(response, "recording", recording);
    // "Publish and draft…": where it is, or how the last run went.
    const PublishJobStatus p = publishingStatus();
    OBSDataAutoRelease publish = obs_data_create();
    obs_data_set_bool(publish, "running", p.running);
    obs_data_set_string(publish, "phase", p.phase.c_str());
    obs_data_set_int(publish, "done", p.done);
    obs_data_set_int(publish, "total", p.total);
    obs_data_set_string(publish, "current", p.current.c_str());
    obs_data_set_string(publish, "summary", p.summary.c_str());
    obs_data_set_int(publish, "failed", static_cast<long long>(p.errors.size()));
    obs_data_set_string(publish, "first_error", p.errors.empty() ? "" : p.errors.front().c_str());
    obs_data_set_string(publish, "outreach_csv", p.outreachCsv.c_str());
    obs_data_set_obj(response, "publish", publish);
}

/// ok, and error when there is one (without the state).
void answerOnly(obs_data_t *response, const std::string &error) {
    obs_data_set_bool(response, "ok", error.empty());
    if (!error.empty()) {
        obs_data_set_string(response, "error", error.c_str());
    }
}

void answer(obs_data_t *response, const std::string &error) {
    answerOnly(response, error);
    putState(response);
}

void sessionStart(obs_data_t *request, obs_data_t *response, void *) {
    try {
        RecordingRequest r;
        if (request != nullptr) {
            r.folder = obs_data_get_string(request, "folder");
            if (obs_data_has_user_value(request, "mode")) {
                r.mode = obs_data_get_string(request, "mode");
            }
            if (obs_data_has_user_value(request, "format")) {
                r.format = obs_data_get_string(request, "format");
            }
            r.videoUrl = obs_data_get_string(request, "video_url");
            r.gifMaxKb = static_cast<int>(obs_data_get_int(request, "gif_max_kb"));
        }
        answer(response, postStart(r)); // on the task thread: never on obs-websocket's
    } catch (const std::exception &e) {
        answer(response, e.what());
    } catch (...) {
        answer(response, "unknown error");
    }
}

void sessionStop(obs_data_t *, obs_data_t *response, void *) {
    try {
        answer(response, postStop());
    } catch (const std::exception &e) {
        answer(response, e.what());
    } catch (...) {
        answer(response, "unknown error");
    }
}

void rollRequest(obs_data_t *, obs_data_t *response, void *) {
    try {
        answer(response, roll());
    } catch (const std::exception &e) {
        answer(response, e.what());
    } catch (...) {
        answer(response, "unknown error");
    }
}

template <bool (*Action)()> void simple(obs_data_t *, obs_data_t *response, void *) {
    try {
        const bool ok = Action();
        obs_data_set_bool(response, "ok", ok);
        putState(response);
    } catch (const std::exception &e) {
        obs_data_set_bool(response, "ok", false);
        obs_data_set_string(response, "error", e.what());
    } catch (...) {
        obs_data_set_bool(response, "ok", false);
        obs_data_set_string(response, "error", "unknown error");
    }
}

bool doNext() {
    return state().hub.next();
}
bool doPrevious() {
    return state().hub.previous();
}
bool doToggle() {
    state().hub.toggle();
    return true;
}
bool doSkip() {
    return state().hub.skip();
}
bool doRetake() {
    return state().hub.retake();
}
bool doMarkDone() {
    return state().hub.markDone();
}
bool doNothing() {
    return true;
}

void jump(obs_data_t *request, obs_data_t *response, void *) {
    try {
        bool ok = false;
        if (request != nullptr && obs_data_has_user_value(request, "id")) {
            ok = state().hub.jumpToId(obs_data_get_string(request, "id"));
        } else if (request != nullptr && obs_data_has_user_value(request, "index")) {
            ok = state().hub.jump(static_cast<int>(obs_data_get_int(request, "index")));
        } else {
            obs_data_set_string(response, "error", "jump needs \"index\" (1-based) or \"id\"");
        }
        obs_data_set_bool(response, "ok", ok);
        putState(response);
    } catch (const std::exception &e) {
        obs_data_set_bool(response, "ok", false);
        obs_data_set_string(response, "error", e.what());
    } catch (...) {
        obs_data_set_bool(response, "ok", false);
        obs_data_set_string(response, "error", "unknown error");
    }
}

/// {"source": "Cuecard overlay", "quad": "600,300 1400,380 1360,760 640,700"}: the corners of
/// that source's first group, saved in its settings (the source checks them).
void setQuad(obs_data_t *request, obs_data_t *response, void *) {
    std::string error = guarded("set_quad", [&]() -> std::string {
        if (request == nullptr || !obs_data_has_user_value(request, "source") ||
            !obs_data_has_user_value(request, "quad")) {
            return "set_quad needs \"source\" (a Cuecard overlay's name) and \"quad\" "
                   "(\"x,y x,y x,y x,y\", clockwise from the top-left)";
        }
        const char *name = obs_data_get_string(request, "source");
        OBSSourceAutoRelease source = obs_get_source_by_name(name);
        if (!source || std::string(obs_source_get_id(source)) != "cuecard_overlay") {
            return std::string("no Cuecard overlay named \"") + name + "\"";
        }
        calldata_t cd = {};
        calldata_set_string(&cd, "quad", obs_data_get_string(request, "quad"));
        proc_handler_call(obs_source_get_proc_handler(source), "cuecard_set_quad", &cd);
        std::string why = calldata_bool(&cd, "ok") ? "" : calldata_string(&cd, "error");
        calldata_free(&cd);
        return why;
    });
    answerOnly(response, error);
}

/// {"title": "Pricing"} (optional): a chapter in the file being recorded now.
void chapterRequest(obs_data_t *request, obs_data_t *response, void *) {
    std::string error = guarded("chapter", [&]() -> std::string {
        return chapter(request != nullptr ? obs_data_get_string(request, "title") : "");
    });
    answer(response, error);
}

/// {"x": 0, "y": 0, "width": 480, "height": 800} (all optional): the dock floats, shown and on
/// top (plugin docks start hidden in OBS 29; scripts and the e2e screenshot use this).
void showDockRequest(obs_data_t *request, obs_data_t *response, void *) {
    std::string error = guarded("show_dock", [&]() -> std::string {
        DockGeometry g;
        if (request != nullptr) {
            g.x = static_cast<int>(obs_data_get_int(request, "x"));
            g.y = static_cast<int>(obs_data_get_int(request, "y"));
            g.width = static_cast<int>(obs_data_get_int(request, "width"));
            g.height = static_cast<int>(obs_data_get_int(request, "height"));
        }
        return showDock(g);
    });
    answerOnly(response, error);
}

/// {"path": "/home/rep/queues/march.csv"}: the queue of every Cuecard source, as the dock's
/// "Open queue…" (saved with the scene collection); with no source the dock still lists it.
void openQueueRequest(obs_data_t *request, obs_data_t *response, void *) {
    int sources = 0;
    std::string error = guarded("open_queue", [&]() -> std::string {
        if (request == nullptr || !obs_data_has_user_value(request, "path")) {
            return "open_queue needs \"path\" (a CSV, TSV or JSON queue file)";
        }
        sources = openQueueEverywhere(obs_data_get_string(request, "path"));
        return "";
    });
    answerOnly(response, error);
    obs_data_set_int(response, "sources", sources);
}

/// {"theme": "title-card"} or a theme file's path: the theme of every Cuecard source, as the
/// dock's theme list. Whether each source can draw it: get_state's `sources`.
void setThemeRequest(obs_data_t *request, obs_data_t *response, void *) {
    int sources = 0;
    std::string error = guarded("set_theme", [&]() -> std::string {
        if (request == nullptr || !obs_data_has_user_value(request, "theme")) {
            return "set_theme needs \"theme\" (a built-in theme's name or a theme file)";
        }
        sources = setThemeEverywhere(obs_data_get_string(request, "theme"));
        return sources == 0 ? "no Cuecard Overlay source to set the theme of: add one first" : "";
    });
    answerOnly(response, error);
    obs_data_set_int(response, "sources", sources);
}

/// {"to": "/srv/www/v" or "sftp://…", "base_url": "https://…", "rep", "message", "cta_text",
/// "cta_url", "imap": "imaps://…", "from", "subject", "body", "signature", "imap_password"}: every
/// field given replaces the saved profile's (saved with the scene collection, the password never);
/// then the recording folder is published (and drafted) on a thread of its own: get_state's
/// `publish` says how far it is.
void publishRequest(obs_data_t *request, obs_data_t *response, void *) {
    std::string error = guarded("publish", [&]() -> std::string {
        PublishProfile p = publishProfile();
        const std::pair<const char *, std::string *> fields[] = {{"to", &p.to},
                                                                 {"base_url", &p.page.baseUrl},
                                                                 {"rep", &p.page.repName},
                                                                 {"title", &p.page.title},
                                                                 {"message", &p.page.message},
                                                                 {"cta_text", &p.page.ctaText},
                                                                 {"cta_url", &p.page.ctaUrl},
                                                                 {"imap", &p.imap},
                                                                 {"from", &p.draft.from},
                                                                 {"subject", &p.draft.subject},
                                                                 {"body", &p.draft.body},
                                                                 {"signature", &p.draft.signature}};
        for (const auto &[key, field] : fields) {
            if (request != nullptr && obs_data_has_user_value(request, key)) {
                *field = obs_data_get_string(request, key);
            }
        }
        return startPublishing(p, request != nullptr ? obs_data_get_string(request, "imap_password")
                                                     : "");
    });
    answer(response, error);
}

// obs-websocket keeps a copy of each struct; they live for the whole process anyway.
RequestCallback kNext{&simple<doNext>, nullptr};
RequestCallback kPrevious{&simple<doPrevious>, nullptr};
RequestCallback kToggle{&simple<doToggle>, nullptr};
RequestCallback kSkip{&simple<doSkip>, nullptr};
RequestCallback kRetake{&simple<doRetake>, nullptr};
RequestCallback kMarkDone{&simple<doMarkDone>, nullptr};
RequestCallback kGetState{&simple<doNothing>, nullptr};
RequestCallback kJump{&jump, nullptr};
RequestCallback kSessionStart{&sessionStart, nullptr};
RequestCallback kSessionStop{&sessionStop, nullptr};
RequestCallback kRoll{&rollRequest, nullptr};
RequestCallback kSetQuad{&setQuad, nullptr};
RequestCallback kShowDock{&showDockRequest, nullptr};
RequestCallback kChapter{&chapterRequest, nullptr};
RequestCallback kOpenQueue{&openQueueRequest, nullptr};
RequestCallback kSetTheme{&setThemeRequest, nullptr};
RequestCallback kPublish{&publishRequest, nullptr};

} // namespace

bool registerWebsocketVendor() {
    proc_handler_t *global = obs_get_proc_handler();
    calldata_t cd = {};
    if (!proc_handler_call(global, "obs_websocket_api_get_ph", &cd)) {
        calldata_free(&cd);
        CUECARD_LOG(LOG_INFO, "obs-websocket is not loaded: remote control is off");
        return false;
    }
    auto *ws = static_cast<proc_handler_t *>(calldata_ptr(&cd, "ph"));
    calldata_free(&cd);
    if (ws == nullptr) {
        return false;
    }
    calldata_t reg = {};
    calldata_set_string(&reg, "name", "cuecard");
    proc_handler_call(ws, "vendor_register", &reg);
    void *vendor = calldata_ptr(&reg, "vendor");
    calldata_free(&reg);
    if (vendor == nullptr) {
        CUECARD_LOG(LOG_WARNING, "obs-websocket refused the vendor name \"cuecard\"");
        return false;
    }
    const std::pair<const char *, RequestCallback *> requests[] = {
        {"next", &kNext},
        {"previous", &kPrevious},
        {"toggle", &kToggle},
        {"skip", &kSkip},
        {"retake", &kRetake},
        {"mark_done", &kMarkDone},
        {"get_state", &kGetState},
        {"jump", &kJump},
        {"session_start", &kSessionStart},
        {"session_stop", &kSessionStop},
        {"roll", &kRoll},
        {"set_quad", &kSetQuad},
        {"show_dock", &kShowDock},
        {"open_queue", &kOpenQueue},
        {"set_theme", &kSetTheme},
        {"chapter", &kChapter},
        {"publish", &kPublish}};
    int registered = 0;
    for (const auto &[type, callback] : requests) {
        calldata_t r = {};
        calldata_set_ptr(&r, "vendor", vendor);
        calldata_set_string(&r, "type", type);
        calldata_set_ptr(&r, "callback", callback);
        proc_handler_call(ws, "vendor_request_register", &r);
        registered += calldata_bool(&r, "success") ? 1 : 0;
        calldata_free(&r);
    }
    CUECARD_LOG(LOG_INFO, "obs-websocket vendor \"cuecard\" registered with %d requests",
                registered);
    return true;
}

} // namespace cuecard::obs
