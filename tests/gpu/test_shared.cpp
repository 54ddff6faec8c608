// SPDX-License-Identifier: GPL-2.0-or-later
// The zero-copy path's Vulkan half: overlays drawn straight into exportable ("shared") images,
// and the worker's bookkeeping of which image belongs to whom. The OpenGL half (OBS importing
// these images) is tested in tests/obs.

#include "core/queue/queue.hpp"
#include "core/render/overlay_worker.hpp"
#include "core/theme/theme.hpp"
#include "gpu/gpu_support.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <cstring>

using namespace cuecard;

namespace {

using test::person;

bool canShare() {
    if (!test::gpu()->canExportMemory()) {
        // In CI the zero-copy path is part of what must be shown: missing export is a failure.
        if (test::inCi()) {
            FAIL_CHECK("this Vulkan device cannot export memory (CI=true: a skip is a failure): "
                       << test::gpu()->exportError());
        } else {
            MESSAGE("skipped: " << test::gpu()->exportError());
        }
        return false;
    }
    return true;
}

} // namespace

TEST_CASE("shared images: drawn in place, identical to the readback render, no stale pixels") {
    if (!canShare()) {
        return;
    }
    test::TextStack stack;
    auto theme = loadTheme("default", {test::dataDir()});
    auto card = loadTheme("title-card", {test::dataDir()});
    REQUIRE(theme.ok());
    REQUIRE(card.ok());
    auto created = OverlayRenderer::create(test::gpu(), 960, 540, 2048);
    REQUIRE(created.ok());
    OverlayRenderer &renderer = *created.value();
    REQUIRE(renderer.createSharedImages(2).ok());
    CHECK(renderer.sharedImageCount() == 2);

    // A big title card first, then a lower-third into the same image: the card's pixels must go.
    const Recipient wide = person("Jane Doe", "VP Marketing", "Acme Corp");
    const Recipient narrow = person("Sam Lee", "CTO", "Initech");
    auto composedWide = stack.composer->compose(card.value(), wide, 960, 540);
    auto composedNarrow = stack.composer->compose(theme.value(), narrow, 960, 540);
    REQUIRE(composedWide.ok());
    REQUIRE(composedNarrow.ok());
    const PixelRect bandWide = composedWide->drawList.bounds(960, 540);
    const PixelRect bandNarrow = composedNarrow->drawList.bounds(960, 540);
    REQUIRE(bandWide.y < bandNarrow.y); // the card reaches above the lower-third

    // The wide overlay first, then the narrow one into the same image.
    REQUIRE(renderer.renderShared(0, composedWide->drawList, stack.glyphs->atlas(), bandWide).ok());
    auto wideShared = renderer.readShared(0, {});
    REQUIRE(wideShared.ok());
    REQUIRE(
        renderer.renderShared(0, composedNarrow->drawList, stack.glyphs->atlas(), bandNarrow).ok());
    auto narrowShared = renderer.readShared(0, {});
    REQUIRE(narrowShared.ok());

    // The same draw lists through the readback path, whole canvas.
    auto wideReadback = renderer.render(composedWide->drawList, stack.glyphs->atlas(), {});
    auto narrowReadback = renderer.render(composedNarrow->drawList, stack.glyphs->atlas(), {});
    REQUIRE(wideReadback.ok());
    REQUIRE(narrowReadback.ok());
    CHECK(test::compareImages(wideReadback.value(), wideShared.value(), 0).differing == 0);
    const test::ImageDiff d = test::compareImages(narrowReadback.value(), narrowShared.value(), 0);
    CHECK(d.differing == 0);
    if (d.differing != 0) {
        (void)writePng(test::diffImage(narrowReadback.value(), narrowShared.value(), 0),
                       test::outputDir() / "shared-stale-diff.png", true);
    }
    // And the part only the wide overlay covered is transparent now.
    const int x = bandWide.x + bandWide.width / 2;
    const int y = bandWide.y + 20;
    CHECK(wideShared->at(x, y)[3] > 0);
    CHECK(test::pixelString(narrowShared.value(), x, y) == "(0,0,0,0)");

    // Another image is untouched by all of this.
    REQUIRE(
        renderer.renderShared(1, composedNarrow->drawList, stack.glyphs->atlas(), bandNarrow).ok());
    auto other = renderer.readShared(1, {});
    REQUIRE(other.ok());
    CHECK(test::compareImages(narrowReadback.value(), other.value(), 0).differing == 0);
}

TEST_CASE("shared images: each export is a new descriptor of the whole image's memory") {
    if (!canShare()) {
        return;
    }
    auto created = OverlayRenderer::create(test::gpu(), 640, 360, 2048);
    REQUIRE(created.ok());
    OverlayRenderer &renderer = *created.value();
    REQUIRE(renderer.createSharedImages(1).ok());
    auto a = renderer.exportSharedImage(0);
    auto b = renderer.exportSharedImage(0);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->fd.get() >= 0);
    CHECK(b->fd.get() >= 0);
    CHECK(a->fd.get() != b->fd.get());
    CHECK(fcntl(a->fd.get(), F_GETFD) != -1);
    CHECK(a->size >= 640u * 360u * 4u);
    CHECK(a->width == 640);
    CHECK(a->height == 360);
    auto missing = renderer.exportSharedImage(1);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.message() == "no shared overlay image 1");
    CHECK(renderer.readShared(0, {}).message() == "shared overlay image 0 holds nothing yet");
}

TEST_CASE("worker: shared images are lent one per frame, come back, and run out into readback") {
    if (!canShare()) {
        return;
    }
    auto theme = loadTheme("default", {test::dataDir()});
    REQUIRE(theme.ok());
    auto shared = std::make_shared<const Theme>(std::move(theme.value()));
    OverlayWorker worker(test::gpu(), {test::dataDir() / "fonts"});
    worker.shareImages(true);
    const int all = OverlayWorker::kSharedImages;
    std::uint64_t generation = 0;
    const auto renderNext = [&](const std::string &name) {
        worker.request(shared, person(name, "VP", "Acme"), 640, 360, ++generation);
        REQUIRE(worker.waitFor(generation, 20000));
        auto frame = worker.take(generation - 1);
        REQUIRE(frame.has_value());
        REQUIRE_MESSAGE(frame->error.empty(), frame->error);
        return std::move(*frame);
    };

    OverlayFrame first = renderNext("Jane Doe");
    CHECK(first.sharedSlot >= 0);
    REQUIRE(first.sharedSet != nullptr);
    CHECK(first.image.width == 0); // no pixels came back to the CPU
    CHECK(first.sharedSet->fds.size() == static_cast<std::size_t>(all));
    CHECK(worker.freeSharedImages() == all - 1);

    // Frames replaced before anyone takes them give their image back on their own.
    for (int i = 0; i < 6; ++i) {
        worker.request(shared, person("Skipped " + std::to_string(i), "VP", "Acme"), 640, 360,
                       ++generation);
        REQUIRE(worker.waitFor(generation, 20000));
    }
    CHECK(worker.freeSharedImages() == all - 2); // `first` and the frame waiting to be taken
    auto waiting = worker.take(0);
    REQUIRE(waiting.has_value());
    CHECK(waiting->generation == generation);
    worker.releaseSharedImage(waiting->sharedSet->id, waiting->sharedSlot);
    worker.releaseSharedImage(first.sharedSet->id, first.sharedSlot);
    CHECK(worker.freeSharedImages() == all);

    // Keep every image: the next frame is read back instead, and still correct.
    std::vector<OverlayFrame> kept;
    for (int i = 0; i < all; ++i) {
        kept.push_back(renderNext("Kept " + std::to_string(i)));
        CHECK(kept.back().sharedSlot >= 0);
    }
    CHECK(worker.freeSharedImages() == 0);
    OverlayFrame overflow = renderNext("Overflow");
    CHECK(overflow.sharedSlot == -1);
    CHECK(overflow.image.width == overflow.bounds.width);
    CHECK(overflow.image.height == overflow.bounds.height);
    // Releasing an image of an old set, or one that does not exist, changes nothing.
    worker.releaseSharedImage(first.sharedSet->id + 1000, 0);
    worker.releaseSharedImage(first.sharedSet->id, 99);
    CHECK(worker.freeSharedImages() == 0);
    worker.releaseSharedImage(kept[2].sharedSet->id, kept[2].sharedSlot);
    CHECK(renderNext("Back").sharedSlot == kept[2].sharedSlot);

    // Stopping for good: readback from then on.
    worker.stopSharing("the importer refused");
    worker.shareImages(true); // cannot be turned back on
    OverlayFrame after = renderNext("After");
    CHECK(after.sharedSlot == -1);
    CHECK(after.image.width > 0);
}
