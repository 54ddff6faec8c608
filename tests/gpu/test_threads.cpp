// SPDX-License-Identifier: GPL-2.0-or-later
// Several OBS sources render at once, each on its own worker thread, on one Vulkan device and
// its one queue. Vulkan leaves keeping two threads off a queue to the application; the GPU tests
// run under Khronos' validation layer, which reports a queue used by two threads at once.

#include "core/render/overlay_worker.hpp"
#include "core/theme/theme.hpp"
#include "gpu/gpu_support.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace cuecard;

TEST_CASE("threads: workers render at once and come and go on one Vulkan queue, no misuse") {
    auto loaded = loadTheme("default", {test::dataDir()});
    REQUIRE(loaded.ok());
    auto theme = std::make_shared<const Theme>(std::move(loaded.value()));
    const std::vector<std::filesystem::path> fonts{test::dataDir() / "fonts"};
    const int errorsBefore = test::gpu()->validationErrors();

    // A source that comes and goes meanwhile (removed from a scene, its settings changed): its
    // renderer starts and, on the way out, waits for the queue while the others submit to it.
    std::atomic<bool> stop{false};
    std::atomic<int> churned{0};
    std::atomic<int> churnFailures{0};
    std::thread churn([&] {
        std::uint64_t generation = 0;
        while (!stop.load()) {
            OverlayWorker passing(test::gpu(), fonts);
            ++generation;
            passing.request(theme,
                            test::person("Passing " + std::to_string(generation), "VP", "Co"), 640,
                            360, generation);
            if (!passing.waitFor(generation, 20000)) {
                ++churnFailures;
            }
            ++churned;
        }
    });

    // Two sources on screen the whole time: one zero-copy (where the device can share
    // images), one read back.
    OverlayWorker shared(test::gpu(), fonts);
    shared.shareImages(test::gpu()->canExportMemory());
    OverlayWorker readback(test::gpu(), fonts);
    int framesOk = 0;
    std::vector<std::string> errors;
    for (std::uint64_t generation = 1; generation <= 24; ++generation) {
        const Recipient who = test::person("Recipient " + std::to_string(generation), "VP", "Co");
        shared.request(theme, who, 640, 360, generation);
        readback.request(theme, who, 640, 360, generation);
        for (OverlayWorker *worker : {&shared, &readback}) {
            REQUIRE(worker->waitFor(generation, 20000));
            auto frame = worker->take(generation - 1);
            REQUIRE(frame.has_value());
            if (frame->error.empty()) {
                ++framesOk;
            } else {
                errors.push_back(frame->error);
            }
            if (frame->sharedSlot >= 0) {
                worker->releaseSharedImage(frame->sharedSet->id, frame->sharedSlot);
            }
        }
    }
    stop = true;
    churn.join();

    CHECK(errors.empty());
    CHECK(framesOk == 48);
    CHECK(churnFailures.load() == 0);
    CHECK(churned.load() >= 2); // the churn really overlapped the renders
    MESSAGE("renderers created and destroyed meanwhile: " << churned.load());
    const int misuse = test::gpu()->validationErrors() - errorsBefore;
    if (misuse > 0) {
        for (const std::string &m : test::gpu()->validationMessages()) {
            MESSAGE(m);
        }
    }
    CHECK(misuse == 0);
}
