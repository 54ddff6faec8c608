// SPDX-License-Identifier: GPL-2.0-or-later
// RecordingSession, the one recording pipeline of OBS and `cuecard session`, driven the way the
// CLI drives it: a session hub ticked by a synthetic clock (frame i at i/10 s), the test
// pattern pushed at the same times, every file decoded back to the frame numbers it holds.

#include "core/record/test_pattern.hpp"
#include "core/recording/recording_session.hpp"
#include "core/session/session_hub.hpp"
#include "record/decode.hpp"
#include "record/record_support.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace cuecard;
namespace fs = std::filesystem;

namespace {

constexpr int kW = 320;
constexpr int kH = 180;

/// A hub with three people, one source (the overlay is ready at once, as in the CLI) and a
/// session into a folder of its own.
struct Rig {
    fs::path folder;
    SessionHub hub;
    SessionHub::SourceId source = 0;
    std::shared_ptr<RecordingSession> session;
    std::int64_t frame = 0;
    Image picture{kW, kH};

    explicit Rig(const fs::path &dir) : folder(dir / "rec") {
        const fs::path queue = dir / "queue.csv";
        if (!fs::exists(queue)) {
            std::ofstream(queue) << "name,email\nAnn Lee,ann@x.example\nBo Chen,bo@x.example\n"
                                    "Cy Diaz,cy@x.example\n";
        }
        REQUIRE(hub.openQueue(queue).ok());
        source = hub.registerSource();
    }
    static std::uint64_t at(std::int64_t i) { return static_cast<std::uint64_t>(i) * 100'000'000; }

    void start(bool standby, bool onCaller) {
        RecordingSessionOptions o;
        o.recorder.folder = folder;
        o.recorder.encoder.width = kW;
        o.recorder.encoder.height = kH;
        o.recorder.encoder.fpsNum = 10;
        o.recorder.encoder.fpsDen = 1;
        o.recorder.encoder.audio = false;
        o.recorder.minFreeBytes = 0;
        o.standby = standby;
        o.encodeOnCaller = onCaller;
        auto s = RecordingSession::start(hub, std::move(o));
        REQUIRE_MESSAGE(s.ok(), s.message());
        session = s.value();
    }
    /// `n` frames: the hub decides each frame's switch, then the frame goes to the session.
    void frames(int n) {
        for (int k = 0; k < n; ++k, ++frame) {
            hub.sourceReady(source, hub.frameState().generation);
            hub.tick(at(frame));
            drawTestFrame(picture, frame);
            VideoInput in;
            in.timestampNs = at(frame);
            in.layout = PixelLayout::RGBA;
            in.data[0] = picture.pixels.data();
            in.linesize[0] = kW * 4;
            REQUIRE(session->pushVideo(in).ok());
        }
    }
    std::string onAirId() const {
        const auto air = session->onAir();
        return air ? air->recipient.id : std::string();
    }
    /// Each file in the manifest: (recipient id, take, the pattern's frame numbers it holds).
    struct File {
        std::string id;
        int take = 0;
        std::string name;
        std::vector<std::int64_t> frames;
    };
    std::vector<File> files() const {
        std::vector<File> out;
        const auto m = test::record::readJson(folder / "manifest.json");
        REQUIRE(m.is_object());
        for (const auto &f : m["files"]) {
            File file{f["recipient_id"], f["take"], f["file"], {}};
            const test::DecodedFile d = test::decodeFile((folder / file.name).string());
            for (const auto &fr : d.frames) {
                file.frames.push_back(fr.index);
            }
            out.push_back(std::move(file));
        }
        return out;
    }
};

std::vector<std::int64_t> range(std::int64_t first, std::int64_t count) {
    std::vector<std::int64_t> v;
    for (std::int64_t i = 0; i < count; ++i) {
        v.push_back(first + i);
    }
    return v;
}

} // namespace

TEST_CASE("recording session: each switch the hub makes visible starts the next file on that "
          "frame; takes land in the hub and its journal") {
    for (const bool onCaller : {false, true}) {
        CAPTURE(onCaller); // OBS encodes on the session's thread, the CLI on its own
        test::TempDir dir("recsession");
        Rig rig(dir.path());
        rig.start(false, onCaller);
        CHECK(rig.session->waitingForRoll() == false);
        rig.frames(10);
        CHECK(rig.onAirId() == "ann@x.example");
        rig.hub.next();
        rig.frames(15);
        CHECK(rig.onAirId() == "bo@x.example");
        CHECK(rig.session->onAir()->sinceNs == Rig::at(10));
        rig.hub.next();
        rig.frames(5);
        REQUIRE(rig.session->stop().ok());
        CHECK_FALSE(rig.session->onAir().has_value());
        CHECK(rig.session->filesWritten() == 3);
        const auto files = rig.files();
        REQUIRE(files.size() == 3);
        CHECK(files[0].id == "ann@x.example");
        CHECK(files[0].frames == range(0, 10));
        CHECK(files[1].id == "bo@x.example");
        CHECK(files[1].frames == range(10, 15));
        CHECK(files[2].id == "cy@x.example");
        CHECK(files[2].frames == range(25, 5));
        // The takes are the hub's: everyone recorded, in the journal next to the files.
        CHECK(rig.hub.snapshot().counts.recorded == 3);
        rig.hub.flush();
        CHECK(fs::exists(rig.folder / kJournalFileName));
    }
}

TEST_CASE("recording session: standby writes nothing until roll, pauses at each switch, and a "
          "roll before the switch is on screen starts the file on the switch's frame") {
    test::TempDir dir("recsession-standby");
    Rig rig(dir.path());
    rig.start(true, true);
    CHECK(rig.session->waitingForRoll());
    rig.frames(5); // reading Ann's notes: not recorded
    CHECK(rig.onAirId().empty());
    REQUIRE(rig.session->roll(Rig::at(rig.frame)).empty());
    CHECK_FALSE(rig.session->waitingForRoll());
    CHECK(rig.onAirId() == "ann@x.example");
    rig.frames(10);
    // Next, and roll at once: Bo is not on screen yet, so his file starts on the frame the switch
    // shows him (never on one that still shows Ann).
    rig.hub.next();
    REQUIRE(rig.session->roll(Rig::at(rig.frame)).empty());
    rig.frames(7);
    CHECK(rig.onAirId() == "bo@x.example");
    // Next without roll: a pause until the rep rolls.
    rig.hub.next();
    rig.frames(3);
    CHECK(rig.session->waitingForRoll());
    CHECK(rig.onAirId().empty());
    REQUIRE(rig.session->stop().ok());
    CHECK(rig.session->roll(Rig::at(rig.frame)) == "no Cuecard recording is running");
    const auto files = rig.files();
    REQUIRE(files.size() == 2);
    CHECK(files[0].id == "ann@x.example");
    CHECK(files[0].frames == range(5, 10));
    CHECK(files[1].id == "bo@x.example");
    CHECK(files[1].frames == range(15, 7));
}

TEST_CASE("recording session: a second session into the folder resumes after who is recorded, "
          "and a retake gets the next take number") {
    test::TempDir dir("recsession-resume");
    {
        Rig rig(dir.path());
        rig.start(false, true);
        rig.frames(4);
        rig.hub.next();
        rig.frames(4);
        REQUIRE(rig.session->stop().ok());
        rig.hub.flush();
    }
    Rig rig(dir.path());
    rig.start(false, true);
    CHECK(rig.session->resumed().message.find("#3 Cy Diaz") != std::string::npos);
    rig.frames(3);
    CHECK(rig.onAirId() == "cy@x.example");
    rig.hub.jump(1); // Ann again
    rig.frames(3);
    CHECK(rig.session->onAir()->take == 2);
    REQUIRE(rig.session->stop().ok());
    const auto files = rig.files();
    REQUIRE(files.size() == 4);
    CHECK(files[2].id == "cy@x.example");
    CHECK(files[2].frames == range(0, 3));
    CHECK(files[3].id == "ann@x.example");
    CHECK(files[3].take == 2);
    CHECK(files[3].name.find("_take2") != std::string::npos);
    CHECK(files[3].frames == range(3, 3));
}
