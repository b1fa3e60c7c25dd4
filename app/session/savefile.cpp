// SPDX-License-Identifier: GPL-3.0-or-later
// saveFileAtomically / saveTextFile: QString and QByteArray to core/fileio's writer.
#include "app/session/savefile.h"

#include "core/fileio/atomicfile.h"

#include <QIODevice>

#include <string_view>

bool saveFileAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    try {
        attn::writeFileAtomically(path.toStdString(),
                                  std::string_view(bytes.constData(), std::size_t(bytes.size())));
    } catch (const attn::IoError &e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

bool saveTextFile(const QString &path, const std::function<void(QTextStream &)> &body,
                  QString *error)
{
    QByteArray bytes;
    {
        QTextStream out(&bytes, QIODevice::WriteOnly);
        out.setRealNumberPrecision(9);
        body(out);
    } // the stream flushes into bytes
    return saveFileAtomically(path, bytes, error);
}
