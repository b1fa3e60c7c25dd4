// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of ExplainView: the heatmap rows of a probe row (attention as it is, each attribution
// as its share |a_t| / sum |a_s|, the ground truth) on one colour scale whose top is the largest
// value shown, the cell colours that follow, the probe row selector, the curves over epochs with
// the replay marker and gaps, the what-if edit (renormalised over the real steps, padding kept at
// 0, the request emitted, a stale answer ignored, reset), and PNG export. QT_QPA_PLATFORM=offscreen.
#include "widgets/explainview.h"

#include "widgets/colormap.h"
#include "widgets/explaincurves.h"

#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <numeric>

using attn::EpochSnapshot;
using attn::ExplainView;
using attn::Grid;

namespace {

Grid grid(int rows, int cols, std::vector<float> values)
{
    Grid g;
    g.rows = rows;
    g.cols = cols;
    g.values = std::move(values);
    return g;
}

// Two probe rows over 4 steps; row 1's numbers are chosen so the shares are easy by hand.
EpochSnapshot snapshot(int epoch)
{
    EpochSnapshot s;
    s.epoch = epoch;
    s.totalEpochs = 5;
    s.attention = grid(2, 4, {0.1f, 0.2f, 0.3f, 0.4f, 0.25f, 0.25f, 0.25f, 0.25f});
    s.groundTruth = grid(2, 4, {0, 1, 0, 0, 0, 0, 1, 1});
    s.probeTargets = {0.5f, 0.7f};
    attn::FaithfulnessSummary f;
    f.rows = 256;
    f.probeGradient = grid(2, 4, {1, 1, 1, 1, 0, 0, 3, 1});               // row 1: 0, 0, .75, .25
    f.probeInputXGradient = grid(2, 4, {-2, 1, 1, 0, 1, -1, 1, -1});      // row 1: .25 each
    f.probeLeaveOneOut = grid(2, 4, {0, 0, 0, 0, 0.1f, 0.1f, 0.2f, 0.6f}); // row 0: all 0
    f.probeIntegratedGradients = grid(2, 4, {1, 0, 0, 0, -0.5f, 0, 0, 0.5f});
    f.tauGradient = 0.1 * epoch;
    f.alignmentAttention = 0.2 * epoch;
    f.alignmentLeaveOneOut = epoch == 2 ? std::nullopt : std::optional<double>(0.1 * epoch);
    f.permutationMedianAbsChange = 0.05 * epoch;
    f.uniformAbsChange = 0.02 * epoch;
    s.faithfulness = f;
    return s;
}

} // namespace

class TestExplainView : public QObject {
    Q_OBJECT
private slots:
    void rowsShowSharesOnOneScale();
    void probeRowSelector();
    void noMeasuresSaysHow();
    void columnLabelNamesTheStep();
    void curvesFollowEpochsAndMarker();
    void renormalisedWeightsByHand();
    void whatIfRequestsAndShowsTheAnswer();
    void exportsPng();
};

void TestExplainView::rowsShowSharesOnOneScale()
{
    ExplainView view;
    view.resize(1200, 800);
    view.setSnapshot(snapshot(3));
    view.setProbeRow(1);
    QCOMPARE(view.probeRow(), 1);
    const std::vector<ExplainView::Row> rows = view.rows();
    QCOMPARE(int(rows.size()), 6); // five methods and the ground truth, no edit yet
    QCOMPARE(rows.back(), ExplainView::GroundTruth);
    QCOMPARE(view.cellValue(ExplainView::Attention, 2), 0.25);
    QCOMPARE(view.cellValue(ExplainView::Gradient, 2), 0.75);
    QCOMPARE(view.cellValue(ExplainView::Gradient, 0), 0.0);
    QCOMPARE(view.cellValue(ExplainView::InputXGradient, 1), 0.25); // |-1| / 4
    QCOMPARE(view.cellValue(ExplainView::IntegratedGradients, 3), 0.5);
    QCOMPARE(view.cellValue(ExplainView::LeaveOneOut, 3), 0.6000000238418579); // float 0.6 / 1.0
    QCOMPARE(view.cellValue(ExplainView::GroundTruth, 3), 1.0);
    QVERIFY(std::isnan(view.cellValue(ExplainView::EditedAttention, 0)));
    QVERIFY(std::isnan(view.cellValue(ExplainView::Gradient, 4)));
    // One scale: 0 .. the largest method value shown (0.75), whatever the row.
    QCOMPARE(view.colorRange().lower, 0.0);
    QCOMPARE(view.colorRange().upper, 0.75);
    QCPColorGradient g = attn::colorMapGradient(attn::ColorMapKind::Viridis);
    QCOMPARE(view.cellColor(ExplainView::Gradient, 2), QColor::fromRgba(g.color(0.75, QCPRange(0, 0.75))));
    // The same value draws the same colour in different rows: attention 0.25 and the input x
    // gradient share 0.25.
    QCOMPARE(view.cellColor(ExplainView::Attention, 0), view.cellColor(ExplainView::InputXGradient, 0));
    QVERIFY(view.cellColor(ExplainView::Attention, 0) != view.cellColor(ExplainView::Gradient, 2));
    // The ground truth's 1 lies above the scale: drawn with its top colour.
    QCOMPARE(view.cellColor(ExplainView::GroundTruth, 3), view.cellColor(ExplainView::Gradient, 2));
    QVERIFY(view.title().contains("Epoch 3 / 5"));
    QVERIFY(view.title().contains("probe row 1"));
}

void TestExplainView::probeRowSelector()
{
    ExplainView view;
    view.setSnapshot(snapshot(1));
    QCOMPARE(view.cellValue(ExplainView::Attention, 3), double(0.4f));
    // Row 0's leave-one-out is all zero: a row of zeros stays zero.
    QCOMPARE(view.cellValue(ExplainView::LeaveOneOut, 0), 0.0);
    QCOMPARE(view.colorRange().upper, 1.0); // integrated gradients' share 1 at step 0
    view.setProbeRow(7); // clamped to the last row
    QCOMPARE(view.probeRow(), 1);
    QCOMPARE(view.cellValue(ExplainView::Attention, 3), 0.25);
}

void TestExplainView::noMeasuresSaysHow()
{
    ExplainView view;
    QVERIFY(view.title().contains("No epoch"));
    EpochSnapshot s = snapshot(1);
    s.faithfulness.reset();
    view.setSnapshot(s);
    QVERIFY(view.rows().empty());
    QVERIFY(view.title().contains("Explain"));
    QVERIFY(std::isnan(view.cellValue(ExplainView::Attention, 0)));
}

void TestExplainView::columnLabelNamesTheStep()
{
    // The heatmap's x axis: "time step" unless the window says a column is a feature.
    ExplainView view;
    view.setSnapshot(snapshot(1));
    const auto heatAxisLabel = [&view] {
        for (int i = 0; i < view.plot()->plottableCount(); ++i)
            if (auto *map = qobject_cast<QCPColorMap *>(view.plot()->plottable(i)))
                return map->keyAxis()->label();
        return QString();
    };
    QCOMPARE(heatAxisLabel(), QStringLiteral("time step"));
    view.setColumnLabel(QStringLiteral("feature"));
    QCOMPARE(heatAxisLabel(), QStringLiteral("feature"));
    view.clear();
    QCOMPARE(heatAxisLabel(), QStringLiteral("feature")); // kept for the run's next epochs
}

void TestExplainView::curvesFollowEpochsAndMarker()
{
    ExplainView view;
    for (int e = 0; e <= 3; ++e)
        view.appendEpoch(snapshot(e));
    QCOMPARE(view.pointCount(), 4);
    attn::ExplainCurves *c = view.curves();
    QCOMPARE(c->tauGraph(1)->data()->size(), 4);
    QCOMPARE(c->tauGraph(1)->data()->at(3)->value, 0.1 * 3);
    QCOMPARE(c->alignmentGraph(0)->data()->at(2)->value, 0.2 * 2);
    QVERIFY(std::isnan(c->alignmentGraph(3)->data()->at(2)->value)); // a gap at epoch 2
    QCOMPARE(c->permutationGraph()->data()->at(3)->value, 0.05 * 3);
    QCOMPARE(c->uniformGraph()->data()->at(1)->value, 0.02);
    QVERIFY(!c->tauGraph(0)); // attention has no tau with itself
    // A restarted run: epoch 1 again replaces epochs 1 and later.
    view.appendEpoch(snapshot(1));
    QCOMPARE(view.pointCount(), 2);
    view.setSnapshot(snapshot(1));
    QCOMPARE(c->markerEpoch(), 1);
    for (QCPItemStraightLine *line : c->markers()) {
        QVERIFY(line->visible());
        QCOMPARE(line->point1->key(), 1.0);
    }
    view.setHistory({snapshot(0), snapshot(1), snapshot(2)});
    QCOMPARE(view.pointCount(), 3);
    view.clear();
    QCOMPARE(view.pointCount(), 0);
    QVERIFY(!c->markers()[0]->visible());
}

void TestExplainView::renormalisedWeightsByHand()
{
    // Step 1 set to 0.5: the others (0.1, 0.3, 0.4 of 0.8) share 0.5 in proportion.
    std::vector<float> w = attn::renormalisedWeights({0.1f, 0.2f, 0.3f, 0.4f}, {true, true, true, true}, 1, 0.5);
    QCOMPARE(w[1], 0.5f);
    QVERIFY(std::abs(w[0] - 0.0625f) < 1e-6f && std::abs(w[2] - 0.1875f) < 1e-6f && std::abs(w[3] - 0.25f) < 1e-6f);
    // Padding stays 0 and takes no share; the real steps sum to 1.
    w = attn::renormalisedWeights({0.5f, 0.5f, 0.0f}, {true, true, false}, 0, 0.9);
    QVERIFY(std::abs(w[0] - 0.9f) < 1e-6f && std::abs(w[1] - 0.1f) < 1e-6f);
    QCOMPARE(w[2], 0.0f);
    // From one-hot, lowering the hot step spreads the rest evenly over the other real steps.
    w = attn::renormalisedWeights({0, 1, 0, 0}, {true, true, true, false}, 1, 0.4);
    QVERIFY(std::abs(w[0] - 0.3f) < 1e-6f && std::abs(w[2] - 0.3f) < 1e-6f);
    QCOMPARE(w[3], 0.0f);
    // Out of range or padding: unchanged; the value is clamped to 0..1.
    QCOMPARE(attn::renormalisedWeights({0.5f, 0.5f}, {true, false}, 1, 0.2), (std::vector<float>{0.5f, 0.5f}));
    QCOMPARE(attn::renormalisedWeights({0.5f, 0.5f}, {true, true}, 0, 3.0)[0], 1.0f);
}

void TestExplainView::whatIfRequestsAndShowsTheAnswer()
{
    ExplainView view;
    view.resize(1200, 800);
    EpochSnapshot s = snapshot(2);
    s.probeTokens = {{"a", "b", "c", "d"}, {"w", "x", "y", ""}}; // row 1: step 3 is padding
    s.attention = grid(2, 4, {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.25f, 0.25f, 0.0f});
    view.setSnapshot(s);
    view.setProbeRow(1);
    QSignalSpy spy(&view, &ExplainView::whatIfRequested);
    QVERIFY(!view.applyWeight(0.5)); // no step selected
    view.selectStep(3); // padding cannot be edited
    QCOMPARE(view.selectedStep(), -1);
    view.selectStep(1);
    QCOMPARE(view.selectedStep(), 1);
    QVERIFY(view.applyWeight(0.75));
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy[0][0].toInt(), 2);
    QCOMPARE(spy[0][1].toInt(), 1);
    const std::vector<float> asked = spy[0][2].value<std::vector<float>>();
    QCOMPARE(asked, view.editedWeights());
    QVERIFY(std::abs(asked[0] - 0.1667f) < 1e-3f && asked[1] == 0.75f && std::abs(asked[2] - 0.0833f) < 1e-3f);
    QCOMPARE(asked[3], 0.0f);
    QCOMPARE(view.rows().back(), ExplainView::EditedAttention);
    QCOMPARE(view.cellValue(ExplainView::EditedAttention, 1), 0.75);
    QCOMPARE(view.cellValue(ExplainView::Attention, 1), 0.25); // the trained row is kept
    // A stale answer (other weights) is ignored; the right one is shown.
    view.showWhatIf(1, {1, 0, 0, 0}, 0.1, 0.2, 2);
    QVERIFY(view.whatIfText().startsWith("Computing"));
    view.showWhatIf(1, asked, 0.6125, 0.7, 2);
    QVERIFY(view.whatIfText().contains("0.6125"));
    QVERIFY(view.whatIfText().contains("0.7 with the edited"));
    QVERIFY(view.whatIfText().contains("target 0.7"));
    view.resetWhatIf();
    QVERIFY(view.editedWeights().empty());
    QVERIFY(view.whatIfText().isEmpty());
    QCOMPARE(int(view.rows().size()), 6);
    // Another epoch drops an edit.
    view.applyWeight(0.5);
    QVERIFY(!view.editedWeights().empty());
    view.setSnapshot(snapshot(3));
    QVERIFY(view.editedWeights().empty());
}

void TestExplainView::exportsPng()
{
    ExplainView view;
    view.setSnapshot(snapshot(2));
    QTemporaryDir dir;
    QString error;
    QVERIFY2(view.savePng(dir.filePath("e.png"), 900, 600, 2.0, &error), qPrintable(error));
    const QImage image(dir.filePath("e.png"));
    QCOMPARE(image.size(), QSize(1800, 1200));
    QVERIFY(!view.savePng(dir.filePath("missing/e.png"), 900, 600, 1.0, &error));
    QVERIFY(error.startsWith(dir.filePath("missing/e.png")));
}

QTEST_MAIN(TestExplainView)
#include "tst_explainview.moc"
