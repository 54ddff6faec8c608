// SPDX-License-Identifier: GPL-2.0-or-later
#include "obs/queue_list_widget.hpp"

#include "core/stage/preflight_runner.hpp"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QStyle>
#include <QVBoxLayout>

#include <string>

namespace cuecard::obs {

QueueListWidget::QueueListWidget(SessionHub &hub, QWidget *parent, QueueListTexts texts)
    : QWidget(parent), hub_(hub), search_(new QLineEdit(this)), list_(new QListWidget(this)),
      onlyProblems_(new QCheckBox(texts.onlyProblems, this)), recordingText_(texts.recording) {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    search_->setPlaceholderText(texts.search);
    search_->setClearButtonEnabled(true);
    auto *row = new QHBoxLayout();
    row->addWidget(search_, 1);
    row->addWidget(onlyProblems_);
    layout->addLayout(row);
    // Long names and companies wrap instead of hiding the end of the row off to the right.
    list_->setWordWrap(true);
    list_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    list_->setUniformItemSizes(false);
    list_->setMinimumHeight(list_->fontMetrics().lineSpacing() * 8);
    layout->addWidget(list_, 1);
    connect(search_, &QLineEdit::textChanged, this, [this] { applySearch(); });
    connect(onlyProblems_, &QCheckBox::toggled, this, [this] { applySearch(); });
    connect(search_, &QLineEdit::returnPressed, this, [this] {
        for (int i = 0; i < list_->count(); ++i) {
            if (!list_->item(i)->isHidden()) {
                jumpTo(list_->item(i));
                return;
            }
        }
    });
    connect(list_, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { jumpTo(item); });
    refresh();
}

void QueueListWidget::refresh() {
    std::vector<QueueListRow> rows = hub_.listRows();
    if (decorate_) {
        decorate_(rows);
    }
    if (rows == rows_) {
        return;
    }
    rows_ = std::move(rows);
    list_->clear();
    QListWidgetItem *current = nullptr;
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (const QueueListRow &r : rows_) {
        std::string text = "#" + std::to_string(r.index) + "  " + r.name;
        if (!r.company.empty()) {
            text += "  ·  " + r.company;
        }
        if (r.recording) {
            text += "  [" + recordingText_.toStdString() + "]";
        } else if (r.state != RecipientState::Pending) {
            text += std::string("  [") + stateName(r.state) + "]";
        }
        if (!r.problems.empty()) {
            // On a line of its own: a long name or company would push it out of sight.
            text += "\n" + problemLabel(r.problems.front());
            if (r.problems.size() > 1) {
                text += " (+" + std::to_string(r.problems.size() - 1) + ")";
            }
        }
        auto *item = new QListWidgetItem(QString::fromStdString(text), list_);
        item->setData(Qt::UserRole, r.index);
        std::string tip;
        for (const auto &line : r.problems) {
            tip += (tip.empty() ? "" : "\n") + line;
            if (const std::string fix = problemFix(line); !fix.empty()) {
                tip += "\n    → " + fix; // what to do, under what was found
            }
        }
        for (const auto &line : r.notes) {
            tip += (tip.empty() ? "" : "\n") + line;
        }
        if (!r.file.empty()) {
            tip += (tip.empty() ? "" : "\n") + r.file;
        }
        item->setToolTip(QString::fromStdString(tip));
        if (!r.problems.empty()) {
            item->setIcon(warning);
        }
        if (r.recording) {
            item->setForeground(QColor(220, 38, 38));
        }
        if (r.current) {
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
            current = item;
        }
    }
    applySearch();
    if (current != nullptr) {
        list_->setCurrentItem(current);
        // The current recipient stays in view, in the middle: who was before, who comes after.
        list_->scrollToItem(current, QAbstractItemView::PositionAtCenter);
    }
}

void QueueListWidget::applySearch() {
    const std::vector<std::size_t> shown =
        searchRows(rows_, search_->text().toStdString(), onlyProblems_->isChecked());
    std::vector<bool> visible(rows_.size(), false);
    for (std::size_t i : shown) {
        visible[i] = true;
    }
    for (int i = 0; i < list_->count() && static_cast<std::size_t>(i) < visible.size(); ++i) {
        list_->item(i)->setHidden(!visible[static_cast<std::size_t>(i)]);
    }
}

int QueueListWidget::problemRows() const {
    int n = 0;
    for (const QueueListRow &r : rows_) {
        n += r.problems.empty() ? 0 : 1;
    }
    return n;
}

int QueueListWidget::visibleRows() const {
    int n = 0;
    for (int i = 0; i < list_->count(); ++i) {
        n += list_->item(i)->isHidden() ? 0 : 1;
    }
    return n;
}

void QueueListWidget::jumpTo(const QListWidgetItem *item) {
    if (item != nullptr) {
        hub_.jump(item->data(Qt::UserRole).toInt());
        refresh();
    }
}

} // namespace cuecard::obs
