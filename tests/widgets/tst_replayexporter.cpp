// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of ReplayExporter: one frame per snapshot at the asked pixel size (and scale), a
// numbered PNG series that decodes, and a GIF whose frame count equals the epochs, whose
// frames show each epoch's attention (a cell's colour follows the snapshot from uniform to
// one-hot), with the last frame held longer; errors for an empty history, a missing GIF
// directory and a cancelled export. Runs headless (QT_QPA_PLATFORM=offscreen).
#include "widgets/replayexporter.h"

#include "widgets/heatmapview.h"
#include "widgets/plottheme.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <gif_lib.h>

#include <algorithm>
#include <cmath>
#include <memory>

using attn::ColorMapKind;
using attn::EpochSnapshot;
using attn::Grid;
using attn::HeatmapView;
using attn::ReplayExporter;

namespace {

constexpr int kRows = 4;
constexpr int kCols = 8;

/// Epoch e of n: attention moves from uniform (1/T everywhere) to one-hot at column r + 2.
std::vector<EpochSnapshot> convergingRun(int n)
{
    std::vector<EpochSnapshot> history;
    for (int e = 1; e <= n; ++e) {
        const double t = n > 1 ? double(e - 1) / double(n - 1) : 1.0;
        EpochSnapshot s;
        s.epoch = e;
        s.totalEpochs = n;
        s.alignment = t;
        for (Grid *g : {&s.attention, &s.groundTruth, &s.probeInputs}) {
            g->rows = kRows;
            g->cols = kCols;
        }
        for (int r = 0; r < kRows; ++r)
            for (int c = 0; c < kCols; ++c) {
                const double truth = c == r + 2 ? 1.0 : 0.0;
                s.attention.values.push_back(float((1.0 - t) / kCols + t * truth));
                s.groundTruth.values.push_back(float(truth));
                s.probeInputs.values.push_back(c == r + 1 ? 0.0f : float(0.1 * (c + 1)));
            }
        history.push_back(s);
    }
    return history;
}

struct GifCloser {
    void operator()(GifFileType *gif) const { DGifCloseFile(gif, nullptr); }
};

QRgb gifPixel(GifFileType *gif, int i, QPoint p)
{
    const SavedImage &image = gif->SavedImages[i];
    const ColorMapObject *map = image.ImageDesc.ColorMap ? image.ImageDesc.ColorMap : gif->SColorMap;
    const GifColorType c = map->Colors[image.RasterBits[p.y() * image.ImageDesc.Width + p.x()]];
    return qRgb(c.Red, c.Green, c.Blue);
}

int colorDistance(QRgb a, QRgb b)
{
    return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) +
           std::abs(qBlue(a) - qBlue(b));
}

/// Pixel position of attention cell (row, col) in a frame of the exporter's layout size:
/// found with a HeatmapView laid out the same way.
QPoint attentionCell(const EpochSnapshot &s, QSize size, int row, int col)
{
    HeatmapView probe;
    probe.resize(size);
    probe.setSnapshot(s);
    probe.plot()->toPixmap(size.width(), size.height());
    QCPColorMap *map = probe.colorMap(0);
    return QPoint(int(std::lround(map->keyAxis()->coordToPixel(col))),
                  int(std::lround(map->valueAxis()->coordToPixel(row))));
}

} // namespace

class TestReplayExporter : public QObject {
    Q_OBJECT

private slots:
    void framesHaveThePixelSize();
    void pngSeries();
    void gifFramesShowConvergence();
    void errors();
    void styleIsCopied();
    void gifAndPngUseTheWindowScale_data();
    void gifAndPngUseTheWindowScale();
};

void TestReplayExporter::framesHaveThePixelSize()
{
    ReplayExporter exporter;
    exporter.setFrameSize(QSize(640, 300));
    const auto history = convergingRun(3);
    QList<QImage> frames = exporter.renderFrames(history);
    QCOMPARE(frames.size(), 3);
    for (const QImage &f : frames)
        QCOMPARE(f.size(), QSize(640, 300));
    exporter.setScale(1.5);
    QCOMPARE(exporter.pixelSize(), QSize(960, 450));
    QCOMPARE(exporter.renderFrame(history.front()).size(), QSize(960, 450));
    // A fitted frame size keeps the width and drops the empty bands.
    const QSize fitted = exporter.fittedFrameSize(history.front(), 640);
    QCOMPARE(fitted.width(), 640);
    QVERIFY2(fitted.height() > 100 && fitted.height() < 300, qPrintable(QString::number(fitted.height())));
    // Different epochs give different pictures.
    QVERIFY(frames[0] != frames[2]);
}

void TestReplayExporter::pngSeries()
{
    QCOMPARE(ReplayExporter::frameFileName(1, 30), QStringLiteral("frame_001.png"));
    QCOMPARE(ReplayExporter::frameFileName(12, 999), QStringLiteral("frame_012.png"));
    QCOMPARE(ReplayExporter::frameFileName(7, 1200), QStringLiteral("frame_0007.png"));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString out = dir.filePath(QStringLiteral("series/nested"));
    ReplayExporter exporter;
    exporter.setFrameSize(QSize(500, 240));
    exporter.setScale(2.0);
    QStringList files;
    const auto history = convergingRun(4);
    QVERIFY2(exporter.writePngSeries(history, out, &files), qPrintable(exporter.errorString()));
    QCOMPARE(files.size(), 4);
    QCOMPARE(QDir(out).entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name),
             QStringList({"frame_001.png", "frame_002.png", "frame_003.png", "frame_004.png"}));
    for (const QString &f : files) {
        QImage image;
        QVERIFY(image.load(f, "PNG"));
        QCOMPARE(image.size(), QSize(1000, 480));
    }
}

void TestReplayExporter::gifFramesShowConvergence()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("replay.gif"));
    const QSize size(720, 300);
    ReplayExporter exporter;
    exporter.setFrameSize(size);
    exporter.setFrameDelay(20);
    exporter.setLastFrameDelay(120);
    int progressCalls = 0;
    exporter.setProgressCallback([&](int done, int total) {
        ++progressCalls;
        return done <= total;
    });
    const int n = 5;
    const auto history = convergingRun(n);
    QVERIFY2(exporter.writeGif(history, path), qPrintable(exporter.errorString()));
    QCOMPARE(progressCalls, n);

    int error = 0;
    std::unique_ptr<GifFileType, GifCloser> gif(
        DGifOpenFileName(QFile::encodeName(path).constData(), &error));
    QVERIFY2(gif, GifErrorString(error));
    QCOMPARE(DGifSlurp(gif.get()), GIF_OK);
    QCOMPARE(gif->ImageCount, n); // one frame per epoch
    QCOMPARE(gif->SWidth, size.width());
    QCOMPARE(gif->SHeight, size.height());
    GraphicsControlBlock gcb;
    QCOMPARE(DGifSavedExtensionToGCB(gif.get(), 0, &gcb), GIF_OK);
    QCOMPARE(gcb.DelayTime, 20);
    QCOMPARE(DGifSavedExtensionToGCB(gif.get(), n - 1, &gcb), GIF_OK);
    QCOMPARE(gcb.DelayTime, 120);

    // The true cell of row 1 (column 3) goes from 1/T (dark) to 1 (yellow), an off cell
    // (column 6) from 1/T to 0; the GIF's pixels follow the colour map.
    HeatmapView reference;
    const QPoint on = attentionCell(history.front(), size, 1, 3);
    const QPoint off = attentionCell(history.front(), size, 1, 6);
    const double uniform = 1.0 / kCols;
    QVERIFY(colorDistance(gifPixel(gif.get(), 0, on), reference.weightColor(uniform).rgb()) <= 12);
    QVERIFY(colorDistance(gifPixel(gif.get(), 0, off), reference.weightColor(uniform).rgb()) <= 12);
    QVERIFY(colorDistance(gifPixel(gif.get(), n - 1, on), reference.weightColor(1.0).rgb()) <= 12);
    QVERIFY(colorDistance(gifPixel(gif.get(), n - 1, off), reference.weightColor(0.0).rgb()) <= 12);
    QVERIFY(colorDistance(gifPixel(gif.get(), 0, on), gifPixel(gif.get(), n - 1, on)) > 200);

    // Every frame is close to the rendered image it came from.
    const QList<QImage> frames = exporter.renderFrames(history);
    for (int k : {0, n / 2, n - 1}) {
        double total = 0.0;
        for (int y = 0; y < size.height(); y += 3)
            for (int x = 0; x < size.width(); x += 3)
                total += colorDistance(gifPixel(gif.get(), k, QPoint(x, y)), frames[k].pixel(x, y));
        const double mean = total / double((size.height() / 3) * (size.width() / 3));
        QVERIFY2(mean < 3.0, qPrintable(QString::number(mean)));
    }
}

void TestReplayExporter::errors()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ReplayExporter exporter;
    exporter.setFrameSize(QSize(300, 150));
    QVERIFY(!exporter.writeGif({}, dir.filePath(QStringLiteral("a.gif"))));
    QCOMPARE(exporter.errorString(), QStringLiteral("No epochs to export"));
    QVERIFY(!exporter.writePngSeries({}, dir.path()));
    QCOMPARE(exporter.errorString(), QStringLiteral("No epochs to export"));

    const QString missing = dir.filePath(QStringLiteral("missing/a.gif"));
    QVERIFY(!exporter.writeGif(convergingRun(2), missing));
    QVERIFY2(exporter.errorString().startsWith(QStringLiteral("Cannot create GIF file ") + missing),
             qPrintable(exporter.errorString()));

    // Cancelling after the first frame leaves no GIF behind.
    exporter.setProgressCallback([](int done, int) { return done < 1; });
    const QString cancelled = dir.filePath(QStringLiteral("cancelled.gif"));
    QVERIFY(!exporter.writeGif(convergingRun(3), cancelled));
    QCOMPARE(exporter.errorString(), QStringLiteral("Export cancelled after 1 of 3 frames"));
    QVERIFY(!QFile::exists(cancelled));
}

void TestReplayExporter::styleIsCopied()
{
    HeatmapView view;
    view.setColorMap(ColorMapKind::Cividis);
    view.setDark(true);
    view.setShowInputs(false);
    ReplayExporter exporter;
    exporter.copyStyle(view);
    QCOMPARE(exporter.colorMap(), ColorMapKind::Cividis);
    QVERIFY(exporter.isDark());
    QVERIFY(!exporter.showInputs());
    exporter.setFrameSize(QSize(400, 200));
    const QImage frame = exporter.renderFrame(convergingRun(2).back());
    QCOMPARE(QColor(frame.pixel(2, 2)), attn::PlotTheme::dark().background);
}

void TestReplayExporter::gifAndPngUseTheWindowScale_data()
{
    QTest::addColumn<bool>("scaled");
    QTest::newRow("fixed 0..1") << false;
    QTest::newRow("scaled to the largest weight") << true;
}

void TestReplayExporter::gifAndPngUseTheWindowScale()
{
    // The window's heatmap, its PNG and the GIF made with the window's style draw the same
    // weight in the same colour, whichever scale the window shows.
    QFETCH(bool, scaled);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QSize size(720, 300);
    const std::vector<EpochSnapshot> history{convergingRun(5)[1]}; // weights 0.34375 (true) and 0.09375
    HeatmapView window;
    window.resize(size);
    window.setScaleToMax(scaled);
    window.setSnapshot(history.front());
    const QString png = dir.filePath(QStringLiteral("heatmap.png"));
    QVERIFY(window.savePng(png, size.width(), size.height()));
    window.toImage(size.width(), size.height()); // lay out at the export size to find the cell
    QCPColorMap *map = window.colorMap(0);
    const QPoint on(int(std::lround(map->keyAxis()->coordToPixel(3))),
                    int(std::lround(map->valueAxis()->coordToPixel(1))));
    const QPoint off(int(std::lround(map->keyAxis()->coordToPixel(6))),
                     int(std::lround(map->valueAxis()->coordToPixel(1))));

    ReplayExporter exporter;
    exporter.copyStyle(window);
    QCOMPARE(exporter.weightScale(), window.weightScale());
    exporter.setFrameSize(size);
    const QString path = dir.filePath(QStringLiteral("replay.gif"));
    QVERIFY2(exporter.writeGif(history, path), qPrintable(exporter.errorString()));
    int error = 0;
    std::unique_ptr<GifFileType, GifCloser> gif(
        DGifOpenFileName(QFile::encodeName(path).constData(), &error));
    QVERIFY2(gif, GifErrorString(error));
    QCOMPARE(DGifSlurp(gif.get()), GIF_OK);
    QImage image;
    QVERIFY(image.load(png));
    QCOMPARE(image.size(), size);
    const double top = scaled ? double(history.front().attention.at(1, 3)) : 1.0; // the largest
    for (const QPoint &cell : {on, off}) {
        const double w = double(history.front().attention.at(1, cell == on ? 3 : 6));
        const QRgb expected = window.weightColor(w / top).rgb();
        QVERIFY2(colorDistance(image.pixel(cell), expected) <= 6, "PNG: the window's colour");
        QVERIFY2(colorDistance(gifPixel(gif.get(), 0, cell), image.pixel(cell)) <= 12,
                 "GIF: the PNG's colour");
    }
}

QTEST_MAIN(TestReplayExporter)
#include "tst_replayexporter.moc"
