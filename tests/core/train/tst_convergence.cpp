// SPDX-License-Identifier: GPL-3.0-or-later
// Seeded convergence tests on small configurations: training must make the attention align with
// the ground truth on the whole validation set (not just lower the loss), starting from an
// untrained model that does not. Covers Luong and Bahdanau (add, max), self-attention (max) and
// feature attention (the feature task, published settings). The transformer's:
// tst_transformerconvergence.
#include "core/train/trainer.h"

#include <QTest>
#include <numeric>

using namespace attn;

class TestConvergence : public QObject {
    Q_OBJECT
private slots:
    void attentionAligns_data();
    void attentionAligns();
    void featureAttentionFindsTheTrueColumn();
};

void TestConvergence::attentionAligns_data()
{
    QTest::addColumn<int>("task");
    QTest::addColumn<QString>("attention");
    QTest::addColumn<int>("epochs");
    QTest::addColumn<double>("threshold");
    QTest::addColumn<int>("hidden");
    QTest::newRow("max luong") << int(TaskKind::Max) << "luong" << 8 << 0.8 << 64;
    QTest::newRow("max bahdanau") << int(TaskKind::Max) << "bahdanau" << 4 << 0.9 << 32;
    QTest::newRow("add bahdanau") << int(TaskKind::Add) << "bahdanau" << 25 << 0.85 << 32;
    // Self-attention's weights are the attention each step receives, averaged over queries (and
    // heads); chance is 1/T = 0.1.
    QTest::newRow("max self") << int(TaskKind::Max) << "self" << 4 << 0.8 << 32;
}

void TestConvergence::attentionAligns()
{
    QFETCH(int, task);
    QFETCH(QString, attention);
    QFETCH(int, epochs);
    QFETCH(double, threshold);
    QFETCH(int, hidden);
    Rng rng(7);
    auto data = std::make_shared<TaskData>(makeTask(TaskKind(task), rng, {4000, 1000}));
    ModelConfig m = data->model;
    m.hidden = hidden;
    m.attentionUnits = hidden;
    m.attention = *attentionKindFromString(attention.toStdString());
    Trainer trainer(data, m, TrainConfig{epochs, 32, 3e-3, 7, OptimizerKind::Adam});
    // The snapshots' alignment is measured over every validation row (docs/tasks.md, "Alignment").
    const double before = *trainer.evaluateSnapshot().alignment;
    double after = 0.0, firstLoss = 0.0, lastLoss = 0.0;
    while (!trainer.finished()) {
        const EpochSnapshot s = *trainer.trainEpoch();
        after = *s.alignment;
        firstLoss = s.epoch == 1 ? s.valLoss : firstLoss;
        lastLoss = s.valLoss;
        qInfo("epoch %d: val loss %.5f, validation alignment %.3f", s.epoch, s.valLoss, after);
    }
    qInfo("alignment before training %.3f, after %.3f", before, after);
    QVERIFY2(before < 0.5, "an untrained model should not already align");
    QVERIFY(lastLoss < firstLoss);
    QVERIFY2(after >= threshold, qPrintable(QString("alignment %1 < %2").arg(after).arg(threshold)));
}

void TestConvergence::featureAttentionFindsTheTrueColumn()
{
    // The Keras feature-selection demo with its published settings and seed 7: F = 32, the label
    // is copied into column 1; feature attention -> Dense(64) -> Dense(1), Adam, batch 64.
    Rng rng(7);
    auto data = std::make_shared<TaskData>(makeFeatureTask(rng));
    Trainer trainer(data, data->model, TrainConfig{data->epochs, data->batchSize, data->learningRate,
                                                    7, OptimizerKind::Adam});
    const Dataset &val = data->validation;
    const int n = int(val.size());
    // Share of validation rows whose largest weight is on column 1, and the mean attention vector.
    auto measure = [&](Vec &mean) {
        trainer.model().resize(1, n);
        trainer.model().forward(val.x, false);
        const Mat &a = trainer.model().attentionWeights(); // (n, F)
        mean = a.colwise().mean();
        const double share = *alignment(AlignmentKind::ArgmaxMatch, a, val.groundTruth);
        trainer.model().resize(1, trainer.config().batchSize);
        return share;
    };
    Vec mean;
    const double before = measure(mean);
    while (!trainer.finished())
        trainer.trainEpoch();
    const double after = measure(mean);
    Eigen::Index top = 0;
    mean.maxCoeff(&top);
    Vec others = mean;
    others(1) = 0;
    qInfo("rows with the largest weight on column 1: before %.3f, after %.3f; mean weight on "
          "column 1 %.3f, largest other %.3f", before, after, double(mean(1)), double(others.maxCoeff()));
    QVERIFY(before < 0.2);
    QVERIFY(after >= 0.85);
    QCOMPARE(top, Eigen::Index(1));
    QVERIFY(mean(1) > 3 * others.maxCoeff());
}

QTEST_APPLESS_MAIN(TestConvergence)
#include "tst_convergence.moc"
