// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// A picture in the dock: an overlay's preview (premultiplied RGBA, mostly transparent) over a
// dark backdrop, or a line of text when there is none. Only the part of the canvas where
// something is drawn is shown, as wide as the dock allows: a lower third's band, large enough
// to read the name, not a 1920×1080 canvas shrunk to 200 px. Qt and the core only (tested on
// Qt's offscreen platform).

#include "core/util/image.hpp"

#include <QImage>
#include <QString>
#include <QWidget>

namespace cuecard::obs {

class PreviewView : public QWidget {
  public:
    explicit PreviewView(QWidget *parent = nullptr);

    /// Shows `image` cropped to what is drawn in it (with a small margin).
    void setImage(const Image &image);
    /// Shows a line of text instead of a picture.
    void setText(const QString &text);
    /// What is shown now: the cropped picture (null when text is shown) and the text.
    const QImage &shownImage() const { return image_; }
    const QString &shownText() const { return text_; }

    bool hasHeightForWidth() const override { return true; }
    /// The picture's own aspect, between a thin band and 16:9; a text line's height for text.
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;

  protected:
    void paintEvent(QPaintEvent *) override;

  private:
    QImage image_;
    QString text_;
};

} // namespace cuecard::obs
