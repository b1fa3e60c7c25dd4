// SPDX-License-Identifier: GPL-3.0-or-later
// saveBytes, saveImagePng and plotPdfBytes: exports rendered in memory, written atomically.
#include "widgets/imagefile.h"

#include "core/fileio/atomicfile.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>

#include <qcustomplot.h>

#include <string_view>

namespace attn {

bool saveBytes(const QString &path, const QByteArray &bytes, QString *error)
{
    try {
        writeFileAtomically(path.toStdString(),
                            std::string_view(bytes.constData(), std::size_t(bytes.size())));
    } catch (const IoError &e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

bool saveImagePng(const QImage &image, const QString &path, QString *error)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (image.isNull() || !image.save(&buffer, "PNG")) {
        if (error)
            *error = QCoreApplication::translate("attn", "%1: cannot encode the image as PNG")
                         .arg(path);
        return false;
    }
    return saveBytes(path, bytes, error);
}

QByteArray plotPdfBytes(QCustomPlot *plot, int width, int height, const QString &title)
{
    if (width == 0 || height == 0) {
        width = plot->width();
        height = plot->height();
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setCreator(QStringLiteral("Attention Studio"));
        writer.setTitle(title);
        writer.setResolution(plot->logicalDpiX()); // QCustomPlot::savePdf: screen resolution
        writer.setPageLayout(QPageLayout(
            QPageSize(QSize(width, height), QPageSize::Point, QString(), QPageSize::ExactMatch),
            QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
        QCPPainter painter;
        if (!painter.begin(&writer))
            return {};
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNonCosmetic, false); // QCP::epAllowCosmetic
        painter.setWindow(QRect(0, 0, width, height));
        plot->toPainter(&painter, width, height);
        if (!painter.end())
            return {};
    }
    return bytes;
}

} // namespace attn
