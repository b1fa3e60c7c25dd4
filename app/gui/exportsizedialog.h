// SPDX-License-Identifier: GPL-3.0-or-later
// ExportSizeDialog: asks for the pixel size (and, for raster images, the scale factor for
// high-DPI output) of an exported view, a GIF or a PNG series.
#pragma once

#include <QDialog>
#include <QSize>

class QDoubleSpinBox;
class QSpinBox;

class ExportSizeDialog : public QDialog {
    Q_OBJECT
public:
    /// initial: the suggested size in logical pixels; withScale: offer the scale factor.
    ExportSizeDialog(QSize initial, bool withScale, QWidget *parent = nullptr);
    /// Logical size in pixels (the image is imageSize() * scale() device pixels).
    QSize imageSize() const;
    /// Device pixels per logical pixel, 1..4 (1 when not offered).
    double scale() const;

private:
    QSpinBox *m_width = nullptr;
    QSpinBox *m_height = nullptr;
    QDoubleSpinBox *m_scale = nullptr;
};
