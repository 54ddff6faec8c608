// SPDX-License-Identifier: GPL-2.0-or-later
#include "obs/dock_recording.hpp"

#include "obs/log.hpp"
#include "obs/plugin_state.hpp"
#include "obs/preview_view.hpp"
#include "obs/publishing.hpp"
#include "obs/user_config.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <cstdio>

namespace cuecard::obs {
namespace {

QString q(const std::string &s) {
    return QString::fromStdString(s);
}

} // namespace

RecordingPanel::RecordingPanel(QWidget *parent)
    : QGroupBox(obs_module_text("Cuecard.Dock.Recording"), parent), recLine_(new QLabel(parent)),
      frames_(new QLabel(parent)), folder_(new QLineEdit(this)), mode_(new QComboBox(this)),
      startStop_(new QPushButton(this)), recStatus_(new QLabel(this)),
      videoUrl_(new QLineEdit(this)), assets_(new QLabel(this)), poster_(new PreviewView(this)),
      publish_(new QPushButton(obs_module_text("Cuecard.Dock.Publish"), this)),
      published_(new QLabel(this)) {
    // While Cuecard records: a red line with whose file is being written and for how long, and
    // a warning under it when OBS loses frames.
    recLine_->setTextFormat(Qt::PlainText);
    recLine_->setWordWrap(true);
    recLine_->setObjectName("CuecardRecLine");
    recLine_->setVisible(false);
    QFont recFont = recLine_->font();
    recFont.setBold(true);
    recLine_->setFont(recFont);
    recLine_->setMargin(4);
    frames_->setTextFormat(Qt::PlainText);
    frames_->setWordWrap(true);
    frames_->setStyleSheet("QLabel { color: #F59E0B; font-weight: bold; }");
    frames_->setVisible(false);

    auto *layout = new QVBoxLayout(this);
    auto *folderRow = new QHBoxLayout();
    folder_->setPlaceholderText(obs_module_text("Cuecard.Dock.FolderDefault"));
    auto *browse = new QPushButton("…", this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, obs_module_text("Cuecard.Dock.Folder"), folder_->text());
        if (!dir.isEmpty()) {
            folder_->setText(dir);
        }
    });
    folderRow->addWidget(folder_, 1);
    folderRow->addWidget(browse);
    layout->addLayout(folderRow);
    mode_->addItem(obs_module_text("Cuecard.Dock.Continuous"), "continuous");
    mode_->addItem(obs_module_text("Cuecard.Dock.Standby"), "standby");
    mode_->addItem(obs_module_text("Cuecard.Dock.ObsMode"), "obs");
    mode_->setItemData(mode_->count() - 1, q(obsRecordingFeatures()), Qt::ToolTipRole);
    auto *buttons = new QHBoxLayout();
    buttons->addWidget(mode_, 1);
    connect(startStop_, &QPushButton::clicked, this,
            [this] { guarded("dock recording", [this] { startOrStop(); }); });
    auto *rollButton = new QPushButton(obs_module_text("Cuecard.Dock.Roll"), this);
    connect(rollButton, &QPushButton::clicked, this, [this] {
        recError_ = guarded("dock roll", [] { return roll(); });
        refresh();
    });
    buttons->addWidget(startStop_);
    buttons->addWidget(rollButton);
    layout->addLayout(buttons);
    recStatus_->setWordWrap(true);
    recStatus_->setTextFormat(Qt::PlainText);
    layout->addWidget(recStatus_);
    // The email assets: the link they use (kept in OBS's settings), how far they are, and the
    // last poster.
    auto *videoUrlLabel = new QLabel(obs_module_text("Cuecard.Dock.VideoUrlLabel"), this);
    videoUrlLabel->setWordWrap(true);
    videoUrlLabel->setTextFormat(Qt::PlainText);
    videoUrl_->setPlaceholderText("https://videos.example.com/{file}");
    videoUrl_->setToolTip(obs_module_text("Cuecard.Dock.VideoUrl"));
    videoUrl_->setText(config_get_string(userConfig(), "Cuecard", "VideoUrl"));
    videoUrlLabel->setBuddy(videoUrl_);
    layout->addWidget(videoUrlLabel);
    layout->addWidget(videoUrl_);
    auto *assetsRow = new QHBoxLayout();
    assets_->setWordWrap(true);
    assets_->setTextFormat(Qt::PlainText);
    poster_->setMaximumHeight(72);
    poster_->setVisible(false);
    assetsRow->addWidget(assets_, 1);
    assetsRow->addWidget(poster_);
    layout->addLayout(assetsRow);
    // The finished files to the rep's outbox: a page each, and a draft each.
    publish_->setToolTip(obs_module_text("Cuecard.Dock.PublishHelp"));
    connect(publish_, &QPushButton::clicked, this, [this] { publishDialog(); });
    layout->addWidget(publish_);
    published_->setWordWrap(true);
    published_->setTextFormat(Qt::PlainText);
    published_->setVisible(false);
    layout->addWidget(published_);
}

void RecordingPanel::publishDialog() {
    QDialog dialog(this);
    dialog.setWindowTitle(obs_module_text("Cuecard.Dock.Publish"));
    auto *form = new QFormLayout(&dialog);
    PublishProfile p = publishProfile();
    const auto field = [&](const char *label, const std::string &value, const char *placeholder) {
        auto *edit = new QLineEdit(q(value), &dialog);
        edit->setPlaceholderText(placeholder);
        form->addRow(obs_module_text(label), edit);
        return edit;
    };
    auto *to = field("Cuecard.Publish.To", p.to, "/srv/www/v  or  sftp://you@server/srv/www/v");
    auto *base = field("Cuecard.Publish.BaseUrl", p.page.baseUrl, "https://videos.example.com/v");
    auto *rep = field("Cuecard.Publish.Rep", p.page.repName, "Sam Rivera");
    auto *message = field("Cuecard.Publish.Message", p.page.message, "");
    auto *ctaText = field("Cuecard.Publish.CtaText", p.page.ctaText, "");
    auto *ctaUrl =
        field("Cuecard.Publish.CtaUrl", p.page.ctaUrl, "https://cal.example.com/you?email={email}");
    auto *drafts = new QCheckBox(obs_module_text("Cuecard.Publish.Drafts"), &dialog);
    drafts->setChecked(!p.imap.empty());
    form->addRow(drafts);
    auto *imap = field("Cuecard.Publish.Imap", p.imap, "imaps://you@mail.example.com");
    auto *from = field("Cuecard.Publish.From", p.draft.from, "Sam Rivera <sam@example.com>");
    auto *subject = field("Cuecard.Publish.Subject", p.draft.subject, "");
    auto *password = new QLineEdit(&dialog);
    password->setEchoMode(QLineEdit::Password);
    password->setPlaceholderText(obs_module_text("Cuecard.Publish.PasswordHint"));
    form->addRow(obs_module_text("Cuecard.Publish.Password"), password);
    for (QWidget *w : {static_cast<QWidget *>(imap), static_cast<QWidget *>(from),
                       static_cast<QWidget *>(subject), static_cast<QWidget *>(password)}) {
        w->setEnabled(drafts->isChecked());
        connect(drafts, &QCheckBox::toggled, w, &QWidget::setEnabled);
    }
    auto *folder = new QLabel(q(std::string(obs_module_text("Cuecard.Publish.Folder")) + " " +
                                (publishFolder().empty() ? "—" : publishFolder())),
                              &dialog);
    folder->setWordWrap(true);
    folder->setTextFormat(Qt::PlainText);
    form->addRow(folder);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(obs_module_text("Cuecard.Publish.Start"));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    const auto text = [](QLineEdit *e) { return e->text().trimmed().toStdString(); };
    p.to = text(to);
    p.page.baseUrl = text(base);
    p.page.repName = text(rep);
    p.page.message = text(message);
    p.page.ctaText = text(ctaText);
    p.page.ctaUrl = text(ctaUrl);
    p.imap = drafts->isChecked() ? text(imap) : std::string();
    p.draft.from = text(from);
    p.draft.subject = text(subject);
    // The password is for this run: it is never saved (the profile goes with the scene
    // collection).
    publishError_ = startPublishing(p, password->text().toStdString());
    refresh();
}

/// Start or stop, as the hotkeys and requests do: handed to the task thread (starting reads the
/// folder, stopping waits for the last file); the status shows "starting…" until it is done.
void RecordingPanel::startOrStop() {
    if (recordingStatus().recording) {
        recError_ = postStop();
    } else {
        RecordingRequest r;
        r.folder = folder_->text().toStdString();
        r.mode = mode_->currentData().toString().toStdString();
        r.videoUrl = videoUrl_->text().trimmed().toStdString();
        config_set_string(userConfig(), "Cuecard", "VideoUrl", r.videoUrl.c_str());
        recError_ = postStart(r);
    }
    refresh();
}

void RecordingPanel::refreshRecLine(const RecordingStatus &r) {
    std::string line;
    bool live = false;
    if (r.recording && r.onAir) {
        const int total = static_cast<int>(r.onAir->seconds);
        char clock[32];
        std::snprintf(clock, sizeof clock, "%d:%02d", total / 60, total % 60);
        line = std::string("● REC ") + clock + "   " + r.onAir->who;
        if (r.onAir->take > 1) {
            line += " · take " + std::to_string(r.onAir->take);
        }
        line += "\n" + std::string(obs_module_text(r.mode == "obs" ? "Cuecard.Dock.RecByObs"
                                                                   : "Cuecard.Dock.RecByCuecard"));
        live = true;
    } else if (r.recording) {
        line = obs_module_text(r.standby ? "Cuecard.Dock.RecStandby" : "Cuecard.Dock.RecWaiting");
    }
    recLine_->setVisible(!line.empty());
    if (recLine_->text() != q(line)) {
        recLine_->setText(q(line));
    }
    if (recLineLive_ != live) {
        recLineLive_ = live;
        recLine_->setStyleSheet(live ? "QLabel { background: #B91C1C; color: white; }"
                                     : "QLabel { background: #92400E; color: white; }");
    }
    frames_->setVisible(!r.frameWarning.empty());
    frames_->setText(q(r.frameWarning));
}

std::string RecordingPanel::refresh() {
    const RecordingStatus r = recordingStatus();
    refreshRecLine(r);
    startStop_->setText(obs_module_text(r.recording ? "Cuecard.Dock.StopRecording"
                                                    : "Cuecard.Dock.StartRecording"));
    startStop_->setEnabled(r.busy.empty());
    folder_->setEnabled(!r.recording && r.busy.empty());
    mode_->setEnabled(!r.recording && r.busy.empty());
    std::string text;
    if (!r.busy.empty()) {
        text = r.busy + "…";
    } else if (r.recording) {
        text =
            std::string(r.standby ? "standby: press Roll to record this recipient" : "recording") +
            " → " + r.folder;
    }
    const std::string error = !r.error.empty() ? r.error : recError_;
    if (!error.empty()) {
        text += (text.empty() ? "" : "\n") + error;
    }
    recStatus_->setText(q(text));
    recStatus_->setVisible(!text.empty());
    videoUrl_->setEnabled(!r.recording);
    const AssetProgress a = state().assets.progress();
    std::string assets = a.queued > 0 ? a.summary() : "";
    if (!a.errors.empty()) {
        assets += "\n" + a.errors.back();
    }
    assets_->setText(q(assets));
    assets_->setVisible(!assets.empty());
    const PublishJobStatus pub = publishingStatus();
    std::string publishText = publishingLine(pub);
    if (!publishError_.empty() && !pub.running) {
        publishText = publishError_ + (publishText.empty() ? "" : "\n" + publishText);
    }
    published_->setText(q(publishText));
    published_->setVisible(!publishText.empty());
    publish_->setEnabled(!pub.running);
    if (a.lastThumbnail && a.lastThumbnail != posterShown_) {
        posterShown_ = a.lastThumbnail;
        poster_->setImage(*posterShown_);
        poster_->setToolTip(q(a.lastPoster.string()));
        poster_->setVisible(true);
    }
    return r.recording && r.onAir ? r.onAir->id : std::string();
}

} // namespace cuecard::obs
