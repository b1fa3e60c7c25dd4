// SPDX-License-Identifier: GPL-3.0-or-later
// The transformer's pooling attention aligns on max as the command line trains it, at the
// task's published size (80,000 rows x 10 epochs): seconds in release, too long at -O1 under the
// sanitizers, whose stage checks the transformer's layers and whole-model gradients instead.
#include "core/train/trainer.h"

#include <QTest>

using namespace attn;

class TestTransformerConvergence : public QObject {
    Q_OBJECT
private slots:
    void transformerAlignsAsOnTheCommandLine_data();
    void transformerAlignsAsOnTheCommandLine();
};

void TestTransformerConvergence::transformerAlignsAsOnTheCommandLine_data()
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

void TestTransformerConvergence::transformerAlignsAsOnTheCommandLine()
{
    // What `attention-studio --headless --task max --attention transformer --seed 7 --epochs 10
    // --layers 1 --learning-rate 0.0003` runs (makeTrainer, app/session/runsettings.cpp): the
    // published data sizes from Rng(seed), the task's batch size, the transformer's defaults
    // (model.h) but for the row's layers and learning rate.
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

QTEST_APPLESS_MAIN(TestTransformerConvergence)
#include "tst_transformerconvergence.moc"
