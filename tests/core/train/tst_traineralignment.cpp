// SPDX-License-Identifier: GPL-3.0-or-later
// The Trainer's alignment (core/train/trainer.h, docs/tasks.md "Alignment"): each snapshot's
// argmax match and ground-truth mass are over every validation row (feature: the rows whose true
// column is not 0), equal to a hand count from one forward pass, and a changed probe row changes
// the heatmap, not the alignment.
#include "core/train/trainer.h"

#include <QTest>
#include <cmath>
#include <numeric>

using namespace attn;

namespace {

/// Attention (N, T) or (N, F) of the model for every row of data, as one batch.
Mat attentionOfAll(Model &model, const Dataset &data)
{
    const int n = int(data.size());
    std::vector<int> rows(static_cast<std::size_t>(n));
    std::iota(rows.begin(), rows.end(), 0);
    Mat x(Eigen::Index(data.steps) * n, data.features), y(n, data.y.cols());
    gatherBatch(data, rows.data(), n, x, y);
    model.resize(data.steps, n);
    model.forward(x, false);
    return model.attentionWeights();
}

} // namespace

class TestTrainerAlignment : public QObject {
    Q_OBJECT
private slots:
    void alignmentOverValidationSet_data();
    void alignmentOverValidationSet();
    void alignmentIgnoresProbeRows();
};

void TestTrainerAlignment::alignmentOverValidationSet_data()
{
    QTest::addColumn<int>("task");
    QTest::newRow("max") << int(TaskKind::Max);
    QTest::newRow("feature") << int(TaskKind::Feature);
}

void TestTrainerAlignment::alignmentOverValidationSet()
{
    // The snapshot's alignment is the argmax match over every validation row (feature: the rows
    // whose true column is not 0), computed here by hand from one forward pass over all of them.
    QFETCH(int, task);
    const TaskKind kind = TaskKind(task);
    Rng rng(11);
    auto data = std::make_shared<TaskData>(makeTask(kind, rng, {256, 70}));
    ModelConfig m = data->model;
    m.hidden = 8;
    m.attentionUnits = 8;
    m.denseUnits = 8;
    Trainer tr(data, m, TrainConfig{1, 32, 1e-2, 5, OptimizerKind::Adam});
    const EpochSnapshot s = *tr.trainEpoch();

    const Dataset &val = data->validation;
    const Mat a = attentionOfAll(tr.model(), val);
    int counted = 0, matches = 0;
    double trueWeight = 0;
    for (Eigen::Index r = 0; r < val.size(); ++r) {
        Eigen::Index predicted = 0, truth = 0;
        a.row(r).maxCoeff(&predicted);
        val.groundTruth.row(r).maxCoeff(&truth);
        if (kind == TaskKind::Feature && val.x(r, truth) == 0)
            continue; // the label 0 in the true column: no information
        ++counted;
        matches += predicted == truth ? 1 : 0;
        trueWeight += a(r, truth);
    }
    QVERIFY(counted > 0);
    if (kind == TaskKind::Feature)
        QVERIFY(counted < val.size()); // some rows were skipped
    else
        QCOMPARE(counted, int(val.size()));
    QCOMPARE(s.alignmentRows, counted);
    QVERIFY(std::abs(*s.alignment - double(matches) / counted) < 1e-12);
    QVERIFY(std::abs(*s.groundTruthMass - trueWeight / counted) < 1e-9);
}

void TestTrainerAlignment::alignmentIgnoresProbeRows()
{
    // Changing one probe row changes the heatmap's row, not the alignment.
    Rng rng(11);
    auto data = std::make_shared<TaskData>(makeMaxTask(rng, {256, 70}));
    auto changed = std::make_shared<TaskData>(*data);
    changed->probe.x.row(0).setZero();
    changed->probe.x(0, 9) = 1; // the maximum moves to the last step
    changed->probe.groundTruth.row(0).setZero();
    changed->probe.groundTruth(0, 9) = 1;
    ModelConfig m = data->model;
    m.hidden = 8;
    m.attentionUnits = 8;
    const TrainConfig c{1, 32, 1e-2, 5, OptimizerKind::Adam};
    Trainer a(data, m, c), b(changed, m, c);
    const EpochSnapshot sa = *a.trainEpoch(), sb = *b.trainEpoch();
    QVERIFY(sa.attention.at(0, 9) != sb.attention.at(0, 9));
    QCOMPARE(*sa.alignment, *sb.alignment);
    QCOMPARE(*sa.groundTruthMass, *sb.groundTruthMass);
}

QTEST_APPLESS_MAIN(TestTrainerAlignment)
#include "tst_traineralignment.moc"
