// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of FeatureWeightsView: the bars are the mean weights over the probe rows (or one
// chosen row's), the true column's bar is drawn in the highlight colour (read back and on the
// rendered pixels), the y axis stays 0..1, the text line's figures match the grids, the row
// selector follows the snapshot, and PNG exports have the asked pixel size at a scale.
// Runs headless (QT_QPA_PLATFORM=offscreen).
#include "widgets/featureweightsview.h"

#include "widgets/plottheme.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFontMetricsF>
#include <QImage>
#include <QPixmap>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>

using attn::EpochSnapshot;
using attn::FeatureWeightsView;
using attn::Grid;

namespace {

constexpr int kRows = 10;
constexpr int kFeatures = 32;
constexpr int kTrueColumn = 1;

/// A feature-task snapshot after some training: softmax of random logits over F features with
/// the true column boosted, except row 9 whose largest weight is on column 5.
EpochSnapshot featureSnapshot(int rows = kRows, int epoch = 12)
{
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0.0, 0.6);
    EpochSnapshot s;
    s.epoch = epoch;
    s.totalEpochs = 20;
    s.metricName = "accuracy";
    s.attention.rows = s.groundTruth.rows = rows;
    s.attention.cols = s.groundTruth.cols = kFeatures;
    for (int r = 0; r < rows; ++r) {
        std::vector<double> e(kFeatures);
        double sum = 0.0;
        for (int c = 0; c < kFeatures; ++c) {
            double logit = noise(rng);
            if (c == kTrueColumn)
                logit += r == 9 ? 1.0 : 2.6 + 0.1 * r;
            if (r == 9 && c == 5)
                logit += 3.5;
            e[std::size_t(c)] = std::exp(logit);
            sum += e[std::size_t(c)];
        }
        for (int c = 0; c < kFeatures; ++c) {
            s.attention.values.push_back(float(e[std::size_t(c)] / sum));
            s.groundTruth.values.push_back(c == kTrueColumn ? 1.0f : 0.0f);
        }
    }
    return s;
}

double meanOfColumn(const Grid &g, int c)
{
    double sum = 0.0;
    for (int r = 0; r < g.rows; ++r)
        sum += g.at(r, c);
    return sum / g.rows;
}

/// Pixel of the rendered plot at plot coordinate (key, value).
QRgb pixelAt(FeatureWeightsView &view, const QImage &image, double key, double value)
{
    QCustomPlot *plot = view.plot();
    const int x = int(std::lround(plot->xAxis->coordToPixel(key)));
    const int y = int(std::lround(plot->yAxis->coordToPixel(value)));
    return image.pixel(x, y);
}

} // namespace

class TestFeatureWeightsView : public QObject {
    Q_OBJECT

private slots:
    void barsAreTheMeanWeights();
    void trueColumnIsHighlighted();
    void highlightShowsInThePixels();
    void chosenRowShowsThatRow();
    void summaryMatchesTheGrids();
    void summaryWrapsOnANarrowPlot();
    void yAxisStaysZeroToOne();
    void selectorFollowsTheRows();
    void withoutGroundTruthNothingIsHighlighted();
    void clearRemovesTheBars();
    void darkThemeChangesTheBackground();
    void savePngHonoursSizeAndScale();
};

void TestFeatureWeightsView::barsAreTheMeanWeights()
{
    FeatureWeightsView view;
    const EpochSnapshot s = featureSnapshot();
    view.setSnapshot(s);
    QCOMPARE(view.probeRow(), -1);
    QCOMPARE(view.featureCount(), kFeatures);
    for (int c = 0; c < kFeatures; ++c)
        QVERIFY2(std::abs(view.barValue(c) - meanOfColumn(s.attention, c)) < 1e-6,
                 qPrintable(QStringLiteral("feature %1").arg(c)));
    // Both plottables together hold exactly one bar per feature.
    QCOMPARE(view.otherBars()->dataCount() + view.trueBars()->dataCount(), kFeatures);
    QVERIFY(std::isnan(view.barValue(kFeatures)));
    QVERIFY(std::isnan(view.barValue(-1)));
}

void TestFeatureWeightsView::trueColumnIsHighlighted()
{
    FeatureWeightsView view;
    view.setSnapshot(featureSnapshot());
    QCOMPARE(view.trueColumns(), std::vector<int>{kTrueColumn});
    QVERIFY(FeatureWeightsView::highlightColor() != FeatureWeightsView::barColor());
    for (int c = 0; c < kFeatures; ++c)
        QCOMPARE(view.barFillColor(c), c == kTrueColumn ? FeatureWeightsView::highlightColor()
                                                        : FeatureWeightsView::barColor());
    QCOMPARE(view.trueBars()->dataCount(), 1);
    QCOMPARE(view.trueBars()->data()->at(0)->key, double(kTrueColumn));
    // The true column has a legend entry of its own, and a label over its bar.
    bool labelled = false;
    for (int i = 0; i < view.plot()->itemCount(); ++i)
        if (auto *text = qobject_cast<QCPItemText *>(view.plot()->item(i)))
            labelled = labelled || (text->visible() && text->text().startsWith("true column"));
    QVERIFY(labelled);
    QVERIFY(view.plot()->legend->hasItemWithPlottable(view.trueBars()));
    QCOMPARE(view.plot()->legend->itemWithPlottable(view.trueBars())->plottable()->name(),
             QStringLiteral("true column"));
}

void TestFeatureWeightsView::highlightShowsInThePixels()
{
    FeatureWeightsView view;
    view.resize(800, 450);
    const EpochSnapshot s = featureSnapshot();
    view.setSnapshot(s);
    const QImage image = view.plot()->toPixmap(800, 400).toImage();
    // Half-way up each bar (all bars reach above 0.002 of the axis).
    const double trueHeight = view.barValue(kTrueColumn);
    QCOMPARE(QColor(pixelAt(view, image, kTrueColumn, trueHeight / 2)).rgb(),
             FeatureWeightsView::highlightColor().rgb());
    // Column 5 is tall in row 9 only; the mean still reaches a few pixels.
    for (int c : {0, 5, 31}) {
        const double h = view.barValue(c);
        QVERIFY2(view.plot()->yAxis->coordToPixel(0.0) - view.plot()->yAxis->coordToPixel(h) > 2.0,
                 "bar too short to sample");
        QVERIFY2(QColor(pixelAt(view, image, c, h / 2)).rgb() == FeatureWeightsView::barColor().rgb(),
                 qPrintable(QStringLiteral("feature %1, height %2, pixel %3")
                                .arg(c)
                                .arg(h)
                                .arg(QColor(pixelAt(view, image, c, h / 2)).name())));
    }
}

void TestFeatureWeightsView::chosenRowShowsThatRow()
{
    FeatureWeightsView view;
    const EpochSnapshot s = featureSnapshot();
    view.setSnapshot(s);
    QSignalSpy spy(&view, &FeatureWeightsView::probeRowChanged);
    view.setProbeRow(9);
    QCOMPARE(view.probeRow(), 9);
    QCOMPARE(view.rowSelector()->currentIndex(), 10);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), 9);
    for (int c = 0; c < kFeatures; ++c)
        QCOMPARE(view.barValue(c), double(s.attention.at(9, c)));
    QVERIFY(view.summaryText().startsWith("sample 9: weight"));
    QVERIFY(view.summaryText().contains("(not its largest)"));

    // The selector drives the same state.
    view.rowSelector()->setCurrentIndex(3);
    QCOMPARE(view.probeRow(), 2);
    QCOMPARE(view.barValue(4), double(s.attention.at(2, 4)));
    QVERIFY(view.summaryText().contains("(its largest)"));
    view.rowSelector()->setCurrentIndex(0);
    QCOMPARE(view.probeRow(), -1);
    QVERIFY(std::abs(view.barValue(4) - meanOfColumn(s.attention, 4)) < 1e-6);

    // Out of range means the mean.
    view.setProbeRow(kRows);
    QCOMPARE(view.probeRow(), -1);
}

void TestFeatureWeightsView::summaryMatchesTheGrids()
{
    FeatureWeightsView view;
    const EpochSnapshot s = featureSnapshot();
    view.setSnapshot(s);
    int top = 0;
    for (int r = 0; r < kRows; ++r) {
        int arg = 0;
        for (int c = 1; c < kFeatures; ++c)
            if (s.attention.at(r, c) > s.attention.at(r, arg))
                arg = c;
        top += arg == kTrueColumn ? 1 : 0;
    }
    QCOMPARE(top, 9); // the fixture: every row but row 9
    QVERIFY(std::abs(view.meanTrueWeight() - meanOfColumn(s.attention, kTrueColumn)) < 1e-6);
    QCOMPARE(view.topShare(), double(top) / kRows);
    const QString text = view.summaryText();
    QVERIFY2(text.contains(QStringLiteral("mean weight on it %1")
                               .arg(meanOfColumn(s.attention, kTrueColumn), 0, 'f', 2)),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("in %1 of %2 rows (%3%)").arg(top).arg(kRows).arg(top * 10)),
             qPrintable(text));
    QVERIFY2(text.contains("uniform 0.03"), qPrintable(text));
}

void TestFeatureWeightsView::summaryWrapsOnANarrowPlot()
{
    FeatureWeightsView view;
    view.setSnapshot(featureSnapshot());
    view.setProbeRow(9);
    auto *summary = qobject_cast<QCPTextElement *>(view.plot()->plotLayout()->element(1, 0));
    QVERIFY(summary);
    QVERIFY(!view.summaryText().contains(QLatin1Char('\n')));
    view.plot()->toPixmap(1600, 400); // lays out at that size
    QCOMPARE(summary->text(), view.summaryText());
    view.plot()->toPixmap(380, 400);
    QVERIFY(summary->text().count(QLatin1Char('\n')) >= 2);
    QCOMPARE(QString(summary->text()).replace(QLatin1Char('\n'), QStringLiteral(" \u00b7 ")),
             view.summaryText());
    const QFontMetricsF fm(summary->font());
    for (const QString &line : summary->text().split(QLatin1Char('\n')))
        QVERIFY2(fm.horizontalAdvance(line) <= 380, qPrintable(line));
}

void TestFeatureWeightsView::yAxisStaysZeroToOne()
{
    FeatureWeightsView view;
    EpochSnapshot s = featureSnapshot();
    for (float &v : s.attention.values)
        v = 1.0f / kFeatures; // tiny, flat weights: no autoscaling
    view.setSnapshot(s);
    QCOMPARE(view.plot()->yAxis->range().lower, 0.0);
    QCOMPARE(view.plot()->yAxis->range().upper, 1.0);
    QCOMPARE(view.plot()->xAxis->range().lower, -0.5);
    QCOMPARE(view.plot()->xAxis->range().upper, kFeatures - 0.5);
}

void TestFeatureWeightsView::selectorFollowsTheRows()
{
    FeatureWeightsView view;
    view.setSnapshot(featureSnapshot());
    QCOMPARE(view.rowSelector()->count(), kRows + 1);
    QCOMPARE(view.rowSelector()->itemText(0), QStringLiteral("Mean of 10 samples"));
    QCOMPARE(view.rowSelector()->itemText(8), QStringLiteral("Sample 7"));
    view.setProbeRow(7);
    view.setSnapshot(featureSnapshot(4));
    QCOMPARE(view.rowSelector()->count(), 5);
    QCOMPARE(view.probeRow(), -1); // row 7 is gone
    QCOMPARE(view.rowSelector()->currentIndex(), 0);
    view.setProbeRow(3);
    view.setSnapshot(featureSnapshot(4, 13)); // same shape: the choice stays
    QCOMPARE(view.probeRow(), 3);
}

void TestFeatureWeightsView::withoutGroundTruthNothingIsHighlighted()
{
    FeatureWeightsView view;
    EpochSnapshot s = featureSnapshot();
    s.groundTruth = Grid{};
    view.setSnapshot(s);
    QVERIFY(view.trueColumns().empty());
    QCOMPARE(view.trueBars()->dataCount(), 0);
    QCOMPARE(view.barFillColor(kTrueColumn), FeatureWeightsView::barColor());
    QVERIFY(std::isnan(view.meanTrueWeight()));
    QVERIFY(!view.plot()->legend->hasItemWithPlottable(view.trueBars()));
}

void TestFeatureWeightsView::clearRemovesTheBars()
{
    FeatureWeightsView view;
    view.setSnapshot(featureSnapshot());
    view.clear();
    QCOMPARE(view.featureCount(), 0);
    QCOMPARE(view.otherBars()->dataCount() + view.trueBars()->dataCount(), 0);
    QCOMPARE(view.rowSelector()->count(), 1);
    QVERIFY(view.summaryText().isEmpty());
    QVERIFY(!view.plot()->axisRect()->visible()); // only the title shows
}

void TestFeatureWeightsView::darkThemeChangesTheBackground()
{
    FeatureWeightsView view;
    view.setSnapshot(featureSnapshot());
    view.setDark(true);
    QVERIFY(view.isDark());
    const QImage image = view.plot()->toPixmap(400, 300).toImage();
    QCOMPARE(QColor(image.pixel(2, 2)), attn::PlotTheme::dark().background);
    QCOMPARE(view.plot()->xAxis->basePen().color(), attn::PlotTheme::dark().foreground);
}

void TestFeatureWeightsView::savePngHonoursSizeAndScale()
{
    // ATTN_SAMPLE_PNG_DIR keeps the renders for looking at them; otherwise a temporary dir.
    QTemporaryDir tmp;
    const QString dir = qEnvironmentVariableIsSet("ATTN_SAMPLE_PNG_DIR")
                            ? qEnvironmentVariable("ATTN_SAMPLE_PNG_DIR")
                            : tmp.path();
    QDir().mkpath(dir);
    FeatureWeightsView view;
    view.resize(900, 480);
    view.setSnapshot(featureSnapshot());
    struct Case {
        const char *name;
        int w, h;
        double scale;
        QSize expected;
        bool dark;
        int row;
    };
    const Case cases[] = {{"feature-mean.png", 900, 420, 1.0, {900, 420}, false, -1},
                          {"feature-mean-2x.png", 900, 420, 2.0, {1800, 840}, false, -1},
                          {"feature-row9-dark.png", 900, 420, 1.0, {900, 420}, true, 9},
                          {"feature-odd.png", 333, 201, 1.5, {500, 302}, false, -1}};
    for (const Case &c : cases) {
        view.setDark(c.dark);
        view.setProbeRow(c.row);
        const QString path = dir + QLatin1Char('/') + QLatin1String(c.name);
        QVERIFY(view.savePng(path, c.w, c.h, c.scale));
        QImage image;
        QVERIFY(image.load(path));
        QCOMPARE(image.size(), c.expected);
        QVERIFY(std::abs(image.dotsPerMeterX() - 96.0 * c.scale / 0.0254) < 50.0); // 96*scale dpi
    }
    QVERIFY(!view.savePng(dir + "/no/such/dir/x.png", 100, 100));
    // The widget itself, selectors included, as it looks in a dock.
    FeatureWeightsView shown;
    shown.resize(640, 600);
    shown.show();
    QVERIFY(QTest::qWaitForWindowExposed(&shown));
    shown.setSnapshot(featureSnapshot());
    QCoreApplication::processEvents(); // the queued replot and the toolbar's layout
    const QPixmap grab = shown.grab();
    QCOMPARE(grab.size(), shown.size());
    QVERIFY(grab.save(dir + "/featureweightsview-widget.png"));
    QVERIFY(view.savePdf(dir + "/feature.pdf", 600, 400));
}

QTEST_MAIN(TestFeatureWeightsView)
#include "tst_featureweightsview.moc"
