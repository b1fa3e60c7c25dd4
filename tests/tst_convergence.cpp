// SPDX-License-Identifier: GPL-3.0-or-later
// Seeded convergence tests on small configurations: training must make the attention align with
// the ground truth on the whole validation set (not just lower the loss), starting from an
// untrained model that does not.
#include "core/trainer.h"

#include <QTest>
#include <numeric>

using namespace attn;

namespace {

// Alignment of the model's attention with the ground truth over every validation row.
double validationAlignment(Trainer &trainer)
{
    const Dataset &val = trainer.task().validation;
    const int n = int(val.size()), T = val.steps;
    std::vector<int> rows(static_cast<std::size_t>(n));
    std::iota(rows.begin(), rows.end(), 0);
    Mat x(Eigen::Index(T) * n, val.features), y(n, val.y.cols());
    gatherBatch(val, rows.data(), n, x, y);
    trainer.model().resize(T, n);
    trainer.model().forward(x, false);
    const double a = *alignment(trainer.task().alignment, trainer.model().attentionWeights(),
                                val.groundTruth);
    trainer.model().resize(T, trainer.config().batchSize);
    return a;
}

} // namespace

class TestConvergence : public QObject {
    Q_OBJECT
private slots:
    void attentionAligns_data();
    void attentionAligns();
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
    const double before = validationAlignment(trainer);
    double after = 0.0, firstLoss = 0.0, lastLoss = 0.0;
    while (!trainer.finished()) {
        const EpochSnapshot s = *trainer.trainEpoch();
        after = validationAlignment(trainer);
        firstLoss = s.epoch == 1 ? s.valLoss : firstLoss;
        lastLoss = s.valLoss;
        qInfo("epoch %d: val loss %.5f, validation alignment %.3f, probe alignment %.3f", s.epoch,
              s.valLoss, after, s.alignment.value_or(-1));
    }
    qInfo("alignment before training %.3f, after %.3f", before, after);
    QVERIFY2(before < 0.5, "an untrained model should not already align");
    QVERIFY(lastLoss < firstLoss);
    QVERIFY2(after >= threshold, qPrintable(QString("alignment %1 < %2").arg(after).arg(threshold)));
}

QTEST_APPLESS_MAIN(TestConvergence)
#include "tst_convergence.moc"
