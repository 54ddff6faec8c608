// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// The dock's view of the whole queue: a search box and one row per recipient (position, name,
// company, state), the current one in bold and kept in view. Typing filters (case and accents
// folded, every word must match); Enter in the search box jumps to the first match, Enter or a
// double-click on a row jumps there — the same jump as the websocket request. A row with a
// problem found before recording (pre-flight, pictures) carries a warning icon, the problem in a
// few words on a second line and all of it in its tooltip; "only rows with problems" filters; the
// row whose file is being written says so, in red. Qt
// and the core only (no OBS), so it is tested on Qt's offscreen platform.

#include "core/session/session_hub.hpp"

#include <QString>
#include <QWidget>

#include <functional>
#include <vector>

class QCheckBox;
class QLineEdit;
class QListWidget;
class QListWidgetItem;

namespace cuecard::obs {

/// The words the list shows (the dock passes them from OBS's locale file).
struct QueueListTexts {
    QString search = QString::fromUtf8("Search name, company, e-mail…");
    QString onlyProblems = QString::fromUtf8("Only rows with problems");
    QString recording = QString::fromUtf8("● recording");
};

class QueueListWidget : public QWidget {
  public:
    /// Adds what is known about each row before it is shown (attachChecks); called on refresh.
    using Decorate = std::function<void(std::vector<QueueListRow> &)>;

    explicit QueueListWidget(SessionHub &hub, QWidget *parent = nullptr, QueueListTexts texts = {});

    void setDecorate(Decorate decorate) { decorate_ = std::move(decorate); }

    /// Reads the queue again (call it on a timer); rebuilds the rows only when they changed.
    void refresh();

    QLineEdit *searchBox() const { return search_; }
    QListWidget *list() const { return list_; }
    QCheckBox *onlyProblems() const { return onlyProblems_; }
    /// Rows with a problem (shown or not).
    int problemRows() const;
    /// Rows shown by the current search.
    int visibleRows() const;

  private:
    void applySearch();
    void jumpTo(const QListWidgetItem *item);

    SessionHub &hub_;
    QLineEdit *search_;
    QListWidget *list_;
    QCheckBox *onlyProblems_;
    Decorate decorate_;
    QString recordingText_;
    std::vector<QueueListRow> rows_;
};

} // namespace cuecard::obs
