// The dock's queue list on Qt's offscreen platform, with a real SessionHub: typing a search
// filters the rows (case and accents folded), Enter jumps the hub's cursor to the first match,
// Enter on a row jumps there, and the current row follows the hub.

#define DOCTEST_CONFIG_IMPLEMENT
#include "obs/queue_list_widget.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <QApplication>
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

int main(int argc, char **argv) {
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
    QApplication app(argc, argv);
    doctest::Context context(argc, argv);
    return context.run();
}
