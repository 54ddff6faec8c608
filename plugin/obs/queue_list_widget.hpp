#pragma once
// The dock's view of the whole queue: a search box and one row per recipient (position, name,
// company, state), the current one in bold and kept in view. Typing filters (case and accents
// folded, every word must match); Enter in the search box jumps to the first match, Enter or a
// double-click on a row jumps there — the same jump as the websocket request. Qt and the core
// only (no OBS), so it is tested on Qt's offscreen platform.

#include "core/session/session_hub.hpp"

#include <QWidget>

#include <vector>

class QLineEdit;
class QListWidget;
class QListWidgetItem;

namespace cuecard::obs {

class QueueListWidget : public QWidget {
  public:
    explicit QueueListWidget(SessionHub &hub, QWidget *parent = nullptr);

    /// Reads the queue again (call it on a timer); rebuilds the rows only when they changed.
    void refresh();

    QLineEdit *searchBox() const { return search_; }
    QListWidget *list() const { return list_; }
    /// Rows shown by the current search.
    int visibleRows() const;

  private:
    void applySearch();
    void jumpTo(const QListWidgetItem *item);

    SessionHub &hub_;
    QLineEdit *search_;
    QListWidget *list_;
    std::vector<QueueListRow> rows_;
};

} // namespace cuecard::obs
