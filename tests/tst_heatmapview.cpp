// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of HeatmapView: grid cells land in the right colour-map cells and pixels (row 0 at
// the top), the colour range stays 0..1, panels follow the snapshot's grids, cells are square
// and savePng writes a real image. Runs headless (QT_QPA_PLATFORM=offscreen).
#include "widgets/heatmapview.h"

#include <QImage>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using attn::EpochSnapshot;
using attn::Grid;
using attn::HeatmapView;

namespace {

Grid makeGrid(int rows, int cols, double (*value)(int r, int c))
{
    Grid g;
    g.rows = rows;
    g.cols = cols;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            g.values.push_back(float(value(r, c)));
    return g;
}

// 3x5: every cell distinct, increasing row-major from 0.05 to 0.89.
double rampValue(int r, int c) { return 0.05 + 0.06 * double(r * 5 + c); }
// Ground truth: one-hot at column (r + 1).
double oneHotValue(int r, int c) { return c == r + 1 ? 1.0 : 0.0; }
double narrowValue(int r, int c) { return 0.2 + 0.1 * double(r * 5 + c) / 14.0; }

EpochSnapshot makeSnapshot(bool withArgmax)
{
    EpochSnapshot s;
    s.epoch = 3;
    s.totalEpochs = 10;
    s.alignment = 0.93;
    s.attention = makeGrid(3, 5, rampValue);
    s.groundTruth = makeGrid(3, 5, oneHotValue);
    if (withArgmax)
        s.argmaxAttention = makeGrid(3, 5, oneHotValue);
    return s;
}

int colorDistance(QRgb a, QRgb b)
{
    return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) +
           std::abs(qBlue(a) - qBlue(b));
}

} // namespace

class TestHeatmapView : public QObject {
    Q_OBJECT

private slots:
    void cellsHoldTheGridValues();
    void rowZeroIsDrawnAtTheTop();
    void colorRangeStaysZeroToOne();
    void panelsFollowTheSnapshot();
    void titleShowsEpochAndAlignment();
    void cellsAreSquare();
    void shapeChangeAndSingleRow();
    void savePngWritesAnImage();
};

void TestHeatmapView::cellsHoldTheGridValues()
{
    HeatmapView view;
    const EpochSnapshot s = makeSnapshot(false);
    view.setSnapshot(s);
    QCOMPARE(view.panelCount(), 2);
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 5; ++c) {
            QCOMPARE(view.cellValue(0, r, c), double(s.attention.at(r, c)));
            QCOMPARE(view.cellValue(1, r, c), double(s.groundTruth.at(r, c)));
            // The colour map's coordinate mapping: cell (r, c) is centred on (x = c, y = r).
            QCPColorMapData *data = view.colorMap(0)->data();
            int key = -1;
            int value = -1;
            data->coordToCell(double(c), double(r), &key, &value);
            QCOMPARE(key, c);
            QCOMPARE(value, r);
            QCOMPARE(data->data(double(c), double(r)), double(s.attention.at(r, c)));
        }
    }
    QVERIFY(std::isnan(view.cellValue(0, 3, 0)));
    QVERIFY(std::isnan(view.cellValue(0, 0, 5)));
    QVERIFY(std::isnan(view.cellValue(2, 0, 0)));
    QVERIFY(!view.colorMap(0)->interpolate());
}

void TestHeatmapView::rowZeroIsDrawnAtTheTop()
{
    HeatmapView view;
    view.resize(900, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const EpochSnapshot s = makeSnapshot(false);
    view.setSnapshot(s);
    view.plot()->replot(QCustomPlot::rpImmediateRefresh);

    QCPColorMap *map = view.colorMap(0);
    QCPAxis *x = map->keyAxis();
    QCPAxis *y = map->valueAxis();
    const QRect inner = map->keyAxis()->axisRect()->rect();
    // Row 0's upper edge is the top of the axis rect; rows go downwards.
    QVERIFY(std::abs(y->coordToPixel(-0.5) - inner.top()) <= 1.0);
    QVERIFY(std::abs(y->coordToPixel(2.5) - inner.bottom()) <= 1.0);
    QVERIFY(y->coordToPixel(0.0) < y->coordToPixel(1.0));
    QVERIFY(std::abs(x->coordToPixel(-0.5) - inner.left()) <= 1.0);

    // The rendered pixel at each cell centre has that cell's gradient colour.
    const QImage image = view.plot()->toPixmap().toImage();
    QCPColorGradient gradient = map->gradient();
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 5; ++c) {
            const QPoint centre(int(std::lround(x->coordToPixel(c))),
                                int(std::lround(y->coordToPixel(r))));
            const QRgb expected = gradient.color(s.attention.at(r, c), QCPRange(0.0, 1.0));
            const QRgb actual = image.pixel(centre);
            QVERIFY2(colorDistance(expected, actual) <= 6,
                     qPrintable(QStringLiteral("cell (%1, %2): expected %3, got %4")
                                    .arg(r)
                                    .arg(c)
                                    .arg(QColor(expected).name(), QColor(actual).name())));
        }
    }
    // And the top-left and bottom-right cells really differ (yellowish vs purple).
    QVERIFY(colorDistance(image.pixel(int(x->coordToPixel(0)), int(y->coordToPixel(0))),
                          image.pixel(int(x->coordToPixel(4)), int(y->coordToPixel(2)))) > 100);
}

void TestHeatmapView::colorRangeStaysZeroToOne()
{
    HeatmapView view;
    QCOMPARE(view.colorRange().lower, 0.0);
    QCOMPARE(view.colorRange().upper, 1.0);
    EpochSnapshot s = makeSnapshot(true);
    s.attention = makeGrid(3, 5, narrowValue); // all in 0.2..0.3
    view.setSnapshot(s);
    view.setSnapshot(s);
    view.plot()->replot(QCustomPlot::rpImmediateRefresh);
    QCOMPARE(view.colorRange().lower, 0.0);
    QCOMPARE(view.colorRange().upper, 1.0);
    for (int p = 0; p < view.panelCount(); ++p) {
        QCOMPARE(view.colorMap(p)->dataRange().lower, 0.0);
        QCOMPARE(view.colorMap(p)->dataRange().upper, 1.0);
    }
    QCOMPARE(view.cellValue(0, 2, 4), double(float(0.3)));
}

void TestHeatmapView::panelsFollowTheSnapshot()
{
    HeatmapView view;
    QCOMPARE(view.panelCount(), 0);
    view.setSnapshot(makeSnapshot(false));
    QCOMPARE(view.panelCount(), 2);
    QCOMPARE(view.panelTitle(0), QStringLiteral("Attention"));
    QCOMPARE(view.panelTitle(1), QStringLiteral("Ground truth"));
    QCOMPARE(view.plot()->axisRectCount(), 2);

    view.setSnapshot(makeSnapshot(true));
    QCOMPARE(view.panelCount(), 3);
    QCOMPARE(view.panelTitle(2), QStringLiteral("argmax(attention)"));
    QCOMPARE(view.plot()->axisRectCount(), 3);
    QCOMPARE(view.plot()->plottableCount(), 3);
    QCOMPARE(view.cellValue(2, 1, 2), 1.0);

    EpochSnapshot noTruth = makeSnapshot(false);
    noTruth.groundTruth = Grid{};
    view.setSnapshot(noTruth);
    QCOMPARE(view.panelCount(), 1);
    QCOMPARE(view.panelTitle(0), QStringLiteral("Attention"));
    QVERIFY(view.panelTitle(1).isEmpty());

    view.clear();
    QCOMPARE(view.panelCount(), 0);
    QCOMPARE(view.plot()->axisRectCount(), 0);
    QCOMPARE(view.plot()->plottableCount(), 0);
    // The placeholder title spans the whole width once the panels are gone.
    view.setSnapshot(makeSnapshot(true));
    view.plot()->toPixmap(600, 300);
    view.clear();
    view.plot()->toPixmap(600, 300);
    auto *title = qobject_cast<QCPTextElement *>(view.plot()->plotLayout()->element(0, 0));
    QVERIFY(title);
    QCOMPARE(title->outerRect().width(), 600);
    QCOMPARE(title->outerRect().top(), 0);
}

void TestHeatmapView::titleShowsEpochAndAlignment()
{
    HeatmapView view;
    view.setSnapshot(makeSnapshot(false));
    auto *title = qobject_cast<QCPTextElement *>(view.plot()->plotLayout()->element(0, 0));
    QVERIFY(title);
    QVERIFY2(title->text().contains(QStringLiteral("Epoch 3 / 10")), qPrintable(title->text()));
    QVERIFY2(title->text().contains(QStringLiteral("alignment 0.93")), qPrintable(title->text()));

    EpochSnapshot s = makeSnapshot(false);
    s.alignment.reset();
    view.setSnapshot(s);
    QVERIFY(!title->text().contains(QStringLiteral("alignment")));
}

void TestHeatmapView::cellsAreSquare()
{
    HeatmapView view;
    view.resize(1200, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    EpochSnapshot s = makeSnapshot(true);
    s.attention = makeGrid(10, 20, rampValue);
    s.groundTruth = makeGrid(10, 20, oneHotValue);
    s.argmaxAttention = makeGrid(10, 20, oneHotValue);
    view.setSnapshot(s);
    view.plot()->replot(QCustomPlot::rpImmediateRefresh);
    double firstWidth = 0.0;
    for (int p = 0; p < view.panelCount(); ++p) {
        const QRect inner = view.colorMap(p)->keyAxis()->axisRect()->rect();
        const double cellW = double(inner.width()) / 20.0;
        const double cellH = double(inner.height()) / 10.0;
        QVERIFY2(cellW > 5.0, qPrintable(QString::number(cellW)));
        QVERIFY2(std::abs(cellW - cellH) <= 0.5,
                 qPrintable(QStringLiteral("%1 x %2").arg(cellW).arg(cellH)));
        if (p == 0)
            firstWidth = cellW;
        QVERIFY(std::abs(cellW - firstWidth) <= 0.5);
    }
}

void TestHeatmapView::shapeChangeAndSingleRow()
{
    HeatmapView view;
    view.setSnapshot(makeSnapshot(true));
    EpochSnapshot s;
    s.epoch = 1;
    s.totalEpochs = 1;
    s.attention = makeGrid(1, 4, rampValue);
    view.setSnapshot(s);
    QCOMPARE(view.panelCount(), 1);
    for (int c = 0; c < 4; ++c)
        QCOMPARE(view.cellValue(0, 0, c), double(s.attention.at(0, c)));
    QVERIFY(std::isnan(view.cellValue(0, 1, 0)));
    const QImage image = view.plot()->toPixmap(400, 200).toImage();
    QCOMPARE(image.size(), QSize(400, 200));
}

void TestHeatmapView::savePngWritesAnImage()
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

QTEST_MAIN(TestHeatmapView)
#include "tst_heatmapview.moc"
