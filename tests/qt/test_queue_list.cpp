// SPDX-License-Identifier: GPL-2.0-or-later
// The dock's queue list on Qt's offscreen platform, with a real SessionHub: typing a search
// filters the rows (case and accents folded), Enter jumps the hub's cursor to the first match,
// Enter on a row jumps there, and the current row follows the hub.

#define DOCTEST_CONFIG_IMPLEMENT
#include "core/stage/preflight_runner.hpp"
#include "obs/queue_list_widget.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <QApplication>
#include <QCheckBox>
#include <QLineEdit>
#include <QListWidget>
#include <QTest>

#include <cstdlib>
#include <fstream>

using namespace cuecard;
namespace fs = std::filesystem;

TEST_CASE("dock queue list: search, Enter jumps, the current row follows the hub") {
    test::TempDir dir("queue-list-widget");
    const fs::path q = dir / "queue.csv";
    std::ofstream(q) << "name,company,email\nJohn Smith,Acme,john@acme.example\n"
                        "Zoë Müller,Bäckerei,zoe@b.example\nJohn Doe,Initech,jd@initech.example\n"
                        "Amy Wu,Globex,amy@globex.example\n";
    SessionHub hub;
    REQUIRE(hub.openQueue(q).ok());
    obs::QueueListWidget widget(hub);
    widget.show();
    REQUIRE(widget.list()->count() == 4);
    CHECK(widget.list()->currentRow() == 0);
    CHECK(widget.list()->item(0)->font().bold());

    QTest::keyClicks(widget.searchBox(), "john INITECH");
    CHECK(widget.visibleRows() == 1);
    QTest::keyClick(widget.searchBox(), Qt::Key_Return);
    CHECK(hub.snapshot().index == 3); // the other John
    CHECK(widget.list()->currentRow() == 2);
    CHECK(widget.list()->item(2)->font().bold());

    widget.searchBox()->clear();
    QTest::keyClicks(widget.searchBox(), "zoe mull");
    CHECK(widget.visibleRows() == 1);
    widget.searchBox()->clear();
    CHECK(widget.visibleRows() == 4);

    // Enter on a row jumps there.
    widget.list()->setFocus();
    widget.list()->setCurrentRow(3);
    QTest::keyClick(widget.list(), Qt::Key_Return);
    CHECK(hub.snapshot().index == 4);

    // The hub moves (a hotkey): the next refresh follows, the state shows.
    REQUIRE(hub.skip()); // #4 skipped; the last one, so it stays
    REQUIRE(hub.jump(1));
    widget.refresh();
    CHECK(widget.list()->currentRow() == 0);
    CHECK(widget.list()->item(3)->text().contains("[skipped]"));
}

TEST_CASE("dock queue list: rows with problems carry an icon, the problem in a few words and "
          "all of it in the tooltip; the filter shows only them") {
    test::TempDir dir("queue-list-problems");
    const fs::path q = dir / "queue.csv";
    std::ofstream(q) << "name,company,email\nJohn Smith,Acme,john@acme.example\n"
                        "Zoë Müller,Bäckerei,zoe@b.example\nAmy Wu,Globex,amy@globex.example\n";
    SessionHub hub;
    REQUIRE(hub.openQueue(q).ok());
    // What the pre-flight runner and the picture prefetcher found.
    PreflightResults checks;
    const auto rows = hub.listRows();
    checks.byId[rows[1].id] = {
        {PreflightLine::Level::Warning, "warning: cut to fit: \"Zoë Müller-Lüdensch…\""},
        {PreflightLine::Level::Note, "note: title is empty, shown: \"\""}};
    std::map<std::string, std::vector<std::string>> pictures{
        {rows[2].id,
         {"elements[1] {logo}: https://globex.example/l.png: HTTP 404; fallback used"}}};
    obs::QueueListWidget widget(hub);
    widget.setDecorate([&](std::vector<QueueListRow> &r) { attachChecks(r, &checks, &pictures); });
    widget.refresh();
    widget.show();
    REQUIRE(widget.list()->count() == 3);
    CHECK(widget.problemRows() == 2);
    const QListWidgetItem *zoe = widget.list()->item(1);
    CHECK(zoe->text().endsWith("\ncut to fit"));
    CHECK(zoe->toolTip().contains("warning: cut to fit"));
    CHECK(zoe->toolTip().contains("note: title is empty"));
    // Under what was found, what to do about it.
    CHECK(zoe->toolTip().contains("→ Shorten this value in the queue"));
    CHECK(widget.list()->item(2)->toolTip().contains("→ Check the picture's address"));
    CHECK_FALSE(zoe->icon().isNull());
    CHECK(widget.list()->item(0)->icon().isNull());
    CHECK(widget.list()->item(2)->text().endsWith("\npicture: HTTP 404; fallback used"));

    QTest::mouseClick(widget.onlyProblems(), Qt::LeftButton);
    REQUIRE(widget.onlyProblems()->isChecked());
    CHECK(widget.visibleRows() == 2);
    CHECK(widget.list()->item(0)->isHidden());
    QTest::keyClicks(widget.searchBox(), "amy");
    CHECK(widget.visibleRows() == 1);
    QTest::keyClick(widget.searchBox(), Qt::Key_Return);
    CHECK(hub.snapshot().index == 3);

    // Fixed in the CRM (the pre-flight finds nothing more): the flag goes on the next refresh.
    checks.byId.clear();
    pictures.clear();
    widget.refresh();
    CHECK(widget.problemRows() == 0);
    CHECK(widget.visibleRows() == 0);
    CHECK(widget.list()->item(1)->icon().isNull());
}

int main(int argc, char **argv) {
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
    QApplication app(argc, argv);
    doctest::Context context(argc, argv);
    return context.run();
}
