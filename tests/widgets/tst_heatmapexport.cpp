// SPDX-License-Identifier: GPL-3.0-or-later
// HeatmapView rendered out: PNG at the asked size and scale (its dots per metre, the same cell at
// twice the pixels), a one-page PDF, a full disk that keeps the old image with the exact error,
// and the dark theme's background and axes. Runs headless (QT_QPA_PLATFORM=offscreen).
#include "widgets/heatmapview.h"

#include "widgets/colormap.h"
#include "widgets/plottheme.h"
#include "tests/fullfilesystem.h"
#include "tests/heatmapsnapshots.h"

#include <QFile>
#include <QImage>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cmath>
#include <cstring>

using attn::ColorMapKind;
using namespace heatmaptest;

class TestHeatmapExport : public QObject {
    Q_OBJECT

private slots:
    void savePngWritesAnImage();
    void savePngHonoursScale();
    void savePdfWritesAPdf();
    void fullDiskKeepsTheOldImage();
    void darkThemeChangesTheBackground();
};

void TestHeatmapExport::savePngWritesAnImage()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    HeatmapView view;
    view.setSnapshot(makeSnapshot(true));
    const QString path = dir.filePath(QStringLiteral("heatmap.png"));
    QVERIFY(view.savePng(path, 800, 300));
    QImage image;
    QVERIFY(image.load(path, "PNG"));
    QCOMPARE(image.size(), QSize(800, 300));
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 10, qPrintable(QString::number(colours.size())));
}

void TestHeatmapExport::savePngHonoursScale()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    HeatmapView view;
    view.setSnapshot(makeSnapshotWithInputs());
    const struct {
        int w, h;
        double scale;
        QSize expected;
    } cases[] = {{400, 200, 2.0, QSize(800, 400)},
                 {500, 240, 1.5, QSize(750, 360)},
                 {640, 300, 1.0, QSize(640, 300)}};
    for (const auto &c : cases) {
        const QString path = dir.filePath(QStringLiteral("h%1.png").arg(c.scale));
        QVERIFY(view.savePng(path, c.w, c.h, c.scale));
        QImage image;
        QVERIFY(image.load(path, "PNG"));
        QCOMPARE(image.size(), c.expected);
        // The file records 96 * scale dots per inch.
        QVERIFY(std::abs(image.dotsPerMeterX() - 96.0 * c.scale / 0.0254) < 50.0);
    }
    // At scale 2 the layout is the same as at scale 1: the attention cell (2, 3) is at twice
    // the coordinates and has the same colour.
    const QImage one = view.toImage(400, 200, 1.0);
    const QImage two = view.toImage(400, 200, 2.0);
    QCOMPARE(two.size(), QSize(800, 400));
    view.plot()->toPixmap(400, 200); // lay out at 400 x 200 to read the cell position
    const QPointF c = cellCentre(view, 0, 2, 3);
    QVERIFY(colorDistance(one.pixel(c.toPoint()), two.pixel((c * 2.0).toPoint())) <= 6);
}

void TestHeatmapExport::savePdfWritesAPdf()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    HeatmapView view;
    view.setSnapshot(makeSnapshotWithInputs());
    const QString path = dir.filePath(QStringLiteral("heatmap.pdf"));
    QVERIFY(view.savePdf(path, 800, 300));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.read(5), QByteArray("%PDF-"));
    QVERIFY(file.size() > 1000);
    QVERIFY(!view.savePdf(dir.filePath(QStringLiteral("missing/heatmap.pdf")), 800, 300));
}

void TestHeatmapExport::fullDiskKeepsTheOldImage()
{
    QTemporaryDir dir;
    HeatmapView view;
    view.setSnapshot(makeSnapshotWithInputs());
    for (const QString &name : {QStringLiteral("heatmap.png"), QStringLiteral("heatmap.pdf")}) {
        const QString path = dir.filePath(name);
        const bool pdf = name.endsWith(QStringLiteral(".pdf"));
        QString error;
        QVERIFY2(pdf ? view.savePdf(path, 300, 150, &error) : view.savePng(path, 300, 150, 1.0, &error),
                 qPrintable(error));
        const QByteArray old = attn::test::fileBytes(path);
        {
            // Room for a few KiB: the larger new image fails part-way (EFBIG, as a full disk).
            attn::test::FileSizeLimit limit(std::size_t(old.size()) / 2);
            QVERIFY(limit.active());
            QVERIFY(!(pdf ? view.savePdf(path, 900, 400, &error)
                          : view.savePng(path, 900, 400, 2.0, &error)));
        }
        QCOMPARE(error, path + ": cannot write the file: " + QString::fromUtf8(std::strerror(EFBIG)));
        QCOMPARE(attn::test::fileBytes(path), old);
    }
    QCOMPARE(attn::test::entriesOf(dir.path()), (QStringList{"heatmap.pdf", "heatmap.png"}));
}

void TestHeatmapExport::darkThemeChangesTheBackground()
{
    HeatmapView view;
    view.setSnapshot(makeSnapshot(true));
    const auto corner = [&] { return view.plot()->toPixmap(600, 300).toImage().pixel(2, 2); };
    QCOMPARE(corner(), qRgb(255, 255, 255));
    QVERIFY(!view.isDark());

    view.setDark(true);
    QVERIFY(view.isDark());
    QCOMPARE(QColor(corner()), attn::PlotTheme::dark().background);
    QCPAxis *x = view.colorMap(0)->keyAxis();
    QCOMPARE(x->tickLabelColor(), attn::PlotTheme::dark().foreground);
    QCOMPARE(x->basePen().color(), attn::PlotTheme::dark().foreground);
    QCOMPARE(view.colorMap(0)->colorScale()->axis()->tickLabelColor(), attn::PlotTheme::dark().foreground);
    // Panels built later (new shape) come up dark too.
    EpochSnapshot bigger = makeSnapshot(false);
    bigger.attention = makeGrid(4, 6, rampValue);
    bigger.groundTruth = makeGrid(4, 6, oneHotValue);
    view.setSnapshot(bigger);
    QCOMPARE(view.colorMap(1)->keyAxis()->labelColor(), attn::PlotTheme::dark().foreground);
    // The data colours do not change with the theme.
    QCOMPARE(view.weightColor(0.5), QColor(attn::colorMapGradient(ColorMapKind::Viridis)
                                               .color(0.5, QCPRange(0.0, 1.0))));

    view.setDark(false);
    QCOMPARE(corner(), qRgb(255, 255, 255));
    QCOMPARE(view.colorMap(0)->keyAxis()->tickLabelColor(), QColor(Qt::black));
}

QTEST_MAIN(TestHeatmapExport)
#include "tst_heatmapexport.moc"
