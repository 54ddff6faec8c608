// SPDX-License-Identifier: GPL-2.0-or-later
// The dock's previews: the worker that draws a source's frames also draws a small picture of
// the current and the next recipient's overlay, when it has nothing else to do, and hands them
// over on its own thread. They read back by OCR and sit where the overlay sits on the canvas.

#include "core/render/overlay_worker.hpp"
#include "core/render/preview_board.hpp"
#include "core/theme/theme.hpp"
#include "gpu/gpu_support.hpp"
#include "gpu/ocr_line.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

using namespace cuecard;

namespace {

/// The box of the pixels with any alpha, or an empty rect.
PixelRect opaqueBox(const Image &img) {
    int x0 = img.width, y0 = img.height, x1 = -1, y1 = -1;
    for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x) {
            if (img.at(x, y)[3] > 0) {
                x0 = std::min(x0, x);
                y0 = std::min(y0, y);
                x1 = std::max(x1, x);
                y1 = std::max(y1, y);
            }
        }
    }
    return x1 < 0 ? PixelRect{} : PixelRect{x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

} // namespace

TEST_CASE("previews: the worker draws the current and the next recipient small, on its own "
          "thread, after the frame; they OCR and sit where the overlay sits") {
    auto parsed = parseTheme(R"({"cuecard_theme": 1, "canvas": {"width": 1280, "height": 720},
        "elements": [{"type": "box", "x": 0, "y": 480, "width": 1280, "height": 200,
                      "fill": "#F0F0F0"},
                     {"type": "text", "text": "{full_name}", "x": 60, "y": 620, "size": 110,
                      "color": "#101010"}]})",
                             "preview-test.json");
    REQUIRE_MESSAGE(parsed.ok(), parsed.message());
    auto theme = std::make_shared<const Theme>(std::move(parsed.value()));
    OverlayWorker worker(test::gpu(), {test::dataDir() / "fonts"});

    std::mutex mutex;
    std::condition_variable arrived;
    PreviewBoard board;
    std::vector<OverlayPreview::Which> order;
    bool onWorkerThread = true;
    const auto caller = std::this_thread::get_id();
    int source = 0;
    worker.setPreviews(320, [&](OverlayPreview p) {
        std::lock_guard lock(mutex);
        onWorkerThread = onWorkerThread && std::this_thread::get_id() != caller;
        order.push_back(p.which);
        board.publish(&source, std::move(p));
        arrived.notify_all();
    });
    worker.request(theme, test::person("JANE DOE", "", ""), 1280, 720, 1);
    worker.prepare(theme, test::person("SAM LEE", "", ""), 1280, 720, nullptr);
    REQUIRE(worker.waitFor(1, 20000));
    auto frame = worker.take(0);
    REQUIRE(frame.has_value());
    CHECK(frame->error.empty());
    {
        std::unique_lock lock(mutex);
        REQUIRE(
            arrived.wait_for(lock, std::chrono::seconds(30), [&] { return order.size() >= 2; }));
        CHECK(onWorkerThread);
    }
    const PreviewBoard::Pair pair = board.latest();
    REQUIRE(pair.current);
    REQUIRE(pair.next);
    CHECK(pair.current->error.empty());
    CHECK(pair.next->error.empty());
    CHECK(pair.current->name == "JANE DOE");
    CHECK(pair.next->name == "SAM LEE");
    // The whole canvas at a quarter: 320×180, the box from y = 120 to 170, nothing above it.
    REQUIRE(pair.current->image.width == 320);
    REQUIRE(pair.current->image.height == 180);
    const PixelRect box = opaqueBox(pair.current->image);
    CHECK(box.y == doctest::Approx(120).epsilon(0.02));
    CHECK(box.y + box.height == doctest::Approx(170).epsilon(0.02));
    CHECK(box.width == 320);
    // The name line, cropped from the box and read back.
    const auto nameLine = [](const Image &img) {
        Image crop(320, 40);
        for (int y = 0; y < 40; ++y) {
            std::copy_n(img.row(125 + y), 320 * 4, crop.row(y));
        }
        return crop;
    };
    CHECK(test::ocrLine(nameLine(pair.current->image), "preview-current.png").find("JANE DOE") !=
          std::string::npos);
    CHECK(test::ocrLine(nameLine(pair.next->image), "preview-next.png").find("SAM LEE") !=
          std::string::npos);
    // What the dock shows: the band cut out of the canvas, the name as large as it can be.
    const Image band = cropToContent(pair.current->image, 2);
    CHECK(band.width == 320);
    CHECK(band.height == doctest::Approx(54).epsilon(0.1));
    CHECK(test::ocrLine(band, "preview-band.png").find("JANE DOE") != std::string::npos);
    CHECK(pair.current->renderMs > 0.0);
    MESSAGE("preview at 1280x720 -> 320x180: " << pair.current->renderMs << " ms");

    // Previews off: nothing more is drawn or handed out.
    worker.setPreviews(0, nullptr);
    worker.request(theme, test::person("AMY WU", "", ""), 1280, 720, 2);
    REQUIRE(worker.waitFor(2, 20000));
    worker.prepare(theme, test::person("BOB RAY", "", ""), 1280, 720, nullptr);
    worker.request(theme, test::person("AMY WU", "", ""), 1280, 720, 3); // after the prepare
    REQUIRE(worker.waitFor(3, 20000));
    std::lock_guard lock(mutex);
    CHECK(order.size() == 2);
}
