// SPDX-License-Identifier: GPL-3.0-or-later
// SeriesView (widgets/seriesview.h): draws the chosen probe row's values and attention, the
// forecast and the truth at step T, a weight axis that follows the largest weight (flat
// attention is not stretched to look peaked), the chosen attribution as shares beside the
// attention, the step a season before the forecast, and writes a PNG of the requested size.
#include "widgets/seriesview.h"

#include <QComboBox>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace attn;

namespace {

Grid grid(int rows, int cols, std::vector<float> values)
{
    return Grid{rows, cols, std::move(values)};
}

EpochSnapshot forecastSnapshot()
{
    EpochSnapshot s;
    s.epoch = 4;
    s.metricName = "mae";
    s.probeInputs = grid(2, 4, {112, 118, 132, 129, 200, 210, 220, 230});
    s.attention = grid(2, 4, {0.1f, 0.1f, 0.7f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f});
    s.probePredictions = {125.0f, 241.0f};
    s.probeTargets = {121.0f, 240.0f};
    return s;
}

} // namespace

class TestSeriesView : public QObject {
    Q_OBJECT
private slots:
    void drawsTheChosenRow();
    void flatAttentionIsNotStretched();
    void classificationHasNoForecastPoint();
    void emptyAndExport();
    void attributionSharesBesideAttention();
    void seasonMarker();
};

void TestSeriesView::drawsTheChosenRow()
{
    SeriesView v;
    v.setSnapshot(forecastSnapshot());
    QCOMPARE(v.seriesValues(), (QVector<double>{112, 118, 132, 129}));
    QCOMPARE(v.attentionValues().size(), 4);
    QCOMPARE(v.attentionValues()[2], double(0.7f));
    QCOMPARE(v.forecastValue(), 125.0);
    QCOMPARE(v.truthValue(), 121.0);
    QCOMPARE(v.plot()->legend->itemCount(), 5);
    QVERIFY(v.titleText().contains("largest weight 0.700 at step 2"));
    QCOMPARE(v.weightAxisMax(), double(0.7f) * 1.1);
    v.rowSelector()->setCurrentIndex(1); // the user picks row 1
    QCOMPARE(v.probeRow(), 1);
    QCOMPARE(v.seriesValues(), (QVector<double>{200, 210, 220, 230}));
    QCOMPARE(v.forecastValue(), 241.0);
    // The next epoch keeps the chosen row.
    EpochSnapshot next = forecastSnapshot();
    next.epoch = 5;
    v.setSnapshot(next);
    QCOMPARE(v.probeRow(), 1);
}

void TestSeriesView::flatAttentionIsNotStretched()
{
    SeriesView v;
    EpochSnapshot s = forecastSnapshot();
    v.setSnapshot(s);
    v.setProbeRow(1); // uniform 0.25 on 4 steps: the axis ends at 0.275, not at a bar-filling max
    QCOMPARE(v.weightAxisMax(), 0.25 * 1.1);
    QVERIFY(v.titleText().contains("(uniform 0.250)"));
}

void TestSeriesView::classificationHasNoForecastPoint()
{
    SeriesView v;
    EpochSnapshot s = forecastSnapshot();
    s.metricName = "accuracy";
    s.probePredictions = {0.9f, 0.2f};
    s.probeTargets = {1.0f, 0.0f};
    s.attention = Grid{}; // the no-attention baseline
    v.setSnapshot(s);
    QVERIFY(std::isnan(v.forecastValue()));
    QCOMPARE(v.plot()->legend->itemCount(), 3); // series, attention, uniform: no forecast entries
    QVERIFY(v.attentionValues().isEmpty());
    QVERIFY(v.titleText().contains("no attention"));
    QVERIFY(v.titleText().contains("output 0.9, target 1"));
}

void TestSeriesView::emptyAndExport()
{
    SeriesView v;
    QVERIFY(v.seriesValues().isEmpty());
    QCOMPARE(v.titleText(), QString("No epoch finished yet"));
    QVERIFY(!v.plot()->legend->hasItemWithPlottable(v.plot()->graph(4))); // no attribution entry
    v.setSnapshot(forecastSnapshot());
    QTemporaryDir dir;
    const QString png = dir.filePath("series.png");
    QVERIFY(v.savePng(png, 400, 300, 2.0));
    const QImage image(png);
    QCOMPARE(image.size(), QSize(800, 600));
    QString error;
    QVERIFY(!v.savePng(dir.filePath("missing/series.png"), 400, 300, 1.0, &error));
    QVERIFY(error.contains("cannot write"));
    v.clear();
    QVERIFY(v.seriesValues().isEmpty());
}

void TestSeriesView::attributionSharesBesideAttention()
{
    SeriesView v;
    EpochSnapshot s = forecastSnapshot();
    v.setSnapshot(s); // no attributions measured: nothing drawn, the selector says why
    QVERIFY(v.attributionValues().isEmpty());
    QVERIFY(!v.attributionSelector()->isEnabled());
    QCOMPARE(v.plot()->legend->itemCount(), 5);

    FaithfulnessSummary f;
    f.probeLeaveOneOut = grid(2, 4, {6, 1, 2, 1, 0, 0, 0, 0});
    f.probeInputXGradient = grid(2, 4, {-3, 1, 0, 0, 1, 1, 1, 1}); // signed: shares of |v|
    f.probeGradient = grid(2, 4, {1, 1, 1, 1, 1, 1, 1, 1});
    f.probeIntegratedGradients = grid(2, 4, {0, 0, 0, 2, 1, 1, 1, 1});
    s.faithfulness = f;
    v.setSnapshot(s);
    QVERIFY(v.attributionSelector()->isEnabled());
    QCOMPARE(v.attribution(), SeriesView::Attribution::LeaveOneOut); // the default
    QCOMPARE(v.attributionValues(), (QVector<double>{0.6, 0.1, 0.2, 0.1}));
    QCOMPARE(v.plot()->legend->itemCount(), 6);
    QVERIFY(v.titleText().contains("leave-one-out: largest share 0.600 at step 0"));
    QCOMPARE(v.weightAxisMax(), double(0.7f) * 1.1); // the attention's 0.7 is still the largest
    v.attributionSelector()->setCurrentIndex(2); // the user picks input x gradient
    QCOMPARE(v.attribution(), SeriesView::Attribution::InputXGradient);
    QCOMPARE(v.attributionValues(), (QVector<double>{0.75, 0.25, 0.0, 0.0}));
    QCOMPARE(v.weightAxisMax(), 0.75 * 1.1); // a larger share widens the axis
    v.setProbeRow(1);
    QCOMPARE(v.attributionValues(), (QVector<double>{0.25, 0.25, 0.25, 0.25}));
    s.faithfulness->probeLeaveOneOut = grid(2, 4, {0, 0, 0, 0, 0, 0, 0, 0});
    v.setAttribution(SeriesView::Attribution::LeaveOneOut);
    v.setSnapshot(s); // a row whose output no step moves: zero shares, not NaN
    QCOMPARE(v.attributionValues(), (QVector<double>{0, 0, 0, 0}));
    v.setAttribution(SeriesView::Attribution::None);
    QCOMPARE(v.attributionSelector()->currentIndex(), 0);
    QVERIFY(v.attributionValues().isEmpty());
    QCOMPARE(v.plot()->legend->itemCount(), 5);
}

void TestSeriesView::seasonMarker()
{
    SeriesView v;
    EpochSnapshot s = forecastSnapshot();
    v.setSnapshot(s);
    QCOMPARE(v.seasonStep(), -1); // no season found
    s.season = 3;
    v.setSnapshot(s);
    QCOMPARE(v.seasonStep(), 1); // T = 4: the value 3 steps before step 4
    s.season = 4;
    v.setSnapshot(s);
    QCOMPARE(v.seasonStep(), 0);
    s.season = 5; // longer than the window: no step to mark
    v.setSnapshot(s);
    QCOMPARE(v.seasonStep(), -1);
    s.season = 4;
    s.metricName = "accuracy"; // not a forecast
    v.setSnapshot(s);
    QCOMPARE(v.seasonStep(), -1);
}

QTEST_MAIN(TestSeriesView)
#include "tst_seriesview.moc"
