// SPDX-License-Identifier: GPL-3.0-or-later
// ReplayExporter: an unshown HeatmapView laid out at the frame size renders each snapshot with
// QCustomPlot::toPixmap (scale > 1 draws the same layout with more pixels); PNG frames go
// through saveImagePng (atomic, widgets/imagefile.h), GIF frames through GifWriter as soon as they are rendered.
#include "widgets/replayexporter.h"

#include "widgets/gifwriter.h"
#include "widgets/imagefile.h"
#include "widgets/heatmapview.h"

#include <QCoreApplication>
#include <QDir>

#include <algorithm>
#include <cmath>

namespace attn {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("attn::ReplayExporter", text);
}

} // namespace

ReplayExporter::ReplayExporter() : m_view(std::make_unique<HeatmapView>())
{
    m_view->resize(m_frameSize);
}

ReplayExporter::~ReplayExporter() = default;

void ReplayExporter::setFrameSize(const QSize &size)
{
    m_frameSize = size.expandedTo(QSize(1, 1));
    m_view->resize(m_frameSize);
}

QSize ReplayExporter::frameSize() const
{
    return m_frameSize;
}

void ReplayExporter::setScale(double scale)
{
    m_scale = std::clamp(scale, 0.1, 16.0);
}

double ReplayExporter::scale() const
{
    return m_scale;
}

QSize ReplayExporter::pixelSize() const
{
    return {int(std::lround(m_scale * m_frameSize.width())),
            int(std::lround(m_scale * m_frameSize.height()))};
}

QSize ReplayExporter::fittedFrameSize(const EpochSnapshot &s, int width)
{
    m_view->setSnapshot(s);
    const int height = m_view->fittedHeight(width);
    return {width, height > 0 ? height : m_frameSize.height()};
}

void ReplayExporter::setColorMap(ColorMapKind kind)
{
    m_view->setColorMap(kind);
}

ColorMapKind ReplayExporter::colorMap() const
{
    return m_view->colorMapKind();
}

void ReplayExporter::setDark(bool dark)
{
    m_view->setDark(dark);
}

bool ReplayExporter::isDark() const
{
    return m_view->isDark();
}

void ReplayExporter::setShowInputs(bool show)
{
    m_view->setShowInputs(show);
}

bool ReplayExporter::showInputs() const
{
    return m_view->showInputs();
}

void ReplayExporter::setWeightScale(const WeightScale &scale)
{
    m_view->setWeightScale(scale);
}

WeightScale ReplayExporter::weightScale() const
{
    return m_view->weightScale();
}

void ReplayExporter::copyStyle(const HeatmapView &view)
{
    setColorMap(view.colorMapKind());
    setWeightScale(view.weightScale());
    setDark(view.isDark());
    setShowInputs(view.showInputs());
}

void ReplayExporter::setFrameDelay(int centiseconds)
{
    m_frameDelay = std::clamp(centiseconds, 0, 65535);
}

int ReplayExporter::frameDelay() const
{
    return m_frameDelay;
}

void ReplayExporter::setLastFrameDelay(int centiseconds)
{
    m_lastFrameDelay = std::clamp(centiseconds, 0, 65535);
}

int ReplayExporter::lastFrameDelay() const
{
    return m_lastFrameDelay;
}

void ReplayExporter::setProgressCallback(Progress progress)
{
    m_progress = std::move(progress);
}

QImage ReplayExporter::renderFrame(const EpochSnapshot &s)
{
    m_view->setSnapshot(s);
    QImage frame = m_view->toImage(m_frameSize.width(), m_frameSize.height(), m_scale);
    // toPixmap rounds the scaled size the same way; make sure every frame has pixelSize().
    if (frame.size() != pixelSize())
        frame = frame.scaled(pixelSize(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    return frame;
}

QList<QImage> ReplayExporter::renderFrames(const std::vector<EpochSnapshot> &history)
{
    QList<QImage> frames;
    frames.reserve(qsizetype(history.size()));
    for (const EpochSnapshot &s : history)
        frames.push_back(renderFrame(s));
    return frames;
}

bool ReplayExporter::writePngSeries(const std::vector<EpochSnapshot> &history, const QString &dir,
                                    QStringList *files)
{
    if (history.empty())
        return fail(tr("No epochs to export"));
    if (!QDir().mkpath(dir))
        return fail(tr("Cannot create the directory %1").arg(QDir::toNativeSeparators(dir)));
    const QDir target(dir);
    const int count = int(history.size());
    for (int i = 0; i < count; ++i) {
        const QString path = target.filePath(frameFileName(i + 1, count));
        if (QString error; !saveImagePng(renderFrame(history[std::size_t(i)]), path, &error))
            return fail(error);
        if (files)
            files->push_back(path);
        if (!reportProgress(i + 1, count))
            return fail(tr("Export cancelled after %1 of %2 frames").arg(i + 1).arg(count));
    }
    return true;
}

bool ReplayExporter::writeGif(const std::vector<EpochSnapshot> &history, const QString &path)
{
    if (history.empty())
        return fail(tr("No epochs to export"));
    GifWriter writer;
    if (!writer.open(path, pixelSize()))
        return fail(writer.errorString());
    const int count = int(history.size());
    for (int i = 0; i < count; ++i) {
        const int delay = i + 1 == count ? std::max(m_frameDelay, m_lastFrameDelay) : m_frameDelay;
        if (!writer.addFrame(renderFrame(history[std::size_t(i)]), delay))
            return fail(writer.errorString());
        if (!reportProgress(i + 1, count))
            return fail(tr("Export cancelled after %1 of %2 frames").arg(i + 1).arg(count));
    }
    if (!writer.close())
        return fail(writer.errorString());
    return true;
}

QString ReplayExporter::errorString() const
{
    return m_error;
}

QString ReplayExporter::frameFileName(int index, int count)
{
    const int digits = std::max(3, int(QString::number(std::max(count, 1)).size()));
    return QStringLiteral("frame_%1.png").arg(index, digits, 10, QLatin1Char('0'));
}

bool ReplayExporter::fail(const QString &message)
{
    m_error = message;
    return false;
}

bool ReplayExporter::reportProgress(int done, int total)
{
    return !m_progress || m_progress(done, total);
}

} // namespace attn
