// SPDX-License-Identifier: GPL-3.0-or-later
// How the views write their exports: every PNG, PDF and GIF is rendered into memory first and
// then written with core/fileio's writeFileAtomically, so a full disk keeps the old file and the
// caller gets "PATH: cannot write the file: REASON" instead of a silently truncated image.
#pragma once

#include <QByteArray>
#include <QImage>
#include <QString>

class QCustomPlot;

namespace attn {

/// Writes bytes to path with attn::writeFileAtomically (temporary file in path's folder, every
/// write and the fsync checked, renamed over path). False on failure, with *error (if not null)
/// = "PATH: cannot write the file: REASON"; the old file at path is then untouched.
bool saveBytes(const QString &path, const QByteArray &bytes, QString *error);

/// image encoded as PNG in memory, then saveBytes. False and *error as there (or
/// "PATH: cannot encode the image as PNG" for a null image).
bool saveImagePng(const QImage &image, const QString &path, QString *error);

/// plot drawn into a one-page vector PDF in memory, as QCustomPlot::savePdf draws it: a page
/// of width x height points (0: the plot's current size), the plot's screen resolution,
/// cosmetic pens allowed, creator "Attention Studio" and the given title. Empty if the page
/// cannot be painted.
QByteArray plotPdfBytes(QCustomPlot *plot, int width, int height, const QString &title);

} // namespace attn
