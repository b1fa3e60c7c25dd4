// SPDX-License-Identifier: GPL-3.0-or-later
// Seeded convergence tests on small configurations: training must make the attention align with
// the ground truth on the whole validation set (not just lower the loss), starting from an
// untrained model that does not. Covers Luong and Bahdanau (add, max), self-attention (max) and
// feature attention (the feature task, published settings), and the transformer's pooling
// attention on max as the command line runs it.
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
    void transformerAlignsAsOnTheCommandLine_data();
    void transformerAlignsAsOnTheCommandLine();
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

void TestConvergence::transformerAlignsAsOnTheCommandLine_data()
{
    QTest::addColumn<int>("task");
    QTest::addColumn<double>("threshold");
    QTest::addColumn<int>("layers");
    QTest::addColumn<double>("learningRate");
    // Measured (seed 7, float): with the defaults (N = 2, lr 1e-3) the loss falls but the pooling
    // alignment stays near 0.3: the encoder's own self-attention carries the largest value to
    // every step, so the pooling need not find it. With one layer and lr 3e-4 the pooling keeps
    // it: 0.73 after epoch 1, 0.81 after epoch 9, 0.83 after epoch 10.
    QTest::newRow("max N1 lr 3e-4") << int(TaskKind::Max) << 0.8 << 1 << 3e-4;
}

void TestConvergence::transformerAlignsAsOnTheCommandLine()
{
    // What `attention-studio --headless --task max --attention transformer --seed 7 --epochs 10
    // --layers 1 --learning-rate 0.0003` runs (makeTrainer, app/session/runsettings.cpp): the
    // published data sizes from Rng(seed), the task's batch size, the transformer's defaults
    // (model.h) but for the row's layers and learning rate.
    if (!ATTN_CONVERGENCE_FULL_DATA)
        QSKIP("trains max at its published size: release builds only (tests/CMakeLists.txt)");
    QFETCH(int, task);
    QFETCH(double, threshold);
    QFETCH(int, layers);
    QFETCH(double, learningRate);
    // ATTN_TRANSFORMER_TASK (add, max), _D, _HEADS, _LAYERS, _FFN, _LR: try other settings
    // by hand (the checked row uses the defaults).
    const auto env = [](const char *name, double fallback) {
        bool ok = false;
        const double v = qEnvironmentVariable(name).toDouble(&ok);
        return ok ? v : fallback;
    };
    const TaskKind kind = qEnvironmentVariable("ATTN_TRANSFORMER_TASK") == "add" ? TaskKind::Add : TaskKind(task);
    Rng dataRng(7);
    auto data = std::make_shared<TaskData>(makeTask(kind, dataRng, {}));
    ModelConfig m = data->model;
    m.attention = AttentionKind::Transformer;
    m.modelWidth = int(env("ATTN_TRANSFORMER_D", m.modelWidth));
    m.heads = int(env("ATTN_TRANSFORMER_HEADS", m.heads));
    m.encoderLayers = int(env("ATTN_TRANSFORMER_LAYERS", layers));
    m.feedForwardUnits = int(env("ATTN_TRANSFORMER_FFN", m.feedForwardUnits));
    const double lr = env("ATTN_TRANSFORMER_LR", learningRate);
    const int epochs = int(env("ATTN_TRANSFORMER_EPOCHS", 10));
    Trainer trainer(data, m, TrainConfig{epochs, data->batchSize, lr, 7, OptimizerKind::Adam});
    const double before = *trainer.evaluateSnapshot().alignment;
    double after = 0.0;
    while (!trainer.finished()) {
        const EpochSnapshot s = *trainer.trainEpoch();
        after = *s.alignment;
        qInfo("epoch %d: val loss %.5f, validation alignment %.3f", s.epoch, s.valLoss, after);
    }
    qInfo("alignment before training %.3f, after %.3f", before, after);
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
