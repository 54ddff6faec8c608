// SPDX-License-Identifier: GPL-2.0-or-later
// The dock's pictures and the row being recorded, on Qt's offscreen platform: a preview shows
// the part of the canvas the theme draws, as wide as the dock, so the name can be read; the
// row whose file is being written says so.

#include "obs/preview_view.hpp"
#include "obs/queue_list_widget.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <QListWidget>

#include <fstream>

using namespace cuecard;

TEST_CASE("dock preview: the drawn band fills the dock's width; text when there is no picture") {
    // A 1920×1080 canvas (here at a third) with a lower-third band: 1200×180 at the bottom.
    Image canvas(640, 360);
    for (int y = 270; y < 330; ++y) {
        for (int x = 40; x < 440; ++x) {
            canvas.at(x, y)[3] = 255;
        }
    }
    obs::PreviewView view;
    view.setImage(canvas);
    // Cropped to the band and a margin: 400×60 drawn, 8 px around.
    CHECK(view.shownImage().width() == 400 + 16);
    CHECK(view.shownImage().height() == 60 + 16);
    // At a dock 400 px wide the band is drawn 400 px wide (the whole canvas would make it 250).
    CHECK(view.heightForWidth(400) == 400 * 76 / 416);
    // Never taller than 16:9 (a picture that fills the canvas).
    Image full(640, 360);
    for (auto &b : full.pixels) {
        b = 255;
    }
    view.setImage(full);
    CHECK(view.heightForWidth(400) == 225);
    view.setText("drawing the preview…");
    CHECK(view.shownImage().isNull());
    CHECK(view.shownText() == "drawing the preview…");
    CHECK(view.heightForWidth(400) < 80);
}

TEST_CASE("dock queue list: the row being recorded says so, in red") {
    test::TempDir dir("queue-list-recording");
    const auto q = dir / "queue.csv";
    std::ofstream(q) << "name,company\nAnn Able,A Co\nCara Diaz,C Co\n";
    SessionHub hub;
    REQUIRE(hub.openQueue(q).ok());
    obs::QueueListWidget widget(hub);
    std::string onAir;
    widget.setDecorate([&](std::vector<QueueListRow> &rows) {
        for (auto &r : rows) {
            r.recording = r.id == onAir;
        }
    });
    widget.refresh();
    CHECK_FALSE(widget.list()->item(1)->text().contains("recording"));
    onAir = hub.listRows()[1].id;
    widget.refresh();
    CHECK(widget.list()->item(1)->text().contains("[● recording]"));
    CHECK(widget.list()->item(1)->foreground().color() == QColor(220, 38, 38));
    CHECK_FALSE(widget.list()->item(0)->text().contains("recording"));
    onAir.clear(); // the take ended: the row shows its state again
    widget.refresh();
    CHECK_FALSE(widget.list()->item(1)->text().contains("recording"));
}
