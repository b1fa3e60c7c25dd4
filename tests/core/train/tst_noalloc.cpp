// SPDX-License-Identifier: GPL-3.0-or-later
// Proves a training step allocates nothing once the model is built: Eigen's runtime malloc
// guard (EIGEN_RUNTIME_NO_MALLOC, turned into an exception in attn_core_f64) plus a count of
// every global operator new during the step, for every task, attention kind, recurrent cell
// and dropout option.
#include "core/train/trainer.h"
#include "tests/allocationcounter.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

class TestNoAlloc : public QObject {
    Q_OBJECT
private slots:
    void trainingStepDoesNotAllocate_data();
    void trainingStepDoesNotAllocate();
};

void TestNoAlloc::trainingStepDoesNotAllocate_data()
{
    QTest::addColumn<QString>("task");
    QTest::addColumn<QString>("attention");
    QTest::addColumn<double>("dropout");
    QTest::addColumn<QString>("variant");
    QTest::newRow("add luong + dropout") << "add" << "luong" << 0.2 << "";
    QTest::newRow("add luong-dot") << "add" << "luong-dot" << 0.0 << "";
    QTest::newRow("add bahdanau") << "add" << "bahdanau" << 0.2 << "";
    QTest::newRow("add feed-forward") << "add" << "feed-forward" << 0.2 << "";
    QTest::newRow("add local") << "add" << "local" << 0.0 << "";
    QTest::newRow("add local-m") << "add" << "local-m" << 0.0 << "";
    QTest::newRow("add transformer K4 + encoder dropout") << "add" << "transformer" << 0.2 << "heads 4 encoder dropout";
    QTest::newRow("add transformer pre-norm") << "add" << "transformer" << 0.0 << "pre-norm";
    QTest::newRow("add self") << "add" << "self" << 0.0 << "";
    QTest::newRow("add self K4 causal window 3") << "add" << "self" << 0.2 << "heads 4 causal window 3";
    QTest::newRow("add none (baseline Dense)") << "add" << "none" << 0.2 << "";
    QTest::newRow("max none (no hidden layer)") << "max" << "none" << 0.0 << "no hidden layer";
    QTest::newRow("add gru bahdanau") << "add" << "bahdanau" << 0.0 << "gru";
    QTest::newRow("add lstm input + recurrent dropout") << "add" << "luong" << 0.0 << "recurrent dropout";
    QTest::newRow("add gru input + recurrent dropout") << "add" << "feed-forward" << 0.0 << "gru recurrent dropout";
    QTest::newRow("feature") << "feature" << "feature" << 0.0 << "";
    QTest::newRow("feature none") << "feature" << "none" << 0.2 << "";
    QTest::newRow("autoencoder after the first layer") << "autoencoder" << "feature" << 0.5 << "";
    QTest::newRow("autoencoder on the inputs") << "autoencoder" << "feature" << 0.5 << "on inputs";
    QTest::newRow("autoencoder none") << "autoencoder" << "none" << 0.5 << "";
    QTest::newRow("sentiment feed-forward") << "sentiment" << "feed-forward" << 0.0 << "";
    QTest::newRow("sentiment none") << "sentiment" << "none" << 0.0 << "";
    // Padding masked (the sentiment default) in every mechanism that reads the mask.
    QTest::newRow("sentiment luong") << "sentiment" << "luong" << 0.0 << "";
    QTest::newRow("sentiment bahdanau gru") << "sentiment" << "bahdanau" << 0.0 << "gru";
    QTest::newRow("sentiment local") << "sentiment" << "local" << 0.0 << "";
    QTest::newRow("sentiment local-m") << "sentiment" << "local-m" << 0.0 << "";
    QTest::newRow("sentiment transformer") << "sentiment" << "transformer" << 0.0 << "";
    QTest::newRow("sentiment self + recurrent dropout") << "sentiment" << "self" << 0.0 << "recurrent dropout";
    // The published recipe (dropouts, L2 on the embedding, normal init, unmasked) and its plain
    // LSTM; keras-imdb's embedding dropout.
    QTest::newRow("sentiment published feed-forward") << "sentiment" << "feed-forward" << 0.0 << "published";
    QTest::newRow("sentiment published plain") << "sentiment" << "plain" << 0.0 << "published";
    QTest::newRow("sentiment luong embedding dropout") << "sentiment" << "luong" << 0.5 << "embedding dropout";
}

void TestNoAlloc::trainingStepDoesNotAllocate()
{
    QFETCH(QString, task);
    QFETCH(QString, attention);
    QFETCH(double, dropout);
    QFETCH(QString, variant);
    Rng rng(1);
    // The published models at their real sizes (large GEMMs included).
    const TaskKind kind = *taskKindFromString(task.toStdString());
    TaskSource source;
    source.directory = ATTN_SENTIMENT_DATA;
    auto data = std::make_shared<TaskData>(makeTask(kind, rng, {256, 64}, source));
    ModelConfig m = data->model;
    m.attention = *attentionKindFromString(attention.toStdString());
    m.dropout = dropout;
    if (variant.contains("gru"))
        m.cell = RecurrentCell::Gru;
    if (variant.contains("recurrent dropout")) {
        m.inputDropout = 0.2;
        m.recurrentDropout = 0.3;
    }
    if (variant.contains("heads 4")) {
        m.heads = 4;
        m.causal = true;
        m.window = 3;
    }
    if (variant.contains("encoder dropout"))
        m.encoderDropout = 0.1;
    if (variant.contains("pre-norm"))
        m.preNorm = true;
    if (variant.contains("on inputs"))
        m.attentionOnInputs = true;
    if (variant.contains("no hidden layer"))
        m.baselineUnits = 0;
    TrainConfig train{1, data->batchSize, 1e-3, 7, OptimizerKind::Adam};
    train.threads = 2; // the batch slices' worker thread allocates nothing either
    if (variant.contains("published")) {
        m.inputDropout = 0.3;
        m.recurrentDropout = 0.2;
        m.normalAttentionInit = true;
        m.maskPadding = false;
        train.embeddingL2 = 1e-3;
    }
    if (variant.contains("embedding dropout"))
        m.embeddingDropout = 0.5;
    const int B = data->batchSize;
    Trainer trainer(data, m, train);
    // The transformer's steps go through the learning-rate warmup (its default): checked too.
    QVERIFY(m.attention != AttentionKind::Transformer || trainer.warmupSteps() > 0);
    std::vector<int> rows(static_cast<std::size_t>(B));
    for (int i = 0; i < B; ++i)
        rows[std::size_t(i)] = (i * 3) % 256;
    trainer.trainStep(rows.data(), B); // warm-up: workspaces sized here

    verifyNoAllocation([&] { trainer.trainStep(rows.data(), B); });
    // The short last batch of an epoch keeps every buffer: no allocation either.
    verifyNoAllocation([&] { trainer.trainStep(rows.data(), B / 3); });
}

QTEST_APPLESS_MAIN(TestNoAlloc)
#include "tst_noalloc.moc"
