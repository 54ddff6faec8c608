// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Process-wide state of the Cuecard module: the shared session hub, the Vulkan device all
// sources render on, and where the module's data lives. Created in obs_module_load.

#include "core/picture/prepare_board.hpp"
#include "core/record/asset_worker.hpp"
#include "core/render/preview_board.hpp"
#include "core/render/vulkan_context.hpp"
#include "core/session/session_hub.hpp"
#include "core/session/source_reports.hpp"
#include "core/stage/preflight_runner.hpp"
#include "core/team/team_feed.hpp"
#include "core/util/task_thread.hpp"

#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cuecard::obs {

struct PluginState {
    SessionHub hub;
    /// Whatever queue a rep opens goes through here: a team campaign (postgresql://…?campaign=)
    /// is fed to the hub by a feed on its own thread; a file goes to the hub. After `hub`, so it
    /// goes first.
    CampaignLink campaigns{hub};
    /// Slow glue work (asking OBS to split its recording, waiting for its last file) runs here,
    /// never on OBS's graphics, audio or UI thread.
    TaskThread tasks;
    /// How far each overlay source is with the queue's pictures, for the dock.
    PrepareBoard pictureBoard;
    /// Each overlay source's theme and error, for the dock and get_state.
    SourceReports sources;
    /// The whole queue checked against every source's theme, for the dock's rows (created in
    /// obs_module_load, gone in obs_module_unload).
    std::unique_ptr<PreflightRunner> preflight;
    /// The current and next recipient's overlay, small, for the dock.
    PreviewBoard previews;
    /// Each recorded file's poster, animated preview and email snippet, made after it closes.
    AssetWorker assets;
    std::filesystem::path dataDir;

    /// Starts making the Vulkan device on a thread of its own (at module load): creating an
    /// instance and a device takes a driver from milliseconds to a second, and no OBS thread
    /// may wait for that.
    void startVulkan();
    /// The device once made (nullptr with `vulkanError` set when there is none). Waits for it:
    /// only Cuecard's own threads call this (a source's worker and loader); OBS's threads ask
    /// vulkanReady() first.
    std::shared_ptr<VulkanContext> vulkan();
    /// The device's creation is over (made or failed): vulkan() returns at once.
    bool vulkanReady();
    /// The device for a worker to wait on, on its own thread.
    std::shared_future<std::shared_ptr<VulkanContext>> vulkanFuture();
    std::string vulkanError();
    /// Lets go of the device at module unload, while the Vulkan loader and layers are still
    /// there: at process exit (static destruction) a layer may already be torn down (OBS 32's
    /// libobs no longer unloads modules before exit, and the validation layer then aborts).
    void releaseVulkan();
    /// Empty when sources can draw straight from memory Vulkan shares with OBS's OpenGL;
    /// otherwise why they read back instead. Decided once (and logged); needs the graphics
    /// context: call it from the UI thread or a graphics callback, never while another thread
    /// holds the graphics lock. `CUECARD_TEXTURE_PATH=readback` (read on every call) forces the
    /// readback path.
    std::string zeroCopyUnavailable();
    /// Probes whether OBS's OpenGL can import `vk`'s memory and keeps the answer (done once, on
    /// the device's thread at load).
    void probeZeroCopy(const std::shared_ptr<VulkanContext> &vk);

    /// The built-in themes' names, listed once on the task thread (the dock's theme list reads
    /// them on the UI thread, which must not read a folder). Empty until then.
    void listBuiltinThemes();
    std::vector<std::string> builtinThemes();

    std::vector<std::filesystem::path> dataDirs() const { return {dataDir}; }
    std::vector<std::filesystem::path> fontDirs() const { return {dataDir / "fonts"}; }

  private:
    std::mutex mutex_; ///< never held while the device is made
    bool vulkanStarted_ = false;
    std::shared_future<std::shared_ptr<VulkanContext>> vulkan_;
    std::thread vulkanThread_;
    std::string vulkanError_;
    std::vector<std::string> builtinThemes_;
    bool zeroCopyTried_ = false;
    std::string zeroCopyError_;
};

PluginState &state();

} // namespace cuecard::obs
