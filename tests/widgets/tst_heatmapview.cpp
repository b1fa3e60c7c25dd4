// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of HeatmapView: grid cells land in the right colour-map cells and pixels (row 0 at
// the top), the colour range stays 0..1, panels follow the snapshot's grids, cells are square,
// colour maps switch (with the published endpoints), the Input panel shows the probe inputs,
// cell tooltips carry sample, step, weight and input, the fitted height leaves no empty bands.
// Exports and the dark theme: tst_heatmapexport; the colour maps: tst_colormap. Runs headless
// (QT_QPA_PLATFORM=offscreen).
#include "widgets/heatmapview.h"

#include "widgets/colormap.h"
#include "widgets/plottheme.h"
#include "tests/heatmapsnapshots.h"

#include <QImage>
#include <QTest>
#include <QToolTip>

#include <cmath>

using attn::ColorMapKind;
using namespace heatmaptest;

class TestHeatmapView : public QObject {
    Q_OBJECT

private slots:
    void cellsHoldTheGridValues();
    void rowZeroIsDrawnAtTheTop();
    void colorRangeStaysZeroToOne();
    void scaledColoursSayTheirRange();
    void panelsFollowTheSnapshot();
    void titleShowsEpochAndAlignment();
    void cellsAreSquare();
    void shapeChangeAndSingleRow();
    void colorMapSwitchRecoloursCells();
    void inputPanelShowsTheProbeInputs();
    void toolTipOfACell();
    void toolTipFollowsTheMouse();
    void fittedHeightLeavesNoEmptyBands();
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

void TestHeatmapView::scaledColoursSayTheirRange()
{
    HeatmapView view;
    view.resize(900, 300);
    EpochSnapshot s = makeSnapshot(true);
    s.attention = makeGrid(3, 5, narrowValue); // 0.2..0.3
    view.setSnapshot(s);
    view.plot()->replot(QCustomPlot::rpImmediateRefresh);
    // Default: one fixed 0..1 bar labelled "weight" for attention, ground truth and argmax.
    QVERIFY(!view.scaleToMax());
    QCOMPARE(view.colorRange().upper, 1.0);
    QCOMPARE(view.colorScaleLabel(), QStringLiteral("weight"));
    QVERIFY(!view.truthScale()->visible());
    const int truth = view.panelIndex(QStringLiteral("Ground truth"));
    const int argmax = view.panelIndex(QStringLiteral("argmax(attention)"));
    QCOMPARE(view.colorMap(truth)->colorScale(), view.colorMap(0)->colorScale());

    // Scaled: the attention's bar ends at its largest weight and says so; the ground truth and
    // argmax keep their own 0..1 bar.
    view.setScaleToMax(true);
    view.plot()->replot(QCustomPlot::rpImmediateRefresh);
    const double largest = double(float(narrowValue(2, 4)));
    QCOMPARE(view.colorRange().upper, largest);
    QCOMPARE(view.colorMap(0)->dataRange().upper, largest);
    QCOMPARE(view.colorScaleLabel(), QStringLiteral("scaled: 0 \u2013 0.3 (largest weight)"));
    QVERIFY(view.truthScale()->visible());
    QCOMPARE(view.truthScale()->dataRange().lower, 0.0);
    QCOMPARE(view.truthScale()->dataRange().upper, 1.0);
    for (int p : {truth, argmax}) {
        QCOMPARE(view.colorMap(p)->colorScale(), view.truthScale());
        QCOMPARE(view.colorMap(p)->dataRange().upper, 1.0);
    }
    // The ground truth's bar is drawn right of the ground-truth panels, the attention's beside
    // the attention panel.
    QVERIFY(view.truthScale()->outerRect().left() >
            view.colorMap(argmax)->keyAxis()->axisRect()->rect().right());

    // Off again: back to one shared 0..1 bar.
    view.setScaleToMax(false);
    view.plot()->replot(QCustomPlot::rpImmediateRefresh);
    QCOMPARE(view.colorRange().upper, 1.0);
    QCOMPARE(view.colorScaleLabel(), QStringLiteral("weight"));
    QVERIFY(!view.truthScale()->visible());
    QCOMPARE(view.colorMap(truth)->colorScale(), view.colorMap(0)->colorScale());
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

void TestHeatmapView::colorMapSwitchRecoloursCells()
{
    HeatmapView view;
    QCOMPARE(view.colorMapKind(), ColorMapKind::Viridis); // the default
    view.resize(900, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const EpochSnapshot s = makeSnapshot(true);
    view.setSnapshot(s);
    view.plot()->replot(QCustomPlot::rpImmediateRefresh);

    const int row = 2;
    const int col = 3;
    const double w = s.attention.at(row, col); // 0.83
    const QPointF centre = cellCentre(view, 0, row, col);
    const auto pixelAt = [&] {
        return view.plot()->toPixmap().toImage().pixel(centre.toPoint());
    };
    const QRgb viridisPixel = pixelAt();
    QCOMPARE(view.weightColor(w), QColor(attn::colorMapGradient(ColorMapKind::Viridis)
                                             .color(w, QCPRange(0.0, 1.0))));
    QVERIFY(colorDistance(viridisPixel, view.weightColor(w).rgb()) <= 6);

    view.setColorMap(ColorMapKind::Magma);
    view.plot()->replot(QCustomPlot::rpImmediateRefresh);
    QCOMPARE(view.colorMapKind(), ColorMapKind::Magma);
    const QRgb magmaExpected =
        attn::colorMapGradient(ColorMapKind::Magma).color(w, QCPRange(0.0, 1.0));
    QCOMPARE(view.weightColor(w).rgb(), magmaExpected);
    // Every weight panel and the colour bar switched; the rendered cell follows.
    for (int p = 0; p < view.panelCount(); ++p)
        QCOMPARE(QCPColorGradient(view.colorMap(p)->gradient()).color(w, QCPRange(0.0, 1.0)),
                 magmaExpected);
    const QRgb magmaPixel = pixelAt();
    QVERIFY2(colorDistance(magmaPixel, magmaExpected) <= 6,
             qPrintable(QColor(magmaPixel).name() + " vs " + QColor(magmaExpected).name()));
    QVERIFY(colorDistance(magmaPixel, viridisPixel) > 100);

    // Grayscale: a weight w is grey level round(255 * w) (256 levels, within one level).
    view.setColorMap(ColorMapKind::Grayscale);
    const QColor grey = view.weightColor(w);
    QCOMPARE(grey.red(), grey.green());
    QVERIFY(std::abs(grey.red() - int(std::lround(255.0 * w))) <= 1);
}

void TestHeatmapView::inputPanelShowsTheProbeInputs()
{
    HeatmapView view;
    view.resize(1100, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.showInputs()); // on by default
    const EpochSnapshot s = makeSnapshotWithInputs();
    view.setSnapshot(s);
    view.plot()->replot(QCustomPlot::rpImmediateRefresh);

    // Indexed after the weight panels, so panel 0 stays the attention ...
    QCOMPARE(view.panelCount(), 3);
    QCOMPARE(view.panelTitle(0), QStringLiteral("Attention"));
    const int input = view.panelIndex(QStringLiteral("Input"));
    QCOMPARE(input, 2);
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 5; ++c)
            QCOMPARE(view.cellValue(input, r, c), double(s.probeInputs.at(r, c)));
    // ... but drawn leftmost.
    QVERIFY(view.colorMap(input)->keyAxis()->axisRect()->rect().right() <
            view.colorMap(0)->keyAxis()->axisRect()->rect().left());
    // Own grey scale over the inputs' range; the weights keep 0..1.
    QCOMPARE(view.inputRange().lower, 0.0);
    QCOMPARE(view.inputRange().upper, double(float(inputValue(2, 4))));
    QCOMPARE(view.colorRange().upper, 1.0);

    // Zeros (delimiters) are black and ringed; the largest input is white.
    const QImage image = view.plot()->toPixmap().toImage();
    const auto pixel = [&](int r, int c) { return image.pixel(cellCentre(view, input, r, c).toPoint()); };
    QVERIFY2(colorDistance(pixel(0, 1), qRgb(0, 0, 0)) <= 6, qPrintable(QColor(pixel(0, 1)).name()));
    QVERIFY2(colorDistance(pixel(2, 4), qRgb(255, 255, 255)) <= 6, qPrintable(QColor(pixel(2, 4)).name()));
    QCPGraph *rings = nullptr;
    for (int i = 0; i < view.plot()->graphCount(); ++i)
        if (view.plot()->graph(i)->keyAxis() == view.colorMap(input)->keyAxis())
            rings = view.plot()->graph(i);
    QVERIFY(rings);
    QCOMPARE(rings->dataCount(), 6); // 2 zeros in each of 3 rows
    for (auto it = rings->data()->constBegin(); it != rings->data()->constEnd(); ++it)
        QCOMPARE(s.probeInputs.at(int(it->value), int(it->key)), 0.0f);
    // The ring is drawn inside the zero cell, off its centre: some pixel there is not black.
    const QPointF zc = cellCentre(view, input, 1, 3);
    const double cellPx = std::abs(view.colorMap(input)->keyAxis()->coordToPixel(1.0) -
                                   view.colorMap(input)->keyAxis()->coordToPixel(0.0));
    bool ringSeen = false;
    for (int dx = -int(cellPx / 2) + 1; dx < int(cellPx / 2); ++dx)
        ringSeen = ringSeen || qRed(image.pixel(QPoint(int(zc.x()) + dx, int(zc.y())))) > 150;
    QVERIFY(ringSeen);

    view.setShowInputs(false);
    QCOMPARE(view.panelCount(), 2);
    QCOMPARE(view.panelIndex(QStringLiteral("Input")), -1);
    view.setShowInputs(true);
    QCOMPARE(view.panelCount(), 3);
}

void TestHeatmapView::toolTipOfACell()
{
    HeatmapView view;
    const EpochSnapshot s = makeSnapshotWithInputs();
    view.setSnapshot(s);

    // Attention cell (row 2, col 3): weight 0.83, input 0 (a delimiter).
    const QString tip = view.cellToolTip(0, 2, 3);
    QVERIFY2(tip.startsWith(QStringLiteral("Attention\n")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("sample 2, time step 3")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("attention weight ") +
                          QString::number(double(s.attention.at(2, 3)), 'f', 4)),
             qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("attention weight 0.8300")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("input 0.0000")), qPrintable(tip));

    // Ground-truth cell (row 0, col 1): the target 1 and the attention there.
    const QString truth = view.cellToolTip(1, 0, 1);
    QVERIFY2(truth.startsWith(QStringLiteral("Ground truth\n")), qPrintable(truth));
    QVERIFY2(truth.contains(QStringLiteral("ground truth 1.0000")), qPrintable(truth));
    QVERIFY2(truth.contains(QStringLiteral("attention weight 0.1100")), qPrintable(truth));

    // Input cell (row 1, col 4): input 0.1 + 0.05 * 9 = 0.55.
    const QString in = view.cellToolTip(view.panelIndex(QStringLiteral("Input")), 1, 4);
    QVERIFY2(in.startsWith(QStringLiteral("Input\n")), qPrintable(in));
    QVERIFY2(in.contains(QStringLiteral("sample 1, time step 4")), qPrintable(in));
    QVERIFY2(in.contains(QStringLiteral("input 0.5500")), qPrintable(in));

    QVERIFY(view.cellToolTip(0, 3, 0).isEmpty());
    QVERIFY(view.cellToolTip(0, 0, 5).isEmpty());
    QVERIFY(view.cellToolTip(7, 0, 0).isEmpty());

    // Without probe inputs there is no input line.
    view.setSnapshot(makeSnapshot(false));
    QVERIFY(!view.cellToolTip(0, 2, 3).contains(QStringLiteral("input")));
}

void TestHeatmapView::toolTipFollowsTheMouse()
{
    HeatmapView view;
    view.resize(1100, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setSnapshot(makeSnapshotWithInputs());
    view.plot()->replot(QCustomPlot::rpImmediateRefresh);

    // Position -> cell, for every panel, at cell centres and near cell edges.
    for (int p = 0; p < view.panelCount(); ++p) {
        const QPointF centre = cellCentre(view, p, 1, 2);
        int panel = -1;
        int row = -1;
        int col = -1;
        QVERIFY(view.cellAt(centre, &panel, &row, &col));
        QCOMPARE(panel, p);
        QCOMPARE(row, 1);
        QCOMPARE(col, 2);
        QCOMPARE(view.cellToolTip(p, centre), view.cellToolTip(p, 1, 2));
        const QPointF nearEdge = cellCentre(view, p, 0, 4) + QPointF(-2.0, 0.0) +
                                 (cellCentre(view, p, 0, 4) - cellCentre(view, p, 0, 3)) * 0.45;
        QVERIFY(view.cellAt(nearEdge, &panel, &row, &col));
        QCOMPARE(col, 4);
        QCOMPARE(row, 0);
    }
    // Another panel's position, and the title area, give no tooltip.
    QVERIFY(view.cellToolTip(1, cellCentre(view, 0, 1, 2)).isEmpty());
    QVERIFY(view.cellToolTip(0, QPointF(3.0, 3.0)).isEmpty());
    QVERIFY(!view.cellAt(QPointF(3.0, 3.0), nullptr, nullptr, nullptr));

    // A real mouse move over a cell shows that cell's text as the tooltip.
    const QPoint pos = cellCentre(view, 0, 2, 3).toPoint();
    QTest::mouseMove(view.plot(), pos);
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), view.cellToolTip(0, 2, 3));
}

void TestHeatmapView::fittedHeightLeavesNoEmptyBands()
{
    HeatmapView view;
    QCOMPARE(view.fittedHeight(900), 0); // no panels yet
    EpochSnapshot s = makeSnapshotWithInputs();
    s.attention = makeGrid(10, 20, rampValue);
    s.groundTruth = makeGrid(10, 20, oneHotValue);
    s.probeInputs = makeGrid(10, 20, inputValue);
    view.setSnapshot(s);
    const auto cellAndSlack = [&](int w, int h) {
        view.plot()->toPixmap(w, h); // lays out at w x h
        const QRect inner = view.colorMap(0)->keyAxis()->axisRect()->rect();
        const QMargins slack = view.plot()->plotLayout()->margins();
        return std::pair{double(inner.width()) / 20.0, slack.top() + slack.bottom()};
    };
    const auto [tallCell, tallSlack] = cellAndSlack(900, 2000);
    QVERIFY(tallSlack > 1000); // a tall layout has empty bands
    const int fitted = view.fittedHeight(900);
    QVERIFY2(fitted > 100 && fitted < 600, qPrintable(QString::number(fitted)));
    const auto [cell, slack] = cellAndSlack(900, fitted);
    QVERIFY2(std::abs(cell - tallCell) <= 0.5, qPrintable(QStringLiteral("%1 vs %2").arg(cell).arg(tallCell)));
    QVERIFY2(slack <= 4, qPrintable(QString::number(slack)));
    // Ten fewer pixels and the cells shrink.
    QVERIFY(cellAndSlack(900, fitted - 10).first < tallCell - 0.5);
}

QTEST_MAIN(TestHeatmapView)
#include "tst_heatmapview.moc"
