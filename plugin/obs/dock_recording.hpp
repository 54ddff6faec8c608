// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// The dock's recording parts: the REC line the dock puts at its top (whose file is being
// written, for how long, and a warning when OBS loses frames), and the recording box (folder,
// mode, start/stop, roll, what the recorder is doing, the email assets' link and progress, and
// "Publish and draft…" for the finished files with its progress).
// Start and stop go through postStart/postStop like the hotkeys and requests: the UI thread only
// shows what the task thread is doing.

#include "obs/recording.hpp"

#include <QGroupBox>

#include <memory>
#include <optional>
#include <string>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace cuecard {
struct Image;
}

namespace cuecard::obs {

class PreviewView;

class RecordingPanel : public QGroupBox {
  public:
    /// The REC line and the warning are made here with `parent` (the dock's body), for the dock
    /// to place at its top.
    explicit RecordingPanel(QWidget *parent);

    QLabel *recLine() const { return recLine_; }
    QLabel *framesWarning() const { return frames_; }

    /// Reads the recorder's status and shows it (the UI thread, four times a second); returns
    /// the id of the recipient whose file is being written ("" when none).
    std::string refresh();

  private:
    void refreshRecLine(const RecordingStatus &r);
    void startOrStop();
    /// "Publish and draft…": the profile in a dialog, then the job on its own thread.
    void publishDialog();

    QLabel *recLine_;
    QLabel *frames_;
    std::optional<bool> recLineLive_; ///< the colour the line has now (unset: none yet)
    QLineEdit *folder_;
    QComboBox *mode_;
    QPushButton *startStop_;
    QLabel *recStatus_;
    QLineEdit *videoUrl_;
    QLabel *assets_;
    PreviewView *poster_;
    QPushButton *publish_;
    QLabel *published_;
    std::string publishError_; ///< what the last "Publish" answered at once
    std::shared_ptr<const Image> posterShown_;
    std::string recError_; ///< what the last button press answered at once
};

} // namespace cuecard::obs
