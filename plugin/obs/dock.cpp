// The Cuecard dock: who is on now and next, the notes field for the rep's eyes only (never in
// the output), progress, and buttons for the actions. It reads the shared hub four times a
// second; the buttons call the same hub methods as the hotkeys.

#include "obs/dock.hpp"

#include "obs/log.hpp"
#include "obs/plugin_state.hpp"
#include "obs/queue_list_widget.hpp"
#include "obs/recording.hpp"

#include <obs-frontend-api.h>
#include <obs-module.h>

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QTextEdit>
#include <QTimer>
#include <QVBoxLayout>

namespace cuecard::obs {
namespace {

QString q(const std::string &s) {
    return QString::fromStdString(s);
}

class CuecardDock : public QDockWidget {
  public:
    explicit CuecardDock(QWidget *parent) : QDockWidget(parent) {
        setObjectName("CuecardDock");
        setWindowTitle(obs_module_text("Cuecard.Dock.Title"));
        auto *body = new QWidget(this);
        auto *layout = new QVBoxLayout(body);
        current_ = new QLabel(body);
        current_->setWordWrap(true);
        current_->setTextFormat(Qt::PlainText);
        QFont big = current_->font();
        big.setPointSizeF(big.pointSizeF() * 1.4);
        big.setBold(true);
        current_->setFont(big);
        detail_ = new QLabel(body);
        detail_->setWordWrap(true);
        detail_->setTextFormat(Qt::PlainText);
        next_ = new QLabel(body);
        next_->setWordWrap(true);
        next_->setTextFormat(Qt::PlainText);
        notes_ = new QTextEdit(body);
        notes_->setReadOnly(true);
        notes_->setAcceptRichText(false);
        notes_->setPlaceholderText(obs_module_text("Cuecard.Dock.Notes"));
        progress_ = new QProgressBar(body);
        status_ = new QLabel(body);
        status_->setWordWrap(true);
        status_->setTextFormat(Qt::PlainText);
        pictures_ = new QLabel(body);
        pictures_->setWordWrap(true);
        pictures_->setTextFormat(Qt::PlainText);
        layout->addWidget(current_);
        layout->addWidget(detail_);
        layout->addWidget(new QLabel(obs_module_text("Cuecard.Dock.Notes"), body));
        layout->addWidget(notes_, 1);
        layout->addWidget(next_);
        layout->addWidget(progress_);
        // The whole queue: search, jump (Enter or a double-click).
        queue_ = new QueueListWidget(state().hub, body);
        layout->addWidget(queue_, 2);
        auto *buttons = new QGridLayout();
        const auto button = [&](const char *label, int row, int col, auto action) {
            auto *b = new QPushButton(obs_module_text(label), body);
            connect(b, &QPushButton::clicked, this, [action] { guarded("dock", action); });
            buttons->addWidget(b, row, col);
        };
        button("Cuecard.Dock.Previous", 0, 0, [] { state().hub.previous(); });
        button("Cuecard.Dock.NextButton", 0, 1, [] { state().hub.next(); });
        button("Cuecard.Dock.Skip", 1, 0, [] { state().hub.skip(); });
        button("Cuecard.Dock.Retake", 1, 1, [] { state().hub.retake(); });
        button("Cuecard.Dock.Done", 2, 0, [] { state().hub.markDone(); });
        button("Cuecard.Dock.Toggle", 2, 1, [] { state().hub.toggle(); });
        layout->addLayout(buttons);
        layout->addWidget(status_);
        layout->addWidget(pictures_);

        // Recording: folder, mode, start/stop/roll and what the recorder is doing.
        auto *recBox = new QGroupBox(obs_module_text("Cuecard.Dock.Recording"), body);
        auto *recLayout = new QVBoxLayout(recBox);
        auto *folderRow = new QHBoxLayout();
        folder_ = new QLineEdit(recBox);
        folder_->setPlaceholderText(obs_module_text("Cuecard.Dock.FolderDefault"));
        auto *browse = new QPushButton("…", recBox);
        connect(browse, &QPushButton::clicked, this, [this] {
            const QString dir = QFileDialog::getExistingDirectory(
                this, obs_module_text("Cuecard.Dock.Folder"), folder_->text());
            if (!dir.isEmpty()) {
                folder_->setText(dir);
            }
        });
        folderRow->addWidget(folder_, 1);
        folderRow->addWidget(browse);
        recLayout->addLayout(folderRow);
        mode_ = new QComboBox(recBox);
        mode_->addItem(obs_module_text("Cuecard.Dock.Continuous"), "continuous");
        mode_->addItem(obs_module_text("Cuecard.Dock.Standby"), "standby");
        mode_->addItem(obs_module_text("Cuecard.Dock.ObsMode"), "obs");
        recLayout->addWidget(mode_);
        auto *recButtons = new QHBoxLayout();
        startStop_ = new QPushButton(recBox);
        // Starting reads the folder (its manifest, its journal) and stopping waits for the last
        // file: both run on the plugin's task thread; OBS's UI thread only shows the result.
        connect(startStop_, &QPushButton::clicked, this, [this] {
            const bool stop = recordingStatus().recording;
            RecordingRequest r;
            r.folder = folder_->text().toStdString();
            r.mode = mode_->currentData().toString().toStdString();
            startStop_->setEnabled(false);
            recError_ = stop ? "stopping…" : "starting…";
            refresh();
            state().tasks.post([self = QPointer<CuecardDock>(this), stop, r] {
                const std::string error = guarded(
                    "dock recording", [&] { return stop ? stopRecording() : startRecording(r); });
                QMetaObject::invokeMethod(
                    qApp,
                    [self, error] {
                        if (CuecardDock *dock = self.data(); dock != nullptr) {
                            dock->showRecordingResult(error);
                        }
                    },
                    Qt::QueuedConnection);
            });
        });
        auto *rollButton = new QPushButton(obs_module_text("Cuecard.Dock.Roll"), recBox);
        connect(rollButton, &QPushButton::clicked, this, [this] {
            recError_ = guarded("dock roll", [] { return roll(); });
            refresh();
        });
        recButtons->addWidget(startStop_, 1);
        recButtons->addWidget(rollButton);
        recLayout->addLayout(recButtons);
        recStatus_ = new QLabel(recBox);
        recStatus_->setWordWrap(true);
        recStatus_->setTextFormat(Qt::PlainText);
        recLayout->addWidget(recStatus_);
        layout->addWidget(recBox);
        setWidget(body);
        auto *timer = new QTimer(this);
        connect(timer, &QTimer::timeout, this, [this] { refresh(); });
        timer->start(250);
        refresh();
    }

    /// On the UI thread, once a start or stop ran on the task thread.
    void showRecordingResult(const std::string &error) {
        recError_ = error;
        startStop_->setEnabled(true);
        refresh();
    }

  private:
    void refreshRecording() {
        const RecordingStatus r = recordingStatus();
        startStop_->setText(obs_module_text(r.recording ? "Cuecard.Dock.StopRecording"
                                                        : "Cuecard.Dock.StartRecording"));
        folder_->setEnabled(!r.recording);
        mode_->setEnabled(!r.recording);
        std::string text;
        if (r.recording) {
            text = std::string(r.standby ? "standby: press Roll to record this recipient"
                                         : "recording") +
                   " → " + r.folder;
        }
        const std::string error = !r.error.empty() ? r.error : recError_;
        if (!error.empty()) {
            text += (text.empty() ? "" : "\n") + error;
        }
        recStatus_->setText(q(text));
    }

    /// How far the queue's pictures are prepared, and the first problems (all in the tooltip
    /// and OBS's log); hidden for themes without pictures.
    void refreshPictures() {
        const PrepareProgress p = state().pictureBoard.combined();
        pictures_->setVisible(p.total > 0);
        if (p.total == 0) {
            return;
        }
        std::string all;
        for (const auto &line : p.problems) {
            all += (all.empty() ? "" : "\n") + line;
        }
        const std::string text = p.summary(3);
        pictures_->setText(q(text));
        pictures_->setToolTip(q(all));
    }

    void refresh() {
        refreshRecording();
        queue_->refresh();
        refreshPictures();
        const HubSnapshot s = state().hub.snapshot();
        // A source that cannot draw (a broken theme file): here, not only in its properties.
        std::string sourceErrors;
        for (const SourceReport &report : state().sources.all()) {
            if (!report.error.empty()) {
                sourceErrors += (sourceErrors.empty() ? "" : "\n") +
                                ("source '" + report.name + "': " + report.error);
            }
        }
        if (!s.loaded || !s.current) {
            current_->setText(obs_module_text("Cuecard.Dock.NoQueue"));
            detail_->clear();
            next_->clear();
            notes_->clear();
            progress_->setRange(0, 1);
            progress_->setValue(0);
            status_->setText(
                q(s.error + (s.error.empty() || sourceErrors.empty() ? "" : "\n") + sourceErrors));
            return;
        }
        const Recipient &r = *s.current;
        current_->setText(q("#" + std::to_string(s.index) + "  " + r.displayName()));
        std::string detail(r.get("title"));
        if (auto c = r.get("company"); !c.empty()) {
            detail += (detail.empty() ? "" : " · ") + std::string(c);
        }
        detail += std::string(detail.empty() ? "" : "  ") + "[" + stateName(s.state) + "]";
        detail_->setText(q(detail));
        const QString notes = q(std::string(r.get("notes")));
        if (notes_->toPlainText() != notes) {
            notes_->setPlainText(notes);
        }
        next_->setText(q(std::string(obs_module_text("Cuecard.Dock.Next")) + ": " +
                         (s.next ? s.next->displayName() : "—")));
        progress_->setRange(0, std::max(1, s.counts.total));
        progress_->setValue(s.counts.recorded + s.counts.skipped);
        progress_->setFormat(q(std::to_string(s.counts.recorded) + " recorded, " +
                               std::to_string(s.counts.skipped) + " skipped of " +
                               std::to_string(s.counts.total)));
        std::string status = s.error.empty() ? s.notice : s.error;
        status += (status.empty() || sourceErrors.empty() ? "" : "\n") + sourceErrors;
        if (!s.visible) {
            status = "overlay hidden · " + status;
        }
        status_->setText(q(status));
    }

    QLabel *current_;
    QLabel *detail_;
    QLabel *next_;
    QTextEdit *notes_;
    QProgressBar *progress_;
    QLabel *status_;
    QLabel *pictures_;
    QueueListWidget *queue_ = nullptr;
    QLineEdit *folder_ = nullptr;
    QComboBox *mode_ = nullptr;
    QPushButton *startStop_ = nullptr;
    QLabel *recStatus_ = nullptr;
    std::string recError_;
};

} // namespace

void addDock() {
    auto *main = static_cast<QMainWindow *>(obs_frontend_get_main_window());
    if (main == nullptr) {
        return;
    }
    obs_frontend_push_ui_translation(obs_module_get_string);
    auto *dock = new CuecardDock(main);
    obs_frontend_add_dock(dock);
    obs_frontend_pop_ui_translation();
}

} // namespace cuecard::obs
