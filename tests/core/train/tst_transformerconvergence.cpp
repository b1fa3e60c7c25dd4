// SPDX-License-Identifier: GPL-3.0-or-later
// The transformer's pooling attention aligns on max as the command line trains it, at the
// task's published size (80,000 rows x 5 epochs): about 9 s of CPU in release, too long at -O1
// under the sanitizers, whose stage checks the transformer's layers and gradients instead.
#include "core/train/trainer.h"

#include <QTest>
#include <algorithm>

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
    // Issue 16's done-when: `attention-studio --headless --task max --attention transformer
    // --seed 7` reaches a validation alignment of 0.8 within 10 epochs, with every default: max's
    // 5 epochs, N = 2, lr 1e-3, the warmup of learningrateschedule.h (w = 500 for 5 x 2,500
    // steps). Measured (float): 0.801, 0.849, 0.874, 0.876, 0.887; with --epochs 10 (w = 1000)
    // 0.829 after epoch 1 and 0.88-0.91 after; without the warmup 0.80 after epoch 1 falling to
    // 0.47, without the input scale at most 0.36 (docs/tasks.md). Seeds 1 and 2 do not align.
    QTest::newRow("max defaults") << int(TaskKind::Max) << 0.8;
}

void TestTransformerConvergence::transformerAlignsAsOnTheCommandLine()
{
    // What `attention-studio --headless --task max --attention transformer --seed 7` runs
    // (makeTrainer, app/session/runsettings.cpp): the published data sizes from Rng(seed), the
    // task's batch size and epochs, the transformer's defaults (model.h), the default warmup.
    QFETCH(int, task);
    QFETCH(double, threshold);
    // ATTN_TRANSFORMER_TASK (add, max), _D, _HEADS, _LAYERS, _FFN, _LR, _WARMUP, _EPOCHS, _SEED: try
    // other settings by hand (the checked row uses the defaults).
    const auto env = [](const char *name, double fallback) {
        bool ok = false;
        const double v = qEnvironmentVariable(name).toDouble(&ok);
        return ok ? v : fallback;
    };
    const TaskKind kind = qEnvironmentVariable("ATTN_TRANSFORMER_TASK") == "add" ? TaskKind::Add : TaskKind(task);
    const auto seed = std::uint64_t(env("ATTN_TRANSFORMER_SEED", 7));
    Rng dataRng(seed);
    auto data = std::make_shared<TaskData>(makeTask(kind, dataRng, {}));
    ModelConfig m = data->model;
    m.attention = AttentionKind::Transformer;
    m.modelWidth = int(env("ATTN_TRANSFORMER_D", m.modelWidth));
    m.heads = int(env("ATTN_TRANSFORMER_HEADS", m.heads));
    m.encoderLayers = int(env("ATTN_TRANSFORMER_LAYERS", m.encoderLayers));
    m.feedForwardUnits = int(env("ATTN_TRANSFORMER_FFN", m.feedForwardUnits));
    TrainConfig config{int(env("ATTN_TRANSFORMER_EPOCHS", data->epochs)), data->batchSize,
                       env("ATTN_TRANSFORMER_LR", 1e-3), seed, OptimizerKind::Adam};
    config.warmupSteps = int(env("ATTN_TRANSFORMER_WARMUP", config.warmupSteps));
    Trainer trainer(data, m, config);
    const double before = *trainer.evaluateSnapshot().alignment;
    double best = 0.0, last = 0.0;
    int reached = 0;
    while (!trainer.finished()) {
        const EpochSnapshot s = *trainer.trainEpoch();
        last = *s.alignment;
        best = std::max(best, last);
        if (reached == 0 && last >= threshold)
            reached = s.epoch;
        qInfo("epoch %d: val loss %.5f, validation alignment %.3f", s.epoch, s.valLoss, last);
    }
    qInfo("warmup %d steps; alignment before training %.3f, best %.3f, last %.3f",
          trainer.warmupSteps(), before, best, last);
    QVERIFY2(reached > 0, qPrintable(QString("alignment at most %1 < %2 in %3 epochs")
                                         .arg(best).arg(threshold).arg(trainer.epoch())));
}

QTEST_APPLESS_MAIN(TestTransformerConvergence)
#include "tst_transformerconvergence.moc"
