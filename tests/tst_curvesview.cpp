// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of CurvesView: appended epochs become points with the right values, epochs
// without alignment are skipped on the alignment curve, the alignment axis stays 0..1,
// clear()/setHistory() replace everything and the PNG exports work. Runs offscreen.
#include "widgets/curvesview.h"

#include <QImage>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using attn::CurvesView;
using attn::EpochSnapshot;

namespace {

EpochSnapshot makeEpoch(int epoch, double trainLoss, double valLoss, double metric,
                        std::optional<double> alignment)
{
    EpochSnapshot s;
    s.epoch = epoch;
    s.totalEpochs = 10;
    s.trainLoss = trainLoss;
    s.valLoss = valLoss;
    s.metric = metric;
    s.metricName = "mae";
    s.alignment = alignment;
    return s;
}

std::vector<EpochSnapshot> threeEpochs()
{
    return {makeEpoch(1, 0.9, 1.0, 0.5, 0.2), makeEpoch(2, 0.5, 0.6, 0.3, std::nullopt),
            makeEpoch(3, 0.3, 0.4, 0.2, 0.8)};
}

double valueAt(QCPGraph *g, int i) { return g->data()->at(i)->value; }
double keyAt(QCPGraph *g, int i) { return g->data()->at(i)->key; }

} // namespace

class TestCurvesView : public QObject {
    Q_OBJECT

private slots:
    void appendAddsOnePointPerCurve();
    void alignmentAxisIsFixed();
    void clearEmptiesEverything();
    void setHistoryReplaces();
    void repeatedEpochReplacesTheTail();
    void lossAxisGoesLogarithmicOverADecade();
    void savePngsWriteImages();
};

void TestCurvesView::appendAddsOnePointPerCurve()
{
    CurvesView view;
    QCOMPARE(view.pointCount(), 0);
    for (const EpochSnapshot &s : threeEpochs())
        view.appendEpoch(s);
    QCOMPARE(view.pointCount(), 3);

    QCPGraph *train = view.lossPlot()->graph(0);
    QCPGraph *val = view.lossPlot()->graph(1);
    QCPGraph *alignment = view.alignmentPlot()->graph(0);
    QCPGraph *metric = view.alignmentPlot()->graph(1);
    QCOMPARE(train->dataCount(), 3);
    QCOMPARE(val->dataCount(), 3);
    QCOMPARE(metric->dataCount(), 3);
    const double trainExpected[] = {0.9, 0.5, 0.3};
    const double valExpected[] = {1.0, 0.6, 0.4};
    const double metricExpected[] = {0.5, 0.3, 0.2};
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(keyAt(train, i), double(i + 1));
        QCOMPARE(valueAt(train, i), trainExpected[i]);
        QCOMPARE(valueAt(val, i), valExpected[i]);
        QCOMPARE(valueAt(metric, i), metricExpected[i]);
    }
    // Epoch 2 had no alignment: skipped, not drawn as 0.
    QCOMPARE(alignment->dataCount(), 2);
    QCOMPARE(keyAt(alignment, 0), 1.0);
    QCOMPARE(valueAt(alignment, 0), 0.2);
    QCOMPARE(keyAt(alignment, 1), 3.0);
    QCOMPARE(valueAt(alignment, 1), 0.8);

    QCOMPARE(metric->valueAxis(), view.alignmentPlot()->yAxis2);
    QCOMPARE(view.alignmentPlot()->yAxis2->label(), QStringLiteral("mae"));
    QVERIFY(view.alignmentPlot()->yAxis2->visible());
    // x covers all epochs.
    QVERIFY(view.lossPlot()->xAxis->range().contains(1.0));
    QVERIFY(view.lossPlot()->xAxis->range().contains(3.0));
    QVERIFY(view.alignmentPlot()->xAxis->range().contains(3.0));
    // The metric axis shows all metric values.
    QVERIFY(view.alignmentPlot()->yAxis2->range().contains(0.2));
    QVERIFY(view.alignmentPlot()->yAxis2->range().contains(0.5));
}

void TestCurvesView::alignmentAxisIsFixed()
{
    CurvesView view;
    view.appendEpoch(makeEpoch(1, 0.9, 1.0, 40.0, 0.31));
    view.appendEpoch(makeEpoch(2, 0.8, 0.9, 35.0, 0.33));
    QCOMPARE(view.alignmentPlot()->yAxis->range().lower, 0.0);
    QCOMPARE(view.alignmentPlot()->yAxis->range().upper, 1.0);
    QVERIFY(view.alignmentPlot()->yAxis2->range().contains(40.0));
}

void TestCurvesView::clearEmptiesEverything()
{
    CurvesView view;
    for (const EpochSnapshot &s : threeEpochs())
        view.appendEpoch(s);
    view.clear();
    QCOMPARE(view.pointCount(), 0);
    for (QCustomPlot *plot : {view.lossPlot(), view.alignmentPlot()})
        for (int g = 0; g < plot->graphCount(); ++g)
            QCOMPARE(plot->graph(g)->dataCount(), 0);
    view.appendEpoch(makeEpoch(1, 0.7, 0.8, 0.1, 0.5));
    QCOMPARE(view.pointCount(), 1);
}

void TestCurvesView::setHistoryReplaces()
{
    CurvesView view;
    view.appendEpoch(makeEpoch(1, 5.0, 5.0, 5.0, 0.9));
    view.setHistory(threeEpochs());
    QCOMPARE(view.pointCount(), 3);
    QCOMPARE(valueAt(view.lossPlot()->graph(0), 0), 0.9);
    QCOMPARE(view.alignmentPlot()->graph(0)->dataCount(), 2);
    view.setHistory({});
    QCOMPARE(view.pointCount(), 0);
}

void TestCurvesView::repeatedEpochReplacesTheTail()
{
    CurvesView view;
    view.setHistory(threeEpochs());
    view.appendEpoch(makeEpoch(2, 0.25, 0.35, 0.15, 0.6));
    QCOMPARE(view.pointCount(), 2);
    QCOMPARE(keyAt(view.lossPlot()->graph(0), 1), 2.0);
    QCOMPARE(valueAt(view.lossPlot()->graph(0), 1), 0.25);
    QCOMPARE(view.alignmentPlot()->graph(0)->dataCount(), 2);
    QCOMPARE(valueAt(view.alignmentPlot()->graph(0), 1), 0.6);
}

void TestCurvesView::lossAxisGoesLogarithmicOverADecade()
{
    CurvesView view;
    view.setHistory(threeEpochs()); // 0.3 .. 1.0: linear
    QCOMPARE(view.lossPlot()->yAxis->scaleType(), QCPAxis::stLinear);
    QVERIFY(view.lossPlot()->yAxis->range().contains(0.3));
    QVERIFY(view.lossPlot()->yAxis->range().contains(1.0));
    view.appendEpoch(makeEpoch(4, 0.02, 0.05, 0.1, 0.9)); // 0.02 .. 1.0: log
    QCOMPARE(view.lossPlot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    QVERIFY(view.lossPlot()->yAxis->range().contains(0.02));
    QVERIFY(view.lossPlot()->yAxis->range().contains(1.0));
    view.appendEpoch(makeEpoch(5, -0.1, 0.05, 0.1, 0.9)); // a non-positive value: linear
    QCOMPARE(view.lossPlot()->yAxis->scaleType(), QCPAxis::stLinear);
    QVERIFY(view.lossPlot()->yAxis->range().contains(-0.1));
}

void TestCurvesView::savePngsWriteImages()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    CurvesView view;
    view.setHistory(threeEpochs());
    const QString lossPath = dir.filePath(QStringLiteral("loss.png"));
    const QString alignmentPath = dir.filePath(QStringLiteral("alignment.png"));
    QVERIFY(view.saveLossPng(lossPath, 600, 400));
    QVERIFY(view.saveAlignmentPng(alignmentPath, 500, 300));
    for (const auto &[path, size] :
         {std::pair{lossPath, QSize(600, 400)}, std::pair{alignmentPath, QSize(500, 300)}}) {
        QImage image;
        QVERIFY(image.load(path, "PNG"));
        QCOMPARE(image.size(), size);
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 2)
            for (int x = 0; x < image.width(); x += 2)
                colours.insert(image.pixel(x, y));
        QVERIFY(colours.size() > 5);
    }
}

QTEST_MAIN(TestCurvesView)
#include "tst_curvesview.moc"
