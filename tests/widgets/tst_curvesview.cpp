// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of CurvesView: appended epochs become points with the right values, epochs
// without alignment are skipped on the alignment curve, the alignment axis stays 0..1,
// clear()/setHistory() replace everything, the replay marker sits on its epoch, the dark
// theme recolours the chrome and the PNG (at a scale) and PDF exports work. Runs offscreen.
#include "widgets/curvesview.h"

#include "widgets/plottheme.h"

#include <QFile>
#include <QImage>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <cmath>
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
    void markerSitsOnTheEpoch();
    void bestEpochIsRinged();
    void baselinesAreDashedLinesOnTheMetricAxis();
    void lowestBaselineLabelStaysInside();
    void testMetricIsItsOwnCurve();
    void darkThemeChangesTheBackground();
    void savePngHonoursScale();
    void savePdfWritesPdfs();
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
    // A session's history starts with the untrained epoch 0, which the live run never draws.
    std::vector<EpochSnapshot> withZero = threeEpochs();
    withZero.insert(withZero.begin(), makeEpoch(0, 7.0, 7.0, 7.0, 0.1));
    view.setHistory(withZero);
    QCOMPARE(view.pointCount(), 3);
    QCOMPARE(keyAt(view.lossPlot()->graph(0), 0), 1.0);
    view.appendEpoch(makeEpoch(0, 7.0, 7.0, 7.0, 0.1)); // a restart's epoch 0 changes nothing
    QCOMPARE(view.pointCount(), 3);
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

namespace {

/// Pixels in column x of the plot area that differ from the background colour.
int nonBackgroundPixels(const QImage &image, int x, const QRect &area, QRgb background)
{
    int n = 0;
    for (int y = area.top() + 2; y < area.bottom() - 2; ++y)
        n += image.pixel(x, y) != background ? 1 : 0;
    return n;
}

} // namespace

void TestCurvesView::bestEpochIsRinged()
{
    // Early stopping's best epoch is ringed on the validation-loss curve, at its point.
    CurvesView view;
    view.resize(1000, 400);
    std::vector<EpochSnapshot> history = threeEpochs();
    history.push_back(makeEpoch(4, 0.2, 0.7, 0.3, 0.8)); // the validation loss rises again
    for (std::size_t i = 0; i < history.size(); ++i)
        history[i].bestEpoch = i < 3 ? int(i) + 1 : 3;
    view.setHistory(history);
    QCOMPARE(view.bestEpoch(), 3);
    auto *tracer = view.lossPlot()->findChild<QCPItemTracer *>();
    QVERIFY(tracer);
    QVERIFY(tracer->visible());
    view.lossPlot()->toPixmap(500, 300); // lays the plot out
    tracer->updatePosition();
    QCOMPARE(tracer->position->key(), 3.0);
    QCOMPARE(tracer->position->value(), 0.4);
    view.setHistory(threeEpochs()); // a run without early stopping: no ring
    QCOMPARE(view.bestEpoch(), 0);
    QVERIFY(!tracer->visible());
}

void TestCurvesView::baselinesAreDashedLinesOnTheMetricAxis()
{
    // Two baselines, one above every metric value: both lines sit at their values on the
    // metric axis (yAxis2), which widens to show them, each with its label.
    CurvesView view;
    view.resize(1000, 400);
    std::vector<EpochSnapshot> history = threeEpochs(); // metric 0.5, 0.3, 0.2
    for (EpochSnapshot &s : history)
        s.baselines = {{"majority_accuracy", "majority class", 0.45}, {"nearest_neighbour_accuracy", "1-NN Euclidean", 0.9}};
    view.setHistory(history);
    QCOMPARE(int(view.baselines().size()), 2);
    const QList<QCPItemStraightLine *> lines = view.alignmentPlot()->findChildren<QCPItemStraightLine *>();
    QList<double> at;
    for (QCPItemStraightLine *line : lines)
        if (line->point1->valueAxis() == view.alignmentPlot()->yAxis2) {
            QCOMPARE(line->point1->value(), line->point2->value()); // horizontal
            at << line->point1->value();
        }
    std::sort(at.begin(), at.end());
    QCOMPARE(at, (QList<double>{0.45, 0.9}));
    QStringList labels;
    for (QCPItemText *text : view.alignmentPlot()->findChildren<QCPItemText *>())
        labels << text->text();
    QVERIFY2(labels.contains("1-NN Euclidean 0.900") && labels.contains("majority class 0.450"),
             qPrintable(labels.join(" | ")));
    QVERIFY(view.alignmentPlot()->yAxis2->range().upper >= 0.9);
    view.clear(); // no run: no baselines
    QVERIFY(view.baselines().empty());
    int left = 0;
    for (QCPItemStraightLine *line : view.alignmentPlot()->findChildren<QCPItemStraightLine *>())
        left += line->point1->valueAxis() == view.alignmentPlot()->yAxis2 ? 1 : 0;
    QCOMPARE(left, 0);
}

void TestCurvesView::lowestBaselineLabelStaysInside()
{
    // The lowest baseline's label hangs under its line; with the line at the bottom of the
    // metrics (majority 0.503 under accuracies 0.7 .. 1) it must not be cut off by the axis.
    CurvesView view;
    view.resize(700, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.alignmentPlot()->replot(); // lays out the axis rect
    std::vector<EpochSnapshot> history = threeEpochs();
    const double accuracy[] = {0.7, 0.95, 1.0};
    for (std::size_t i = 0; i < history.size(); ++i) {
        history[i].metricName = "accuracy";
        history[i].metric = accuracy[i];
        history[i].baselines = {{"majority_accuracy", "majority class", 0.503},
                                {"nearest_neighbour_accuracy", "1-NN Euclidean", 0.626}};
    }
    view.setHistory(history);
    view.alignmentPlot()->replot();
    const QRect rect = view.alignmentPlot()->axisRect()->rect();
    int checked = 0;
    for (QCPItemText *text : view.alignmentPlot()->findChildren<QCPItemText *>())
        if (text->text().startsWith("majority class")) {
            QVERIFY2(text->bottom->pixelPosition().y() <= rect.bottom() + 1,
                     qPrintable(QStringLiteral("label bottom %1, axis rect bottom %2")
                                    .arg(text->bottom->pixelPosition().y())
                                    .arg(rect.bottom())));
            ++checked;
        }
    QCOMPARE(checked, 1);
}

void TestCurvesView::testMetricIsItsOwnCurve()
{
    // A held-out test file: its metric is a dotted curve on the metric axis, named and in the
    // legend; a run without one has no such entry.
    CurvesView view;
    std::vector<EpochSnapshot> history = threeEpochs();
    const double test[] = {0.55, 0.6, 1.4};
    for (std::size_t i = 0; i < history.size(); ++i) {
        history[i].metricName = "accuracy";
        history[i].testMetric = test[i];
    }
    view.setHistory(history);
    QCPGraph *curve = nullptr;
    for (int i = 0; i < view.alignmentPlot()->graphCount(); ++i)
        if (view.alignmentPlot()->graph(i)->name() == "test accuracy")
            curve = view.alignmentPlot()->graph(i);
    QVERIFY(curve);
    QCOMPARE(curve->dataCount(), 3);
    QCOMPARE(curve->data()->at(2)->value, 1.4);
    QCOMPARE(curve->valueAxis(), view.alignmentPlot()->yAxis2);
    QCOMPARE(curve->pen().style(), Qt::DotLine);
    QVERIFY(view.alignmentPlot()->legend->hasItemWithPlottable(curve));
    QVERIFY(view.alignmentPlot()->yAxis2->range().upper >= 1.4); // in view
    view.setHistory(threeEpochs());
    QCOMPARE(curve->dataCount(), 0);
    QVERIFY(!view.alignmentPlot()->legend->hasItemWithPlottable(curve));
}

void TestCurvesView::markerSitsOnTheEpoch()
{
    CurvesView view;
    view.resize(1000, 400);
    view.setHistory(threeEpochs());
    view.appendEpoch(makeEpoch(4, 0.02, 0.05, 0.1, 0.9)); // log loss axis: the marker still spans it
    QCOMPARE(view.markerEpoch(), 0);
    QVERIFY(!view.lossMarker()->visible());
    QVERIFY(!view.alignmentMarker()->visible());

    QCustomPlot *plot = view.alignmentPlot();
    const QImage before = plot->toPixmap(500, 300).toImage();
    view.setMarkerEpoch(2);
    QCOMPARE(view.markerEpoch(), 2);
    for (QCPItemStraightLine *line : {view.lossMarker(), view.alignmentMarker()}) {
        QVERIFY(line->visible());
        QCOMPARE(line->point1->key(), 2.0);
        QCOMPARE(line->point2->key(), 2.0);
    }
    // On the logarithmic loss axis the line still spans the plot from bottom to top.
    QCOMPARE(view.lossPlot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    view.lossPlot()->toPixmap(500, 300);
    const QRect lossArea = view.lossPlot()->axisRect()->rect();
    QCOMPARE(view.lossMarker()->point1->pixelPosition().y(), double(lossArea.top()));
    QCOMPARE(view.lossMarker()->point2->pixelPosition().y(), double(lossArea.bottom() + 1));
    QCOMPARE(view.lossMarker()->point1->pixelPosition().x(), view.lossPlot()->xAxis->coordToPixel(2.0));

    // The dashed line adds pixels in the epoch-2 column over the whole plot height, and only
    // there (epoch 3's column is unchanged).
    const QImage after = plot->toPixmap(500, 300).toImage();
    const QRect area = plot->axisRect()->rect();
    const int x2 = int(std::lround(plot->xAxis->coordToPixel(2.0)));
    const int x3 = int(std::lround(plot->xAxis->coordToPixel(3.0))) - 6;
    const QRgb white = qRgb(255, 255, 255);
    QVERIFY2(nonBackgroundPixels(after, x2, area, white) >
                 nonBackgroundPixels(before, x2, area, white) + area.height() / 3,
             qPrintable(QStringLiteral("%1 vs %2").arg(nonBackgroundPixels(after, x2, area, white))
                            .arg(nonBackgroundPixels(before, x2, area, white))));
    QCOMPARE(nonBackgroundPixels(after, x3, area, white), nonBackgroundPixels(before, x3, area, white));

    view.setMarkerEpoch(0);
    QCOMPARE(view.markerEpoch(), 0);
    QVERIFY(!view.lossMarker()->visible());
    QVERIFY(!view.alignmentMarker()->visible());
    QCOMPARE(plot->toPixmap(500, 300).toImage(), before);
}

void TestCurvesView::darkThemeChangesTheBackground()
{
    CurvesView view;
    view.setHistory(threeEpochs());
    QVERIFY(!view.isDark());
    for (QCustomPlot *plot : {view.lossPlot(), view.alignmentPlot()})
        QCOMPARE(plot->toPixmap(400, 300).toImage().pixel(2, 2), qRgb(255, 255, 255));
    view.setDark(true);
    QVERIFY(view.isDark());
    const attn::PlotTheme dark = attn::PlotTheme::dark();
    for (QCustomPlot *plot : {view.lossPlot(), view.alignmentPlot()}) {
        QCOMPARE(QColor(plot->toPixmap(400, 300).toImage().pixel(2, 2)), dark.background);
        QCOMPARE(plot->xAxis->tickLabelColor(), dark.foreground);
        QCOMPARE(plot->legend->textColor(), dark.foreground);
    }
    // Curve colours and the metric's axis colour stay.
    QCOMPARE(view.lossPlot()->graph(0)->pen().color(), QColor(0x1f, 0x77, 0xb4));
    QCOMPARE(view.alignmentPlot()->yAxis2->tickLabelColor(),
             view.alignmentPlot()->graph(1)->pen().color());
    view.setDark(false);
    QCOMPARE(view.lossPlot()->toPixmap(400, 300).toImage().pixel(2, 2), qRgb(255, 255, 255));
    QCOMPARE(view.lossPlot()->xAxis->tickLabelColor(), QColor(Qt::black));
}

void TestCurvesView::savePngHonoursScale()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    CurvesView view;
    view.setHistory(threeEpochs());
    const QString loss = dir.filePath(QStringLiteral("loss.png"));
    const QString alignment = dir.filePath(QStringLiteral("alignment.png"));
    QVERIFY(view.saveLossPng(loss, 300, 200, 2.0));
    QVERIFY(view.saveAlignmentPng(alignment, 400, 250, 1.5));
    QImage image;
    QVERIFY(image.load(loss, "PNG"));
    QCOMPARE(image.size(), QSize(600, 400));
    QVERIFY(std::abs(image.dotsPerMeterX() - 192.0 / 0.0254) < 50.0);
    QVERIFY(image.load(alignment, "PNG"));
    QCOMPARE(image.size(), QSize(600, 375));
}

void TestCurvesView::savePdfWritesPdfs()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    CurvesView view;
    view.setHistory(threeEpochs());
    const QString loss = dir.filePath(QStringLiteral("loss.pdf"));
    const QString alignment = dir.filePath(QStringLiteral("alignment.pdf"));
    QVERIFY(view.saveLossPdf(loss, 600, 400));
    QVERIFY(view.saveAlignmentPdf(alignment, 600, 400));
    for (const QString &path : {loss, alignment}) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.read(5), QByteArray("%PDF-"));
        QVERIFY(file.size() > 1000);
    }
}

QTEST_MAIN(TestCurvesView)
#include "tst_curvesview.moc"
