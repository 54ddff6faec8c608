// SPDX-License-Identifier: GPL-2.0-or-later
#include "obs/preview_view.hpp"

#include <QPainter>

#include <algorithm>

namespace cuecard::obs {

PreviewView::PreviewView(QWidget *parent) : QWidget(parent) {
    setMinimumSize(128, 40);
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void PreviewView::setImage(const Image &image) {
    text_.clear();
    if (image.width > 0 && image.height > 0) {
        const Image shown = cropToContent(image, std::max(2, image.width / 80));
        image_ = QImage(shown.pixels.data(), shown.width, shown.height, shown.width * 4,
                        QImage::Format_RGBA8888_Premultiplied)
                     .copy();
    } else {
        image_ = QImage();
    }
    updateGeometry();
    update();
}

void PreviewView::setText(const QString &text) {
    image_ = QImage();
    text_ = text;
    updateGeometry();
    update();
}

int PreviewView::heightForWidth(int width) const {
    const int text = fontMetrics().lineSpacing() * 2 + 8;
    if (image_.isNull()) {
        return text;
    }
    const int own = width * image_.height() / std::max(1, image_.width());
    return std::clamp(own, std::min(text, width * 9 / 16), width * 9 / 16);
}

QSize PreviewView::sizeHint() const {
    return {320, heightForWidth(320)};
}

void PreviewView::paintEvent(QPaintEvent *) {
    QPainter painter(this);
    const QRect area = rect();
    painter.fillRect(area, QColor(24, 26, 32));
    if (!image_.isNull()) {
        // As large as fits, keeping its shape, at the left.
        QSize size = image_.size();
        size.scale(area.size(), Qt::KeepAspectRatio);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.drawImage(QRect(area.topLeft(), size), image_);
    } else if (!text_.isEmpty()) {
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(area.adjusted(4, 4, -4, -4), Qt::AlignCenter | Qt::TextWordWrap, text_);
    }
}

} // namespace cuecard::obs
