// SPDX-License-Identifier: GPL-2.0-or-later
// Module entry points: the source type, frontend hotkeys (saved with the scene collection),
// obs-websocket vendor requests, the dock, and a background poll that reloads the queue file
// when it changes on disk.

#include "obs/dock.hpp"
#include "obs/gl_interop.hpp"
#include "obs/log.hpp"
#include "obs/overlay_source.hpp"
#include "obs/plugin_state.hpp"
#include "obs/publishing.hpp"
#include "obs/recording.hpp"
#include "obs/websocket_vendor.hpp"

#include "core/theme/theme.hpp"
#include "core/util/version.hpp"

#include <obs-frontend-api.h>
#include <obs-module.h>
#include <obs.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <thread>

OBS_DECLARE_MODULE()
OBS_MODULE_USE_DEFAULT_LOCALE("cuecard", "en-US")

MODULE_EXPORT const char *obs_module_description(void) {
    return "Cuecard: personalized lower-thirds from a recipient queue, one file per recipient";
}

namespace cuecard::obs {

PluginState &state() {
    static PluginState s;
    return s;
}

void PluginState::releaseVulkan() {
    std::thread maker;
    {
        std::lock_guard lock(mutex_);
        maker = std::move(vulkanThread_);
    }
    if (maker.joinable()) {
        maker.join(); // a device still being made is finished first
    }
    std::shared_future<std::shared_ptr<VulkanContext>> last;
    {
        std::lock_guard lock(mutex_);
        last = std::move(vulkan_);
        vulkanStarted_ = false;
    }
    // Destroyed here, outside the lock (vkDeviceWaitIdle), when no source holds it any more.
}

void PluginState::startVulkan() {
    std::lock_guard lock(mutex_);
    if (vulkanStarted_) {
        return;
    }
    vulkanStarted_ = true;
    std::promise<std::shared_ptr<VulkanContext>> made;
    vulkan_ = made.get_future().share();
    vulkanThread_ = std::thread([this, made = std::move(made)]() mutable {
        // CUECARD_VULKAN_VALIDATION=1: every Vulkan call checked by Khronos' validation layer,
        // each complaint in OBS's log (for developers and bug reports; slower).
        VulkanOptions options;
        if (const char *v = std::getenv("CUECARD_VULKAN_VALIDATION"); v && std::string(v) == "1") {
            options.validation = true;
            options.onValidationMessage = [](const std::string &m) {
                CUECARD_LOG(LOG_WARNING, "Vulkan validation %s", m.c_str());
            };
        }
        const auto start = std::chrono::steady_clock::now();
        auto ctx = VulkanContext::create(options);
        if (!ctx && options.validation) {
            CUECARD_LOG(LOG_WARNING, "%s; running without it", ctx.message().c_str());
            ctx = VulkanContext::create();
        }
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        std::shared_ptr<VulkanContext> device;
        if (ctx) {
            device = ctx.value();
            CUECARD_LOG(LOG_INFO,
                        "Vulkan device: %s (memory export: %s)%s; made in %.0f ms on a thread of "
                        "its own",
                        device->deviceName().c_str(),
                        device->canExportMemory() ? "yes" : device->exportError().c_str(),
                        device->validating() ? ", every call checked by the validation layer" : "",
                        ms);
        } else {
            std::lock_guard errorLock(mutex_);
            vulkanError_ = ctx.message();
            CUECARD_LOG(LOG_ERROR, "%s", vulkanError_.c_str());
        }
        // Whether OpenGL can import its memory, probed here too, once: a source's first frame
        // then only reads the answer (the probe costs OBS's graphics thread its lock for a
        // moment, here at load rather than while a scene plays).
        if (obs_get_video() != nullptr) {
            probeZeroCopy(device);
        }
        made.set_value(std::move(device));
    });
}

std::shared_future<std::shared_ptr<VulkanContext>> PluginState::vulkanFuture() {
    startVulkan();
    std::lock_guard lock(mutex_);
    return vulkan_;
}

std::shared_ptr<VulkanContext> PluginState::vulkan() {
    return vulkanFuture().get(); // no lock held while it is made
}

bool PluginState::vulkanReady() {
    return vulkanFuture().wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

void PluginState::probeZeroCopy(const std::shared_ptr<VulkanContext> &vk) {
    std::string error = "no Vulkan device";
    if (vk) {
        obs_enter_graphics(); // OpenGL needs OBS's context; no lock of ours is held meanwhile
        error = probeGlImport(*vk);
        obs_leave_graphics();
    }
    CUECARD_LOG(LOG_INFO, "zero-copy textures (OpenGL imports Vulkan's memory): %s",
                error.empty() ? "available" : ("unavailable, " + error).c_str());
    std::lock_guard lock(mutex_);
    zeroCopyTried_ = true;
    zeroCopyError_ = std::move(error);
}

std::string PluginState::zeroCopyUnavailable() {
    if (const char *forced = std::getenv("CUECARD_TEXTURE_PATH");
        forced != nullptr && std::string(forced) == "readback") {
        return "CUECARD_TEXTURE_PATH=readback";
    }
    {
        std::lock_guard lock(mutex_);
        if (zeroCopyTried_) {
            return zeroCopyError_;
        }
    }
    probeZeroCopy(vulkan()); // not probed at load (OBS had no video then)
    std::lock_guard lock(mutex_);
    return zeroCopyError_;
}

void PluginState::listBuiltinThemes() {
    tasks.post([this] {
        std::vector<std::string> names = builtinThemeNames(dataDirs());
        std::lock_guard lock(mutex_);
        builtinThemes_ = std::move(names);
    });
}

std::vector<std::string> PluginState::builtinThemes() {
    std::lock_guard lock(mutex_);
    return builtinThemes_;
}

std::string PluginState::vulkanError() {
    std::lock_guard lock(mutex_);
    return vulkanError_;
}

namespace {

/// Runs `action` on the task thread; its error, if any, goes to the log.
void postLogged(const char *what, std::string (*action)()) {
    state().tasks.post([what, action] {
        if (const std::string e = guarded(what, action); !e.empty()) {
            CUECARD_LOG(LOG_WARNING, "%s", e.c_str());
        }
    });
}

struct Hotkey {
    const char *name;
    const char *label;
    void (*action)();
    obs_hotkey_id id = OBS_INVALID_HOTKEY_ID;
};

Hotkey gHotkeys[] = {
    {"cuecard.next", "Cuecard.Hotkey.Next", [] { state().hub.next(); }},
    {"cuecard.previous", "Cuecard.Hotkey.Previous", [] { state().hub.previous(); }},
    {"cuecard.toggle", "Cuecard.Hotkey.Toggle", [] { state().hub.toggle(); }},
    {"cuecard.skip", "Cuecard.Hotkey.Skip", [] { state().hub.skip(); }},
    {"cuecard.retake", "Cuecard.Hotkey.Retake", [] { state().hub.retake(); }},
    {"cuecard.mark_done", "Cuecard.Hotkey.MarkDone", [] { state().hub.markDone(); }},
    // Starting, stopping and rolling make folders, probe and close files: on the task thread,
    // like the dock's buttons, never on OBS's hotkey thread.
    {"cuecard.session_start", "Cuecard.Hotkey.SessionStart",
     [] {
         if (const std::string e = postStart({}); !e.empty()) {
             CUECARD_LOG(LOG_WARNING, "%s", e.c_str());
         }
     }},
    {"cuecard.session_stop", "Cuecard.Hotkey.SessionStop",
     [] {
         if (const std::string e = postStop(); !e.empty()) {
             CUECARD_LOG(LOG_WARNING, "%s", e.c_str());
         }
     }},
    {"cuecard.roll", "Cuecard.Hotkey.Roll", [] { postLogged("roll", [] { return roll(); }); }},
    {"cuecard.chapter", "Cuecard.Hotkey.Chapter",
     [] {
         if (const std::string e = chapter({}); !e.empty()) {
             CUECARD_LOG(LOG_WARNING, "%s", e.c_str());
         }
     }},
};

void onHotkey(void *data, obs_hotkey_id, obs_hotkey_t *, bool pressed) {
    if (!pressed) {
        return;
    }
    try {
        static_cast<Hotkey *>(data)->action();
    } catch (const std::exception &e) {
        CUECARD_LOG(LOG_ERROR, "hotkey: %s", e.what());
    } catch (...) {
        CUECARD_LOG(LOG_ERROR, "hotkey: %s", "unknown error");
    }
}

void saveHotkeys(obs_data_t *saveData, bool saving, void *) {
    guarded("hotkeys save/load", [&] {
        if (saving) {
            OBSDataAutoRelease obj = obs_data_create();
            for (auto &h : gHotkeys) {
                OBSDataArrayAutoRelease a = obs_hotkey_save(h.id);
                obs_data_set_array(obj, h.name, a);
            }
            obs_data_set_obj(saveData, "cuecard-hotkeys", obj);
            return;
        }
        OBSDataAutoRelease obj = obs_data_get_obj(saveData, "cuecard-hotkeys");
        if (obj == nullptr) {
            return;
        }
        for (auto &h : gHotkeys) {
            OBSDataArrayAutoRelease a = obs_data_get_array(obj, h.name);
            obs_hotkey_load(h.id, a);
        }
    });
}

// Live reload of the queue file, once a second, off the graphics thread.
std::thread gPoller;
std::mutex gPollerMutex;
std::condition_variable gPollerWake;
bool gPollerStop = false;

/// Each new set of queue load problems, once, in OBS's log (the first 50 lines).
void logQueueProblems(std::shared_ptr<const QueueProblems> &logged) {
    const HubSnapshot s = state().hub.snapshot();
    if (s.queueProblems == logged) {
        return;
    }
    logged = s.queueProblems;
    if (!logged) {
        return;
    }
    const auto &lines = logged->lines;
    CUECARD_LOG(LOG_WARNING,
                "the queue %s loaded with %zu problem(s), %d row(s) skipped:", s.queuePath.c_str(),
                lines.size(), logged->rowsSkipped);
    for (std::size_t i = 0; i < lines.size() && i < 50; ++i) {
        CUECARD_LOG(LOG_WARNING, "  %s", lines[i].c_str());
    }
    if (lines.size() > 50) {
        CUECARD_LOG(LOG_WARNING, "  … and %zu more (cuecard check --queue lists them all)",
                    lines.size() - 50);
    }
}

void pollLoop() {
    std::shared_ptr<const QueueProblems> loggedProblems;
    std::unique_lock lock(gPollerMutex);
    while (!gPollerWake.wait_for(lock, std::chrono::seconds(1), [] { return gPollerStop; })) {
        lock.unlock();
        try {
            if (auto report = state().hub.pollQueueFile()) {
                CUECARD_LOG(report->applied ? LOG_INFO : LOG_WARNING, "%s",
                            report->message.c_str());
            }
            logQueueProblems(loggedProblems);
        } catch (const std::exception &e) {
            CUECARD_LOG(LOG_ERROR, "queue reload: %s", e.what());
        } catch (...) {
            CUECARD_LOG(LOG_ERROR, "queue reload: %s", "unknown error");
        }
        lock.lock();
    }
}

} // namespace
} // namespace cuecard::obs

bool obs_module_load(void) {
    using namespace cuecard::obs;
    const char *data = obs_get_module_data_path(obs_current_module());
    state().dataDir = data != nullptr ? data : "";
    state().preflight = std::make_unique<cuecard::PreflightRunner>(state().fontDirs());
    state().startVulkan(); // ready, usually, before the scene collection makes the first source
    state().listBuiltinThemes();
    // A team campaign's outcomes wait here while the database is away.
    if (char *config = obs_module_config_path("team"); config != nullptr) {
        state().campaigns.setOutboxDir(config);
        bfree(config);
    }
    signal_handler_add(obs_get_signal_handler(), "void cuecard_source_destroyed(string name)");
    static obs_source_info info = makeOverlaySourceInfo();
    obs_register_source(&info);
    static obs_output_info recorder = makeRecorderOutputInfo();
    obs_register_output(&recorder);
    for (auto &h : gHotkeys) {
        h.id = obs_hotkey_register_frontend(h.name, obs_module_text(h.label), onHotkey, &h);
    }
    obs_frontend_add_save_callback(saveHotkeys, nullptr);
    obs_frontend_add_save_callback(savePublishProfile, nullptr);
    gPollerStop = false;
    gPoller = std::thread(pollLoop);
    CUECARD_LOG(LOG_INFO, "version %s loaded (data: %s)", cuecard::versionLine().c_str(),
                state().dataDir.c_str());
    return true;
}

void obs_module_post_load(void) {
    using namespace cuecard::obs;
    registerWebsocketVendor();
    if (obs_frontend_get_main_window() != nullptr) {
        addDock();
    }
}

void obs_module_unload(void) {
    using namespace cuecard::obs;
    if (recordingStatus().recording) {
        stopRecording(); // never lose a take on exit
    }
    obs_frontend_remove_save_callback(saveHotkeys, nullptr);
    obs_frontend_remove_save_callback(savePublishProfile, nullptr);
    for (auto &h : gHotkeys) {
        obs_hotkey_unregister(h.id);
    }
    {
        std::lock_guard lock(gPollerMutex);
        gPollerStop = true;
    }
    gPollerWake.notify_all();
    if (gPoller.joinable()) {
        gPoller.join();
    }
    // Slow glue work still queued (OBS's last file being renamed, a split) finishes while OBS
    // is still there to answer, and the journal reaches the disk.
    state().tasks.drain();
    // A team campaign's feed gives back whom the rep did not reach.
    state().campaigns.shutdown();
    state().hub.flush();
    state().preflight.reset();
    state().releaseVulkan();
}
