#include "obs/queue_list_widget.hpp"

#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

#include <string>

namespace cuecard::obs {

QueueListWidget::QueueListWidget(SessionHub &hub, QWidget *parent)
    : QWidget(parent), hub_(hub), search_(new QLineEdit(this)), list_(new QListWidget(this)) {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    search_->setPlaceholderText(QString::fromUtf8("Search name, company, e-mail…"));
    search_->setClearButtonEnabled(true);
    layout->addWidget(search_);
    layout->addWidget(list_, 1);
    connect(search_, &QLineEdit::textChanged, this, [this] { applySearch(); });
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
    if (rows == rows_) {
        return;
    }
    rows_ = std::move(rows);
    list_->clear();
    QListWidgetItem *current = nullptr;
    for (const QueueListRow &r : rows_) {
        std::string text = "#" + std::to_string(r.index) + "  " + r.name;
        if (!r.company.empty()) {
            text += "  ·  " + r.company;
        }
        if (r.state != RecipientState::Pending) {
            text += std::string("  [") + stateName(r.state) + "]";
        }
        auto *item = new QListWidgetItem(QString::fromStdString(text), list_);
        item->setData(Qt::UserRole, r.index);
        if (!r.file.empty()) {
            item->setToolTip(QString::fromStdString(r.file));
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
        list_->scrollToItem(current); // the current recipient stays in view
    }
}

void QueueListWidget::applySearch() {
    const std::vector<std::size_t> shown = searchRows(rows_, search_->text().toStdString());
    std::vector<bool> visible(rows_.size(), false);
    for (std::size_t i : shown) {
        visible[i] = true;
    }
    for (int i = 0; i < list_->count() && static_cast<std::size_t>(i) < visible.size(); ++i) {
        list_->item(i)->setHidden(!visible[static_cast<std::size_t>(i)]);
    }
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
