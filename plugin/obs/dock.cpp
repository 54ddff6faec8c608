// SPDX-License-Identifier: GPL-2.0-or-later
// The Cuecard dock: the queue and theme every Cuecard source uses (open and switch), who is on
// now and next with a small preview of each one's overlay, the notes field for the rep's eyes
// only (never in the output), progress, the whole queue with the problems found before
// recording, and buttons for the actions. It reads the shared hub, the pre-flight and the
// previews four times a second (shared pointers and copies: nothing here waits on a disk or a
// renderer); the buttons call the same hub methods as the hotkeys.
//
// Over 400 lines: the widget tree of one dock and its refresh, in Qt's own style; the recording
// box (dock_recording), the queue list (queue_list_widget) and the previews (preview_view) are
// files of their own.

#include "obs/dock.hpp"

#include "obs/dock_recording.hpp"
#include "obs/log.hpp"
#include "obs/overlay_sources.hpp"
#include "obs/plugin_state.hpp"
#include "obs/preview_view.hpp"
#include "obs/queue_list_widget.hpp"
#include "obs/recording.hpp"
#include "obs/user_config.hpp"

#include "core/picture/address_policy.hpp"
#include "core/util/version.hpp"

#include <obs-frontend-api.h>
#include <obs-module.h>
#include <util/config-file.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QImage>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QPainter>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QTextEdit>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace cuecard::obs {
namespace {

/// The theme picker's line for "these sources use different themes" (not a theme).
constexpr const char *kSeveralThemes = "\x01several";

QString q(const std::string &s) {
    return QString::fromStdString(s);
}

/// The dock's content. OBS 30 and later wrap it in a dock of their own
/// (obs_frontend_add_dock_by_id); on OBS 29 addDock() puts it in a QDockWidget.
class CuecardDock : public QWidget {
  public:
    explicit CuecardDock(QWidget *parent) : QWidget(parent) {
        setObjectName("CuecardDockPanel");
        // Everything scrolls when the dock is shorter than its content (a laptop screen): the
        // widgets keep their size instead of being drawn over each other.
        auto *outer = new QVBoxLayout(this);
        outer->setContentsMargins(0, 0, 0, 0);
        auto *scroll = new QScrollArea(this);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        auto *body = new QWidget(scroll);
        auto *layout = new QVBoxLayout(body);
        scroll->setWidget(body);
        outer->addWidget(scroll);

        // While Cuecard records: the REC line at the very top (the recording box is at the end).
        recording_ = new RecordingPanel(body);
        layout->addWidget(recording_->recLine());
        layout->addWidget(recording_->framesWarning());

        // The queue and the theme of every Cuecard source: open and switch here.
        auto *sourceRow = new QHBoxLayout();
        queuePath_ = new QLabel(body);
        queuePath_->setTextFormat(Qt::PlainText);
        queuePath_->setMinimumWidth(40);
        auto *open = new QPushButton(obs_module_text("Cuecard.Dock.OpenQueue"), body);
        connect(open, &QPushButton::clicked, this,
                [this] { guarded("dock", [&] { openQueue(); }); });
        // Which source the theme picker shows and changes: shown when there are several.
        target_ = new QComboBox(body);
        target_->setToolTip(obs_module_text("Cuecard.Dock.ThemeTargetHelp"));
        target_->setVisible(false);
        connect(target_, QOverload<int>::of(&QComboBox::activated), this, [this](int) {
            themeShown_.clear();
            refreshSource();
        });
        theme_ = new QComboBox(body);
        theme_->setToolTip(obs_module_text("Cuecard.Dock.ThemeHelp"));
        connect(theme_, QOverload<int>::of(&QComboBox::activated), this,
                [this](int index) { guarded("dock", [&] { chooseTheme(index); }); });
        auto *campaign = new QPushButton(obs_module_text("Cuecard.Dock.OpenCampaign"), body);
        campaign->setToolTip(obs_module_text("Cuecard.Dock.CampaignHelp"));
        connect(campaign, &QPushButton::clicked, this,
                [this] { guarded("dock", [&] { openCampaign(); }); });
        sourceRow->addWidget(queuePath_, 1);
        sourceRow->addWidget(open);
        sourceRow->addWidget(campaign);
        sourceRow->addWidget(target_);
        sourceRow->addWidget(theme_);
        layout->addLayout(sourceRow);
        // A team campaign: the team's progress, who else records, what is wrong.
        team_ = new QLabel(body);
        team_->setWordWrap(true);
        team_->setTextFormat(Qt::PlainText);
        team_->setVisible(false);
        layout->addWidget(team_);

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
        // What the current and the next recipient's overlay look like (drawn by the source's
        // worker when it is idle): one under the other, each the dock's whole width and cut to
        // what the theme draws, so the name reads at a glance.
        // (The current one sits under their name, the next one under "Next: …".)
        for (int i = 0; i < 2; ++i) {
            previewImage_[i] = new PreviewView(body);
            previewImage_[i]->setMaximumHeight(76); // the queue below needs the height more
            if (i == 1) {
                layout->addWidget(next_);
            }
            layout->addWidget(previewImage_[i]);
        }
        // A few lines: the queue below gets the height.
        notes_->setMaximumHeight(notes_->fontMetrics().lineSpacing() * 3 + 12);
        // Which columns reach the video and which stay here (from the pre-flight, per theme).
        columns_ = new QLabel(body);
        columns_->setWordWrap(true);
        columns_->setTextFormat(Qt::PlainText);
        columns_->setToolTip(obs_module_text("Cuecard.Dock.ColumnsHelp"));
        columns_->setVisible(false);
        layout->addWidget(columns_);
        auto *notesTitle = new QLabel(obs_module_text("Cuecard.Dock.NotesTitle"), body);
        notesTitle->setTextFormat(Qt::PlainText);
        layout->addWidget(notesTitle);
        layout->addWidget(notes_);
        layout->addWidget(progress_);
        // The whole queue: search, jump (Enter or a double-click).
        QueueListTexts texts;
        texts.search = obs_module_text("Cuecard.Dock.Search");
        texts.onlyProblems = obs_module_text("Cuecard.Dock.OnlyProblems");
        texts.recording = QString("● ") + obs_module_text("Cuecard.Dock.RowRecording");
        queue_ = new QueueListWidget(state().hub, body, texts);
        // Each row gets what the pre-flight and the picture prefetcher found for its recipient.
        queue_->setDecorate([this](std::vector<QueueListRow> &rows) {
            for (QueueListRow &row : rows) {
                row.recording = !onAirId_.empty() && row.id == onAirId_;
            }
            std::shared_ptr<const PreflightResults> checks;
            if (state().preflight) {
                checks = state().preflight->results();
            }
            const PrepareProgress pictures = state().pictureBoard.combined();
            attachChecks(rows, checks.get(), &pictures.notesById);
        });
        layout->addWidget(queue_, 2);
        checks_ = new QLabel(body);
        checks_->setWordWrap(true);
        checks_->setTextFormat(Qt::PlainText);
        layout->addWidget(checks_);
        // Rows the queue's loading skipped or changed (not in the list above: a skipped row has
        // no row), in cuecard check's words; all of them in the tooltip.
        loadProblems_ = new QLabel(body);
        loadProblems_->setWordWrap(true);
        loadProblems_->setTextFormat(Qt::PlainText);
        loadProblems_->setVisible(false);
        layout->addWidget(loadProblems_);
        auto *buttons = new QGridLayout();
        const auto button = [&](const char *label, int row, int col, auto action) {
            auto *b = new QPushButton(obs_module_text(label), body);
            connect(b, &QPushButton::clicked, this, [action] { guarded("dock", action); });
            buttons->addWidget(b, row, col);
        };
        button("Cuecard.Dock.Previous", 0, 0, [] { state().hub.previous(); });
        button("Cuecard.Dock.NextButton", 0, 1, [] { state().hub.next(); });
        button("Cuecard.Dock.Toggle", 0, 2, [] { state().hub.toggle(); });
        button("Cuecard.Dock.Skip", 1, 0, [] { state().hub.skip(); });
        button("Cuecard.Dock.Retake", 1, 1, [] { state().hub.retake(); });
        button("Cuecard.Dock.Done", 1, 2, [] { state().hub.markDone(); });
        layout->addLayout(buttons);
        layout->addWidget(status_);
        layout->addWidget(pictures_);
        // Pictures and captures from the rep's own network: off unless the rep turns it on
        // (an intranet's logos); kept in OBS's settings.
        privateHosts_ = new QCheckBox(obs_module_text("Cuecard.Dock.PrivateHosts"), body);
        privateHosts_->setToolTip(obs_module_text("Cuecard.Dock.PrivateHostsHelp"));
        privateHosts_->setChecked(privateHostsAllowed());
        privateHosts_->setVisible(false); // refreshPictures shows it where pictures are drawn
        connect(privateHosts_, &QCheckBox::toggled, this, [](bool on) {
            guarded("dock private hosts", [on] {
                setPrivateHostsAllowed(on);
                config_set_bool(userConfig(), "Cuecard", "AllowPrivateHosts", on);
                CUECARD_LOG(LOG_INFO, "pictures from the rep's own network: %s",
                            on ? "on (the dock's setting)" : "off");
                reloadOverlaySources();
            });
        });
        layout->addWidget(privateHosts_);

        // Recording: folder, mode, start/stop/roll and what the recorder is doing.
        layout->addWidget(recording_);
        // Which Cuecard this is (a team lead asks; a bug report needs it).
        auto *about = new QLabel(
            q(std::string(obs_module_text("Cuecard.Dock.About")) + " " + versionLine()), body);
        about->setTextFormat(Qt::PlainText);
        about->setTextInteractionFlags(Qt::TextSelectableByMouse);
        about->setEnabled(false); // greyed: information, not a control
        layout->addWidget(about);
        auto *timer = new QTimer(this);
        connect(timer, &QTimer::timeout, this, [this] { refresh(); });
        timer->start(250);
        refresh();
    }

  private:
    /// A queue file for every Cuecard source; with none yet, the hub opens it so the list and
    /// the pre-flight show it (the status line says to add a source).
    void openQueue() {
        const QString start = q(state().hub.snapshot().queuePath);
        const QString file = QFileDialog::getOpenFileName(
            this, obs_module_text("Cuecard.Queue"), start, obs_module_text("Cuecard.QueueFilter"));
        if (file.isEmpty()) {
            return;
        }
        if (openQueueEverywhere(file.toStdString()) == 0) {
            sourceNotice_ = obs_module_text("Cuecard.Dock.NoSource");
        } else {
            sourceNotice_.clear();
        }
        refresh();
    }

    /// A team campaign (postgresql://…?campaign=NAME) for every Cuecard source.
    void openCampaign() {
        const std::string now = state().hub.snapshot().queuePath;
        std::string notFile;
        const bool wasCampaign = parseTeamQueue(now, notFile).has_value();
        bool ok = false;
        const QString uri = QInputDialog::getText(
            this, obs_module_text("Cuecard.Dock.OpenCampaign"),
            obs_module_text("Cuecard.Dock.CampaignHelp"), QLineEdit::Normal,
            wasCampaign ? q(now) : QString("postgresql://host/database?campaign="), &ok);
        if (!ok || uri.trimmed().isEmpty()) {
            return;
        }
        if (openQueueEverywhere(uri.trimmed().toStdString()) == 0) {
            sourceNotice_ = obs_module_text("Cuecard.Dock.NoSource");
        } else {
            sourceNotice_.clear();
        }
        refresh();
    }

    void refreshTeam() {
        const auto view = state().campaigns.view();
        team_->setVisible(view.has_value());
        if (!view) {
            return;
        }
        std::string text;
        for (const std::string &line : describeTeam(*view)) {
            text += (text.empty() ? "" : "\n") + line;
        }
        if (team_->text() != q(text)) {
            team_->setText(q(text));
        }
    }

    /// A built-in theme by name, or "other file…" for the rep's own.
    void chooseTheme(int index) {
        std::string theme = theme_->itemData(index).toString().toStdString();
        if (theme == kSeveralThemes) {
            return; // the line that says the sources differ: nothing to apply
        }
        if (theme.empty()) {
            const QString picked =
                QFileDialog::getOpenFileName(this, obs_module_text("Cuecard.ThemeFile"), QString(),
                                             obs_module_text("Cuecard.ThemeFilter"));
            if (picked.isEmpty()) {
                themeShown_.clear(); // back to what the sources use
                refreshSource();
                return;
            }
            theme = picked.toStdString();
        }
        if (setThemeFor(target_->currentData().toString().toStdString(), theme) == 0) {
            sourceNotice_ = obs_module_text("Cuecard.Dock.NoSource");
        } else {
            sourceNotice_.clear();
        }
        themeShown_.clear();
        refresh();
    }

    /// The queue's file and the sources' theme (the list: built-in themes, the one in use when it
    /// is a file, "other file…").
    void refreshSource() {
        const HubSnapshot s = state().hub.snapshot();
        std::string notFile;
        const auto team = parseTeamQueue(s.queuePath, notFile);
        const std::string path = s.queuePath.empty()
                                     ? std::string(obs_module_text("Cuecard.Dock.NoQueueFile"))
                                 : team ? "campaign: " + team->campaign
                                        : std::filesystem::path(s.queuePath).filename().string();
        queuePath_->setText(q(path));
        queuePath_->setToolTip(q(s.queuePath));
        const std::vector<SourceTheme> sources = overlayThemes();
        if (sources != sourcesShown_) {
            // One entry per source, and "all" first, when there are several.
            sourcesShown_ = sources;
            const QSignalBlocker block(target_);
            const QString was = target_->currentData().toString();
            target_->clear();
            target_->addItem(obs_module_text("Cuecard.Dock.AllSources"), QString());
            for (const auto &source : sources) {
                target_->addItem(q(source.source), q(source.source));
            }
            target_->setCurrentIndex(std::max(0, target_->findData(was)));
            target_->setVisible(sources.size() > 1);
            themeShown_.clear();
        }
        const std::string target = target_->currentData().toString().toStdString();
        std::vector<std::string> used; // the themes of the sources the picker is for
        for (const auto &source : sources) {
            if ((target.empty() || source.source == target) &&
                std::find(used.begin(), used.end(), source.theme) == used.end()) {
                used.push_back(source.theme);
            }
        }
        const auto shortName = [](const std::string &name) {
            return name.find('/') == std::string::npos
                       ? name
                       : std::filesystem::path(name).filename().string();
        };
        const std::vector<std::string> builtins = state().builtinThemes(); // from the task thread
        std::string key = target + "\n" + std::to_string(builtins.size()) + "\n";
        for (const auto &t : used) {
            key += t + "\n";
        }
        if (key == themeShown_ && theme_->count() > 0) {
            return;
        }
        themeShown_ = key;
        const QSignalBlocker block(theme_);
        theme_->clear();
        std::vector<std::string> names = builtins;
        for (const auto &t : used) {
            if (std::find(names.begin(), names.end(), t) == names.end()) {
                names.push_back(t); // a file of the rep's own
            }
        }
        if (used.size() > 1) {
            // The sources differ: say so instead of showing one of them as if it were all.
            std::string several = obs_module_text("Cuecard.Dock.SeveralThemes");
            for (std::size_t i = 0; i < used.size(); ++i) {
                several += (i == 0 ? " " : ", ") + shortName(used[i]);
            }
            theme_->addItem(q(several), q(kSeveralThemes));
        }
        for (const auto &name : names) {
            theme_->addItem(q(shortName(name)), q(name));
        }
        theme_->addItem(obs_module_text("Cuecard.Dock.OtherTheme"), QString());
        const std::string theme = used.size() == 1 ? used.front() : std::string(kSeveralThemes);
        theme_->setCurrentIndex(std::max(0, theme_->findData(q(theme))));
        theme_->setEnabled(!used.empty());
    }

    /// The current and next previews, when they are of the recipients the hub has there now
    /// (a preview still being drawn for a previous switch is not shown).
    void refreshPreviews(const HubSnapshot &s) {
        const PreviewBoard::Pair pair = state().previews.latest();
        const bool any = !state().sources.all().empty();
        const std::shared_ptr<const OverlayPreview> latest[2] = {pair.current, pair.next};
        const std::optional<Recipient> *who[2] = {&s.current, &s.next};
        for (int i = 0; i < 2; ++i) {
            previewImage_[i]->setVisible(any);
            const bool someone = who[i]->has_value();
            std::shared_ptr<const OverlayPreview> use;
            if (someone && PreviewBoard::Pair::fresh(latest[i], (*who[i])->id, pair)) {
                use = latest[i];
            }
            if (previewBuilt_[i] && use == previewShown_[i] && someone == previewSomeone_[i]) {
                continue; // nothing new: keep the pixmap
            }
            previewBuilt_[i] = true;
            previewShown_[i] = use;
            previewSomeone_[i] = someone;
            PreviewView *view = previewImage_[i];
            if (!use || !use->error.empty()) {
                // A preview of someone else, or drawn with the theme before: never shown as if
                // it were this one.
                view->setText(q(use       ? use->error
                                : someone ? obs_module_text("Cuecard.Dock.PreviewDrawing")
                                          : "—"));
                view->setToolTip(q(use ? use->error : ""));
            } else {
                view->setImage(use->image);
                view->setToolTip(q(use->name));
            }
        }
    }

    /// Starts the pre-flight on a new queue (cheap when nothing changed) and says how far it is.
    void refreshChecks() {
        SessionHub &hub = state().hub;
        if (!state().preflight) {
            checks_->clear();
            return;
        }
        state().preflight->queueChanged(
            hub.frameState().queueVersion, [&hub]() -> std::optional<PreflightRunner::QueueData> {
                HubSnapshot now = hub.snapshot();
                if (!now.loaded) {
                    return std::nullopt;
                }
                return PreflightRunner::QueueData{std::move(now.columns), hub.recipients()};
            });
        const auto results = state().preflight->results();
        std::string text;
        if (!state().preflight->error().empty()) {
            text = state().preflight->error();
        } else if (results && results->running()) {
            text = std::string(obs_module_text("Cuecard.Dock.Checking")) + " " +
                   std::to_string(results->checked) + " / " + std::to_string(results->total);
        } else if (const int problems = queue_->problemRows(); problems > 0) {
            text = std::to_string(problems) + " " +
                   obs_module_text(problems == 1 ? "Cuecard.Dock.ProblemRow"
                                                 : "Cuecard.Dock.ProblemRows");
        }
        checks_->setText(q(text));
        checks_->setVisible(!text.empty());
        std::string columns;
        for (const auto &line : results ? results->columnRoles : std::vector<std::string>{}) {
            columns += (columns.empty() ? "" : "\n") + line;
        }
        columns_->setText(q(columns));
        columns_->setVisible(!columns.empty());
    }

    /// How far the queue's pictures are prepared, and the first problems (all in the tooltip
    /// and OBS's log); hidden for themes without pictures.
    /// The queue's load problems: the first three, the count of the rest; rebuilt only when
    /// another load brought other problems.
    void refreshLoadProblems(const HubSnapshot &s) {
        if (s.queueProblems == shownProblems_) {
            return;
        }
        shownProblems_ = s.queueProblems;
        if (!s.queueProblems || s.queueProblems->lines.empty()) {
            loadProblems_->clear();
            loadProblems_->setVisible(false);
            return;
        }
        const auto &lines = s.queueProblems->lines;
        std::string text = obs_module_text("Cuecard.Dock.LoadProblems");
        std::string all;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i < 3) {
                text += "\n" + lines[i];
            }
            all += (all.empty() ? "" : "\n") + lines[i];
        }
        if (lines.size() > 3) {
            text += "\n… " + std::to_string(lines.size() - 3) + " " +
                    obs_module_text("Cuecard.Dock.LoadProblemsMore");
        }
        loadProblems_->setText(q(text));
        loadProblems_->setToolTip(q(all));
        loadProblems_->setVisible(true);
    }

    void refreshPictures() {
        const PrepareProgress p = state().pictureBoard.combined();
        pictures_->setVisible(p.total > 0);
        // The setting matters where a theme draws pictures (or while it is on: to turn it off).
        privateHosts_->setVisible(p.total > 0 || privateHostsAllowed());
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
        refreshSource();
        refreshTeam();
        onAirId_ = recording_->refresh();
        queue_->refresh();
        refreshChecks();
        refreshPictures();
        const HubSnapshot s = state().hub.snapshot();
        refreshPreviews(s);
        refreshLoadProblems(s);
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
            std::string status = s.error;
            for (const std::string &line : {sourceErrors, sourceNotice_}) {
                status += (status.empty() || line.empty() ? "" : "\n") + line;
            }
            status_->setText(q(status));
            return;
        }
        const Recipient &r = *s.current;
        current_->setText(q("#" + std::to_string(s.index) + "  " + r.displayName()));
        std::string detail(r.get("title"));
        if (auto c = r.get("company"); !c.empty()) {
            detail += (detail.empty() ? "" : " · ") + std::string(c);
        }
        const bool onAir = !onAirId_.empty() && onAirId_ == r.id;
        detail += std::string(detail.empty() ? "" : "  ") + "[" +
                  (onAir ? std::string(obs_module_text("Cuecard.Dock.RowRecording"))
                         : std::string(stateName(s.state))) +
                  "]";
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
        for (const std::string &line : {sourceErrors, sourceNotice_}) {
            status += (status.empty() || line.empty() ? "" : "\n") + line;
        }
        if (!s.visible) {
            status = "overlay hidden · " + status;
        }
        status_->setText(q(status));
    }

    RecordingPanel *recording_ = nullptr;
    std::string onAirId_; ///< whose file is being written (their row says so)
    QLabel *current_;
    QLabel *detail_;
    QLabel *next_;
    QTextEdit *notes_;
    QLabel *columns_;
    QProgressBar *progress_;
    QLabel *status_;
    QLabel *pictures_;
    QCheckBox *privateHosts_;
    QLabel *loadProblems_;
    std::shared_ptr<const QueueProblems> shownProblems_;
    QueueListWidget *queue_ = nullptr;
    QLabel *queuePath_ = nullptr;
    QLabel *team_ = nullptr;
    QComboBox *target_ = nullptr;
    QComboBox *theme_ = nullptr;
    std::vector<SourceTheme> sourcesShown_;
    std::string themeShown_;
    std::string sourceNotice_;
    QLabel *checks_ = nullptr;
    PreviewView *previewImage_[2] = {};
    std::shared_ptr<const OverlayPreview> previewShown_[2];
    bool previewSomeone_[2] = {};
    bool previewBuilt_[2] = {};
};

} // namespace

namespace {
QPointer<CuecardDock> theDock;
} // namespace

void addDock() {
    auto *main = static_cast<QMainWindow *>(obs_frontend_get_main_window());
    if (main == nullptr) {
        return;
    }
    obs_frontend_push_ui_translation(obs_module_get_string);
    // The rep's own setting from the last time (off until they turn it on).
    setPrivateHostsAllowed(config_get_bool(userConfig(), "Cuecard", "AllowPrivateHosts"));
#if LIBOBS_API_MAJOR_VER >= 30
    // OBS makes the dock (its title, the Docks menu entry, its place saved by the id).
    auto *panel = new CuecardDock(main);
    if (!obs_frontend_add_dock_by_id("cuecard", obs_module_text("Cuecard.Dock.Title"), panel)) {
        CUECARD_LOG(LOG_WARNING, "OBS did not add the Cuecard dock (a dock with the id "
                                 "\"cuecard\" exists already?)");
        delete panel;
        panel = nullptr;
    }
#else
    // OBS 29 has no dock ids: the plugin makes the QDockWidget (its object name keeps the
    // place OBS saves).
    auto *dock = new QDockWidget(main);
    dock->setObjectName("CuecardDock");
    dock->setWindowTitle(obs_module_text("Cuecard.Dock.Title"));
    auto *panel = new CuecardDock(dock);
    dock->setWidget(panel);
    obs_frontend_add_dock(dock);
#endif
    obs_frontend_pop_ui_translation();
    theDock = panel;
}

std::string showDock(const DockGeometry &geometry) {
    std::string error;
    const auto show = [&] {
        CuecardDock *panel = theDock.data();
        auto *dock =
            panel != nullptr ? qobject_cast<QDockWidget *>(panel->parentWidget()) : nullptr;
        if (dock == nullptr) {
            error = "the Cuecard dock is not there (OBS runs without its main window)";
            return;
        }
        dock->setFloating(true);
        if (geometry.width > 0 && geometry.height > 0) {
            dock->setGeometry(geometry.x, geometry.y, geometry.width, geometry.height);
        }
        dock->show();
        dock->raise();
        dock->activateWindow();
    };
    if (qApp == nullptr) {
        return "OBS runs without its user interface";
    }
    if (QThread::currentThread() == qApp->thread()) {
        show();
    } else {
        // Widgets live on the UI thread; the caller (obs-websocket's thread) waits for it.
        QMetaObject::invokeMethod(qApp, show, Qt::BlockingQueuedConnection);
    }
    return error;
}

} // namespace cuecard::obs
