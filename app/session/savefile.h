// SPDX-License-Identifier: GPL-3.0-or-later
// The Qt face of the one way the app writes a file (core/fileio/atomicfile.h): every session,
// CSV and image the app saves goes through saveFileAtomically, so a full disk keeps the old file
// and reports "PATH: cannot write the file: REASON".
#pragma once

#include <QByteArray>
#include <QString>
#include <QTextStream>

#include <functional>

/// Writes bytes to path with attn::writeFileAtomically: temporary file in path's folder, every
/// write and the fsync checked, renamed over path. False on failure with *error (if not null) =
/// "PATH: cannot write the file: REASON" (REASON from strerror); the old file is then untouched.
bool saveFileAtomically(const QString &path, const QByteArray &bytes, QString *error);

/// The text body(out) writes (UTF-8; reals with 9 significant digits), saved with
/// saveFileAtomically. False and *error as there.
bool saveTextFile(const QString &path, const std::function<void(QTextStream &)> &body,
                  QString *error);
