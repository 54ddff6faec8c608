// SPDX-License-Identifier: GPL-2.0-or-later
// SourcePresenter: what one overlay source shows on each frame, driven with a fake frame clock
// (each tick is one video frame) and fake frame suppliers that finish renders when the test
// says, so every case of the switch is reached on purpose.

#include "core/session/session_hub.hpp"
#include "core/stage/source_presenter.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <vector>

using namespace cuecard;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kFrameNs = 33'333'333;

/// Renders nothing: remembers what was asked, and finishes a frame when the test says so.
class FakeSupplier final : public FrameSupplier {
  public:
    void request(std::shared_ptr<const Theme>, Recipient recipient, int, int,
                 std::uint64_t generation, std::shared_ptr<const RecipientPictures> p,
                 double panSeconds, bool update) override {
        requests.emplace_back(generation, recipient.id);
        pans.emplace_back(panSeconds, update);
        pictures = std::move(p);
    }
    void requestWarpLayers(std::shared_ptr<const Theme>, Recipient recipient, int, int,
                           std::uint64_t generation,
                           std::shared_ptr<const RecipientPictures>) override {
        requests.emplace_back(generation, recipient.id);
        pans.emplace_back(0.0, true);
        warpRequests.push_back(generation);
    }
    void prepare(std::shared_ptr<const Theme>, Recipient recipient, int, int,
                 std::shared_ptr<const RecipientPictures>) override {
        prepared.push_back(recipient.id);
    }
    std::optional<OverlayFrame> take(std::uint64_t after) override {
        if (!finished || finished->generation < after ||
            (finished->generation == after && !finished->update)) {
            return std::nullopt;
        }
        return std::exchange(finished, std::nullopt);
    }
    void releaseSharedImage(std::uint64_t setId, int slot) override {
        released.emplace_back(setId, slot);
    }

    /// Finishes the newest request: pixels (or shared image `slot`), or an error frame; with
    /// `pan`, PanLayers instead of pixels.
    void finish(int slot = -1, const std::string &error = "",
                std::shared_ptr<const PanLayers> pan = nullptr,
                std::shared_ptr<const WarpLayers> warp = nullptr,
                const std::string &warpRefused = "") {
        REQUIRE(!requests.empty());
        OverlayFrame f;
        f.generation = requests.back().first;
        f.panSeconds = pans.back().first;
        f.update = pans.back().second;
        f.bounds = PixelRect{10, 20, 100, 40};
        f.error = error;
        if (error.empty() && slot < 0 && !pan && !warp) {
            f.image = Image(4, 4);
        }
        f.pan = std::move(pan);
        f.warp = std::move(warp);
        f.warpRefused = warpRefused;
        if (slot >= 0) {
            f.sharedSlot = slot;
            f.sharedSet = set;
        }
        finished = std::move(f);
    }

    std::vector<std::pair<std::uint64_t, std::string>> requests;
    std::vector<std::pair<double, bool>> pans; ///< panSeconds, update, per request
    std::vector<std::string> prepared;
    std::vector<std::uint64_t> warpRequests; ///< generations whose WarpLayers were asked for
    std::shared_ptr<const RecipientPictures> pictures; ///< with the last request
    std::vector<std::pair<std::uint64_t, int>> released;
    std::optional<OverlayFrame> finished;
    std::shared_ptr<SharedImageSet> set = [] {
        auto s = std::make_shared<SharedImageSet>();
        s->id = 7;
        return s;
    }();
};

std::shared_ptr<const Theme> themeWith(AnimationKind in, AnimationKind out, float seconds) {
    auto t = std::make_shared<Theme>();
    t->animation.in = in;
    t->animation.out = out;
    t->animation.duration = seconds;
    return t;
}
std::shared_ptr<const Theme> staticTheme() {
    return themeWith(AnimationKind::None, AnimationKind::None, 0.0f);
}

/// A hub on a four-person queue, a clock, and sources (presenter + supplier) on it.
struct Stage {
    test::TempDir dir{"presenter"};
    SessionHub hub;
    std::uint64_t now = 0;
    std::vector<std::unique_ptr<FakeSupplier>> suppliers;
    std::vector<std::unique_ptr<SourcePresenter>> sources;

    explicit Stage(int count, std::shared_ptr<const Theme> theme = staticTheme()) {
        const fs::path q = dir / "queue.csv";
        std::ofstream(q) << "name,email\nPerson 001,p1@x.example\nPerson 002,p2@x.example\n"
                            "Person 003,p3@x.example\nPerson 004,p4@x.example\n";
        REQUIRE(hub.openQueue(q).ok());
        for (int i = 0; i < count; ++i) {
            suppliers.push_back(std::make_unique<FakeSupplier>());
            sources.push_back(std::make_unique<SourcePresenter>(hub, *suppliers.back()));
            sources.back()->setTheme(theme);
        }
    }
    FakeSupplier &supplier(int i) { return *suppliers[static_cast<std::size_t>(i)]; }
    SourcePresenter &source(int i) { return *sources[static_cast<std::size_t>(i)]; }

    /// One video frame: every source ticks, then renders (presents what is due).
    void frame() {
        now += kFrameNs;
        for (auto &s : sources) {
            s->tick(now);
        }
    }
    /// The graphics side of a frame for source `i`: puts the due frame on screen (`ok`).
    bool present(int i, bool ok = true) {
        if (source(i).frameToPresent() == nullptr) {
            return false;
        }
        source(i).presented(ok);
        return true;
    }
    void presentAll() {
        for (std::size_t i = 0; i < sources.size(); ++i) {
            present(static_cast<int>(i));
        }
    }
    /// Brings every source to showing the current recipient. (A source that becomes ready in
    /// its tick after the frame's switch was decided by an earlier source's tick waits one
    /// frame: hence two frames.)
    void settle() {
        frame();
        for (auto &s : suppliers) {
            s->finish();
        }
        frame();
        frame();
        presentAll();
    }
};

} // namespace

TEST_CASE("presenter: a finished frame goes on screen only when every source has one, all on "
          "the same frame") {
    Stage st(3);
    st.settle();
    for (int i = 0; i < 3; ++i) {
        REQUIRE(st.source(i).draw().has_value());
    }
    REQUIRE(st.hub.next());
    st.frame();
    for (int i = 0; i < 3; ++i) {
        CHECK(st.supplier(i).requests.back().second == "p2@x.example");
    }
    // Two of three are ready: nobody switches, everybody keeps drawing Person 001.
    st.supplier(0).finish();
    st.supplier(1).finish();
    for (int f = 0; f < 5; ++f) {
        st.frame();
        for (int i = 0; i < 3; ++i) {
            CHECK(st.source(i).frameToPresent() == nullptr);
            CHECK(st.source(i).draw().has_value());
        }
    }
    // The third is ready: within two frames (it ticks after the others), all three put
    // Person 002 on screen on the same frame.
    st.supplier(2).finish();
    int frames = 0;
    while (st.source(0).frameToPresent() == nullptr && frames < 2) {
        st.frame();
        ++frames;
    }
    for (int i = 0; i < 3; ++i) {
        REQUIRE(st.source(i).frameToPresent() != nullptr);
        CHECK(st.source(i).frameToPresent()->generation == st.hub.frameState().generation);
    }
    st.presentAll();
    for (int i = 0; i < 3; ++i) {
        CHECK(st.source(i).draw().has_value());
        CHECK(st.source(i).frameToPresent() == nullptr);
    }
}

TEST_CASE("presenter: a source whose frame is late shows nothing after the switch, never the "
          "previous recipient") {
    Stage st(2);
    st.settle();
    REQUIRE(st.hub.next());
    st.frame();
    st.supplier(0).finish(); // source 1 never finishes in time
    const int maxWait = static_cast<int>(SessionHub::kMaxSwitchWaitNs / kFrameNs) + 2;
    int switchedAt = -1;
    for (int f = 0; f < maxWait + 2 && switchedAt < 0; ++f) {
        st.frame();
        if (st.present(0)) {
            switchedAt = f;
        }
    }
    REQUIRE(switchedAt >= 0);
    CHECK(switchedAt >= maxWait - 6); // it waited for the slow source first
    CHECK(st.source(0).draw().has_value());
    CHECK_FALSE(st.source(1).draw().has_value()); // blank: Person 001 would be the wrong person
    // Its frame arrives: it shows Person 002 from the next frame.
    st.supplier(1).finish();
    st.frame();
    CHECK(st.present(1));
    CHECK(st.source(1).draw().has_value());
}

TEST_CASE("presenter: a shared image replaced before it was drawn goes back; the one on screen "
          "goes back only through the caller") {
    Stage st(1);
    st.frame();
    st.supplier(0).finish(0);
    st.frame();
    REQUIRE(st.present(0));
    CHECK(st.source(0).draw()->sharedSlot == 0);
    // Held (no switch becomes visible): Person 002's frame in slot 1 is taken but not shown…
    st.hub.setHold(true);
    REQUIRE(st.hub.next());
    st.frame();
    st.supplier(0).finish(1);
    st.frame();
    CHECK(st.source(0).frameToPresent() == nullptr);
    // …and replaced by Person 003's in slot 2 before it was ever drawn: slot 1 goes back.
    REQUIRE(st.hub.next());
    st.frame();
    st.supplier(0).finish(2);
    st.frame();
    REQUIRE(st.supplier(0).released.size() == 1);
    CHECK(st.supplier(0).released[0] == std::pair<std::uint64_t, int>(7, 1));
    // Released: slot 2 goes on screen. Slot 0, which OpenGL drew from, is not given back here
    // (the caller does, once OpenGL's fence has passed).
    st.hub.setHold(false);
    st.frame();
    REQUIRE(st.present(0));
    st.frame(); // (the frame of the release itself is still drawn hidden)
    REQUIRE(st.source(0).draw().has_value());
    CHECK(st.source(0).draw()->sharedSlot == 2);
    CHECK(st.supplier(0).released.size() == 1);
}

TEST_CASE("presenter: a refused import gives the image back, renders again, shows nothing "
          "meanwhile") {
    Stage st(1);
    st.settle();
    REQUIRE(st.hub.next());
    st.frame();
    const std::size_t requests = st.supplier(0).requests.size();
    st.supplier(0).finish(2);
    st.frame();
    REQUIRE(st.present(0, false)); // OpenGL refused the import
    REQUIRE(st.supplier(0).released.size() == 1);
    CHECK(st.supplier(0).released[0].second == 2);
    CHECK_FALSE(st.source(0).draw().has_value()); // not Person 001, not a broken image
    st.frame();
    REQUIRE(st.supplier(0).requests.size() == requests + 1); // Person 002 again
    CHECK(st.supplier(0).requests.back().second == "p2@x.example");
    st.supplier(0).finish(); // read back this time
    st.frame();
    CHECK(st.present(0));
    CHECK(st.source(0).draw().has_value());
    CHECK(st.source(0).draw()->sharedSlot == -1);
}

TEST_CASE("presenter: toggle fades out and back in; a hold hides at once, without animation") {
    Stage st(1, themeWith(AnimationKind::Fade, AnimationKind::Fade, 0.3f));
    st.settle();
    for (int f = 0; f < 12; ++f) {
        st.frame(); // past the in-animation
    }
    REQUIRE(st.source(0).draw().has_value());
    CHECK(st.source(0).draw()->animation.opacity == doctest::Approx(1.0f));

    CHECK_FALSE(st.hub.toggle());
    st.frame();
    st.frame();
    REQUIRE(st.source(0).draw().has_value()); // fading out
    const float fading = st.source(0).draw()->animation.opacity;
    CHECK(fading < 1.0f);
    CHECK(fading > 0.0f);
    for (int f = 0; f < 12; ++f) {
        st.frame();
    }
    CHECK_FALSE(st.source(0).draw().has_value()); // gone
    CHECK(st.hub.toggle());
    st.frame();
    st.frame();
    REQUIRE(st.source(0).draw().has_value());
    CHECK(st.source(0).draw()->animation.opacity < 1.0f); // fading in
    for (int f = 0; f < 12; ++f) {
        st.frame();
    }
    CHECK(st.source(0).draw()->animation.opacity == doctest::Approx(1.0f));

    st.hub.setHold(true);
    st.frame();
    CHECK_FALSE(st.source(0).draw().has_value()); // on the very next frame, no fade
    st.hub.setHold(false);
    st.frame();
    REQUIRE(st.source(0).draw().has_value());
    CHECK(st.source(0).draw()->animation.opacity == doctest::Approx(1.0f)); // no fade either
}

TEST_CASE("presenter: each new recipient animates in from the frame of the switch") {
    Stage st(1, themeWith(AnimationKind::Slide, AnimationKind::Fade, 0.3f));
    st.settle();
    for (int f = 0; f < 12; ++f) {
        st.frame();
    }
    CHECK(st.source(0).draw()->animation.offsetY == doctest::Approx(0.0f));
    REQUIRE(st.hub.next());
    st.frame();
    st.supplier(0).finish();
    st.frame();
    REQUIRE(st.present(0));
    st.frame();
    REQUIRE(st.source(0).draw().has_value());
    CHECK(st.source(0).draw()->animation.offsetY > 0.0f); // starts below, slides up
    for (int f = 0; f < 12; ++f) {
        st.frame();
    }
    CHECK(st.source(0).draw()->animation.offsetY == doctest::Approx(0.0f));
}

TEST_CASE("presenter: an error frame shows nothing and says why") {
    Stage st(1);
    st.settle();
    REQUIRE(st.hub.next());
    st.frame();
    st.supplier(0).finish(-1, "font has no glyph for U+1F600");
    st.frame();
    REQUIRE(st.present(0));
    CHECK_FALSE(st.source(0).draw().has_value());
    CHECK(st.source(0).frameError() == "font has no glyph for U+1F600");
    CHECK(st.source(0).takeFrameErrorChanged());
    CHECK_FALSE(st.source(0).takeFrameErrorChanged());
}

TEST_CASE("presenter: a source with no theme never holds a switch") {
    Stage st(2);
    st.source(1).setTheme(nullptr); // its theme failed to load
    st.frame();
    st.supplier(0).finish();
    st.frame(); // the other source's frame goes on screen at once, not after the 2 s wait
    CHECK(st.present(0));
    CHECK(st.supplier(1).requests.empty());
    CHECK_FALSE(st.source(1).draw().has_value());
}

TEST_CASE("presenter: pictures not ready at the switch: stand-ins first, then the recipient's "
          "own, rendered again with no new switch of person") {
    Stage st(1);
    bool ready = false;
    int wants = 0;
    auto standIn = std::make_shared<RecipientPictures>();
    standIn->complete = false;
    standIn->notes.push_back("not ready in time");
    auto own = std::make_shared<RecipientPictures>();
    own->images[0] = std::make_shared<const Image>(2, 2);
    st.source(0).setPictures(
        [&](const Recipient &) -> std::shared_ptr<const RecipientPictures> {
            return ready ? own : standIn;
        },
        [&](const std::vector<Recipient> &r) {
            ++wants;
            CHECK(r.front().id == st.hub.currentRecipient()->id); // the current one first
        });
    st.frame();
    CHECK(wants == 1);
    REQUIRE(st.supplier(0).pictures == standIn);
    CHECK(st.source(0).pictureNotes() == std::vector<std::string>{"not ready in time"});
    st.supplier(0).finish();
    st.frame();
    REQUIRE(st.present(0));
    const std::uint64_t gen = st.hub.frameState().generation;
    st.frame();
    CHECK(st.hub.frameState().generation == gen); // nothing new while still not ready
    ready = true;
    st.frame(); // notices, asks the hub to render again
    CHECK(st.hub.frameState().generation == gen + 1);
    CHECK(st.hub.currentRecipient()->id == "p1@x.example"); // the same person
    st.frame();
    REQUIRE(st.supplier(0).pictures == own);
    CHECK(st.supplier(0).requests.back().second == "p1@x.example");
    CHECK(st.source(0).pictureNotes().empty());
}

TEST_CASE("presenter: a panning theme asks for the next pan frame of the recipient on screen, "
          "shows it at once without a switch or a new fade, and stops at the pan's end") {
    auto theme = std::make_shared<Theme>();
    theme->animation.in = AnimationKind::Fade;
    theme->animation.duration = 0.3f;
    ImageElement site;
    site.pan = 1.0f; // one second, 30 frames
    theme->elements.emplace_back(site);
    Stage st(1, theme);
    st.now = 100'000'000'000; // the clock is not at zero when the session starts
    st.settle();
    REQUIRE(st.source(0).frameToPresent() == nullptr); // Person 001 is on screen
    const std::uint64_t gen = st.hub.frameState().generation;
    const std::size_t before = st.supplier(0).requests.size();
    // The recipient is on screen: the next tick asks for a pan frame of the same generation.
    st.frame();
    REQUIRE(st.supplier(0).requests.size() == before + 1);
    CHECK(st.supplier(0).requests.back().first == gen);
    CHECK(st.supplier(0).pans.back().second); // an update
    const double firstPan = st.supplier(0).pans.back().first;
    CHECK(firstPan > 0.0);
    CHECK(firstPan < 0.2);
    // One in flight at a time: no second request until it is in.
    st.frame();
    st.frame();
    CHECK(st.supplier(0).requests.size() == before + 1);
    // Finished: taken and put on screen on the next frame, with no switch (the hub's
    // generation is unchanged) and without starting the fade again.
    const double opacityBefore = st.source(0).draw()->animation.opacity;
    st.supplier(0).finish();
    st.frame();
    REQUIRE(st.source(0).frameToPresent() != nullptr);
    CHECK(st.source(0).frameToPresent()->update);
    st.present(0);
    CHECK(st.hub.frameState().generation == gen);
    CHECK(st.source(0).draw()->animation.opacity >= opacityBefore);
    // Keep finishing each request: the pan seconds grow, and the last lands on the end (1 s).
    double last = firstPan;
    for (int f = 0; f < 60; ++f) {
        if (st.supplier(0).pans.back().second && !st.supplier(0).finished) {
            st.supplier(0).finish();
        }
        st.frame();
        st.present(0);
        CHECK(st.supplier(0).pans.back().first >= last);
        last = st.supplier(0).pans.back().first;
    }
    CHECK(last == doctest::Approx(1.0));
    if (!st.supplier(0).finished) {
        st.supplier(0).finish();
    }
    const std::size_t atEnd = st.supplier(0).requests.size();
    for (int f = 0; f < 10; ++f) {
        st.frame();
        st.present(0);
    }
    CHECK(st.supplier(0).requests.size() == atEnd); // the pan is over: nothing more to render
    // The next recipient starts their pan from the top: first frame at 0 s, then the pan
    // frames count from the frame they went on screen.
    REQUIRE(st.hub.next());
    st.frame();
    CHECK(st.supplier(0).pans.back() == std::make_pair(0.0, false));
    st.supplier(0).finish();
    for (int f = 0; f < 3; ++f) {
        st.frame();
        st.present(0);
    }
    REQUIRE(st.supplier(0).pans.back().second);
    CHECK(st.supplier(0).pans.back().first < 0.2);
}

TEST_CASE("presenter: a pan frame of the previous recipient never goes on screen after a switch") {
    auto theme = std::make_shared<Theme>();
    ImageElement site;
    site.pan = 5.0f;
    theme->elements.emplace_back(site);
    Stage st(1, theme);
    st.settle();
    st.frame(); // a pan frame of Person 001 is asked for
    REQUIRE(st.supplier(0).pans.back().second);
    const std::uint64_t old = st.supplier(0).requests.back().first;
    st.supplier(0).finish(); // ...and finishes, but the rep switches first
    REQUIRE(st.hub.next());
    // The worker hands out the old pan frame only for `after == old`; once the new recipient's
    // frame is taken it is never shown.
    for (int f = 0; f < 3; ++f) {
        st.frame();
        if (const OverlayFrame *due = st.source(0).frameToPresent()) {
            CHECK(due->generation == old); // the same person, before the switch
            st.present(0);
        }
    }
    st.supplier(0).finish(); // Person 002's first frame
    for (int f = 0; f < 3; ++f) {
        st.frame();
        if (const OverlayFrame *due = st.source(0).frameToPresent()) {
            CHECK(due->generation > old);
            CHECK_FALSE(due->update);
            st.present(0);
        }
    }
    CHECK(st.hub.currentRecipient()->id == "p2@x.example");
}

TEST_CASE("presenter: the whole queue's pictures are asked for once per queue, again after a "
          "reload or a new theme, and the queue is copied by whoever prepares them") {
    Stage st(1);
    int asked = 0;
    std::function<std::vector<Recipient>()> copyQueue;
    st.source(0).setPictures(nullptr, nullptr, [&](std::function<std::vector<Recipient>()> f) {
        ++asked;
        copyQueue = std::move(f);
    });
    st.frame();
    CHECK(asked == 1);
    REQUIRE(copyQueue);
    const std::vector<Recipient> all = copyQueue();
    REQUIRE(all.size() == 4);
    CHECK(all[3].id == "p4@x.example");
    for (int f = 0; f < 5; ++f) {
        st.frame();
    }
    CHECK(asked == 1); // not every frame
    REQUIRE(st.hub.next());
    st.frame();
    CHECK(asked == 1); // a switch is not a new queue
    st.source(0).setTheme(staticTheme());
    st.frame();
    CHECK(asked == 2);
    // The queue file changes on disk: prepared again.
    const fs::path q = st.dir / "queue.csv";
    std::ofstream(q) << "name,email\nPerson 001,p1@x.example\nPerson 002,p2@x.example\n"
                        "Person 005,p5@x.example\n";
    fs::last_write_time(q, fs::last_write_time(q) + std::chrono::seconds(5));
    REQUIRE(st.hub.pollQueueFile().has_value());
    st.frame();
    CHECK(asked == 3);
    CHECK(copyQueue().size() == 3);
}

TEST_CASE("presenter: a new theme for the recipient on screen is shown as soon as it is rendered, "
          "without a switch") {
    Stage st(1);
    st.settle();
    const std::uint64_t gen = st.hub.frameState().generation;
    st.source(0).setTheme(staticTheme()); // e.g. the rep moved a corner of the note
    st.frame();
    REQUIRE(st.supplier(0).requests.back().first == gen);
    CHECK(st.supplier(0).pans.back().second); // an update of what is on screen
    st.supplier(0).finish();
    st.frame();
    REQUIRE(st.source(0).frameToPresent() != nullptr);
    CHECK(st.source(0).frameToPresent()->generation == gen);
    st.present(0);
    CHECK(st.hub.frameState().generation == gen); // no switch: the same file goes on
    CHECK(st.source(0).draw().has_value());
}

TEST_CASE("presenter: a frame of pan layers is shown once and its window moves with time, with "
          "no pan frame asked of the worker; the next recipient without layers has no window") {
    auto theme = std::make_shared<Theme>();
    theme->animation.in = AnimationKind::None;
    theme->animation.out = AnimationKind::None;
    ImageElement site;
    site.pan = 1.0f; // one second, 30 frames
    theme->elements.emplace_back(site);
    Stage st(1, theme);
    st.now = 100'000'000'000;
    auto layers = std::make_shared<PanLayers>();
    layers->piece = Image(8, 1000);
    layers->rows = 1000;
    layers->box = PixelRect{10, 20, 8, 100};
    layers->duration = 1.0f;
    REQUIRE(layers->travel() == 900);
    st.frame();
    st.supplier(0).finish(-1, "", layers);
    st.frame();
    st.frame();
    REQUIRE(st.present(0));
    const std::size_t requests = st.supplier(0).requests.size();
    REQUIRE(st.source(0).draw().has_value());
    CHECK(st.source(0).draw()->panWindowY == 0);
    CHECK(st.source(0).uploadedFramesShown() == 1);
    int last = 0;
    for (int f = 0; f < 45; ++f) {
        st.frame();
        CHECK_FALSE(st.present(0)); // nothing new to put on screen: the window just moves
        auto d = st.source(0).draw();
        REQUIRE(d.has_value());
        CHECK(d->panWindowY >= last);
        last = d->panWindowY;
    }
    CHECK(last == 900); // at the end after a second, and it stays there
    CHECK(st.supplier(0).requests.size() == requests); // no pan frame was asked for
    // Halfway through, the window is halfway (eased: exactly half at half the time).
    CHECK(layers->windowY(0.5) == doctest::Approx(450.0f));

    // The next recipient comes as plain pixels: no window.
    REQUIRE(st.hub.next());
    st.frame();
    st.supplier(0).finish();
    st.frame();
    st.frame();
    st.present(0);
    REQUIRE(st.source(0).draw().has_value());
    CHECK(st.source(0).draw()->panWindowY == -1);
}

TEST_CASE("presenter: a dragged corner asks once for warp layers, then every move only places "
          "the group (no render); letting go keeps the last corners until a render replaces them") {
    auto theme = std::make_shared<Theme>();
    theme->animation.in = AnimationKind::None;
    theme->animation.out = AnimationKind::None;
    const Quad start = {Point2{200, 200}, Point2{700, 240}, Point2{680, 560}, Point2{220, 520}};
    ThemeLayer group;
    group.width = 400;
    group.height = 300;
    group.quad = start;
    theme->layers.push_back(group);
    BoxElement note;
    note.layer = 0;
    theme->elements.emplace_back(note);
    Stage st(1, theme);
    st.settle();
    REQUIRE(st.source(0).draw().has_value());
    CHECK_FALSE(st.source(0).draw()->warp);
    const std::size_t before = st.supplier(0).requests.size();

    // The corner moves on every frame; the layers are asked for once, and until they are in
    // the rendered frame stays on screen.
    const auto cornerAt = [&](int step) {
        Quad q = start;
        q[1].x += static_cast<float>(step) * 5.0f;
        q[1].y -= static_cast<float>(step) * 2.0f;
        return q;
    };
    for (int f = 1; f <= 5; ++f) {
        CHECK(st.source(0).dragCorners(cornerAt(f)));
        st.frame();
        CHECK(st.source(0).draw().has_value());
        CHECK_FALSE(st.source(0).draw()->warp);
    }
    REQUIRE(st.supplier(0).warpRequests.size() == 1);
    CHECK(st.supplier(0).warpRequests.front() == st.hub.frameState().generation);
    auto layers = std::make_shared<WarpLayers>();
    layers->width = 400;
    layers->height = 300;
    layers->layer = Image(400, 300);
    layers->corners = start;
    layers->canvasWidth = 1920;
    layers->canvasHeight = 1080;
    layers->overBounds = PixelRect{0, 900, 1920, 100};
    st.supplier(0).finish(-1, "", nullptr, layers);
    CHECK(st.source(0).dragCorners(cornerAt(6)));
    st.frame();
    REQUIRE(st.present(0));
    CHECK(st.source(0).uploadedFramesShown() == 2); // the layers, uploaded once
    for (int f = 6; f <= 40; ++f) {
        CHECK(st.source(0).dragCorners(cornerAt(f)));
        st.frame();
        CHECK_FALSE(st.present(0)); // nothing new to put on screen: the group just moves
        auto d = st.source(0).draw();
        REQUIRE(d.has_value());
        REQUIRE(d->warp.has_value());
        const auto expected = placeWarp(400, 300, cornerAt(f), 1920, 1080);
        REQUIRE(expected.has_value());
        CHECK(d->warp->box == expected->box);
        CHECK(d->warp->canvasToLayer == expected->canvasToLayer);
        CHECK(d->bounds == unite(layers->overBounds, expected->box));
    }
    CHECK(st.supplier(0).warpRequests.size() == 1);
    CHECK(st.supplier(0).requests.size() == before + 1); // the layers: no render per move

    // Corners that are not usable (turned inside out) leave the group where it was.
    Quad crossed = cornerAt(40);
    std::swap(crossed[0], crossed[1]);
    CHECK(st.source(0).dragCorners(crossed));
    st.frame();
    CHECK(st.source(0).draw()->warp->box == placeWarp(400, 300, cornerAt(40), 1920, 1080)->box);

    // Let go: the last corners stay on screen, until the theme with them (what saving the
    // corners loads) is rendered and replaces the layers.
    CHECK(st.source(0).dragCorners(std::nullopt));
    for (int f = 0; f < 3; ++f) {
        st.frame();
        REQUIRE(st.source(0).draw()->warp.has_value());
        CHECK(st.source(0).draw()->warp->box == placeWarp(400, 300, cornerAt(40), 1920, 1080)->box);
    }
    auto saved = std::make_shared<Theme>(*theme);
    REQUIRE(saved->placeFirstGroup(cornerAt(40)).ok());
    st.source(0).setTheme(saved);
    st.frame();
    st.supplier(0).finish();
    st.frame();
    REQUIRE(st.present(0));
    REQUIRE(st.source(0).draw().has_value());
    CHECK_FALSE(st.source(0).draw()->warp);

    // A second drag of the same recipient asks again; a worker that cannot draw the group so
    // says why, and the caller renders per move as before.
    CHECK(st.source(0).dragCorners(cornerAt(41)));
    st.frame();
    REQUIRE(st.supplier(0).warpRequests.size() == 2);
    st.supplier(0).finish(-1, "", nullptr, nullptr, "more than one group is in perspective");
    st.frame();
    st.present(0);
    CHECK_FALSE(st.source(0).dragCorners(cornerAt(42)));
    CHECK_FALSE(st.source(0).draw()->warp);
}

TEST_CASE("presenter: a theme without a group in perspective, or one that pans, is not dragged "
          "as layers") {
    Stage plain(1);
    plain.settle();
    const Quad q = {Point2{0, 0}, Point2{100, 0}, Point2{100, 100}, Point2{0, 100}};
    CHECK_FALSE(plain.source(0).dragCorners(q));
    CHECK(plain.supplier(0).warpRequests.empty());

    auto panning = std::make_shared<Theme>();
    ThemeLayer group;
    group.width = 100;
    group.height = 100;
    group.quad = q;
    panning->layers.push_back(group);
    ImageElement site;
    site.pan = 2.0f;
    panning->elements.emplace_back(site);
    Stage st(1, panning);
    st.settle();
    CHECK_FALSE(st.source(0).dragCorners(q));
    st.frame();
    CHECK(st.supplier(0).warpRequests.empty());
}
