// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the Trainer: the epoch snapshots of the feature, sentiment, self-attention and
// baseline runs, same seed -> same run (bit for bit), rejected configurations, warmup, short
// batches, early stopping, the faithfulness measures and the embedding's L2 term. Alignment:
// tst_traineralignment.
#include "core/train/trainer.h"
#include "core/explain/faithfulness.h"

#include <QTest>
#include <algorithm>
#include <cmath>
#include <numeric>

using namespace attn;

class TestTrainer : public QObject {
    Q_OBJECT
private slots:
    void featureSnapshot();
    void sentimentSnapshot();
    void sentimentPaddingMasked();
    void selfAttentionSnapshot();
    void baselineSnapshot();
    void sameSeedSameRun();
    void rejectsBadConfig();
    void warmupFollowsTheSchedule();
    void shortBatchStepsLikeASmallerBatch();
    void everyRowTrainsEveryEpoch();
    void earlyStoppingRestoresTheBestEpoch();
    void explainRowsAddFaithfulness();
    void embeddingL2JoinsEveryBatchLoss();
};

void TestTrainer::featureSnapshot()
{
    Rng rng(3);
    auto task = std::make_shared<TaskData>(makeFeatureTask(rng, {256, 64}));
    Trainer tr(task, task->model, TrainConfig{1, 64, 1e-3, 5, OptimizerKind::Adam});
    const EpochSnapshot s = *tr.trainEpoch();
    QCOMPARE(s.metricName, std::string("accuracy"));
    QCOMPARE(s.attention.rows, 10);
    QCOMPARE(s.attention.cols, 32);
    QCOMPARE(s.groundTruth.cols, 32);
    QCOMPARE(s.groundTruth.at(3, 1), 1.0f);
    QCOMPARE(s.argmaxAttention.cols, 32);
    QCOMPARE(s.probeInputs.cols, 32);
    QCOMPARE(s.probeInputs.at(2, 5), float(task->probe.x(2, 5)));
    QVERIFY(s.alignment.has_value());
    QVERIFY(s.groundTruthMass.has_value()); // over the validation set: alignmentOverValidationSet
    QCOMPARE(s.probePredictions.size(), std::size_t(10));
    for (int r = 0; r < 10; ++r) {
        QVERIFY(s.probePredictions[std::size_t(r)] > 0 && s.probePredictions[std::size_t(r)] < 1);
        QCOMPARE(s.probeTargets[std::size_t(r)], float(task->probe.y(r, 0)));
    }
    QVERIFY(s.headMaps.empty());
    QVERIFY(s.probeTokens.empty());
}

void TestTrainer::sentimentSnapshot()
{
    TaskSource src;
    src.directory = ATTN_SENTIMENT_DATA;
    Rng rng(7);
    auto task = std::make_shared<TaskData>(makeSentimentTask(src, rng, {300, 100}));
    ModelConfig m = task->model; // V and T come from the task
    m.hidden = 8;
    Trainer tr(task, m, TrainConfig{1, 50, 1e-3, 5, OptimizerKind::Adam});
    QCOMPARE(tr.model().config().vocabulary, task->vocabulary);
    QCOMPARE(tr.model().config().steps, 32);
    const EpochSnapshot s = *tr.trainEpoch();
    QCOMPARE(s.attention.rows, 10);
    QCOMPARE(s.attention.cols, 32);
    QVERIFY(!s.alignment.has_value());
    QVERIFY(!s.groundTruthMass.has_value());
    QVERIFY(s.groundTruth.empty());
    QCOMPARE(s.probeTokens, task->probeTokens);
    QCOMPARE(s.probeInputs.at(0, 0), float(task->probe.x(0, 0)));
    QCOMPARE(s.probeTargets.size(), std::size_t(10));
    // A model config with another vocabulary is rejected.
    m.vocabulary = 12;
    QVERIFY_THROWS_EXCEPTION(ShapeError, Trainer(task, m, TrainConfig{1, 50, 1e-3, 5}));
}

void TestTrainer::sentimentPaddingMasked()
{
    // Every mechanism, trained one epoch on sentiment with the padding mask (the default): the
    // probe sentences' padding steps (id 0) get exactly zero attention, the words' weights sum to
    // 1 (local attention: at most 1, its Gaussian is not renormalised), and the reported padding
    // mass is 0. Unmasked, the same run puts attention on the padding, and says how much.
    TaskSource src;
    src.directory = ATTN_SENTIMENT_DATA;
    Rng rng(7);
    auto task = std::make_shared<TaskData>(makeSentimentTask(src, rng, {200, 60}));
    QCOMPARE(task->train.mask.rows(), task->train.x.rows());
    QVERIFY(task->model.maskPadding);
    for (AttentionKind kind : applicableAttention(TaskKind::Sentiment)) {
        if (isBaseline(kind))
            continue;
        for (bool masked : {true, false}) {
            ModelConfig m = task->model;
            m.hidden = 8;
            m.attentionUnits = 8;
            m.attention = kind;
            m.maskPadding = masked;
            Trainer tr(task, m, TrainConfig{1, 50, 1e-3, 5, OptimizerKind::Adam});
            const EpochSnapshot s = *tr.trainEpoch();
            const std::string what = toString(kind) + (masked ? " masked" : " unmasked");
            QCOMPARE(s.probePaddingMass.size(), std::size_t(10));
            double maxPadding = 0;
            for (int r = 0; r < 10; ++r) {
                double words = 0, padding = 0;
                for (int t = 0; t < 32; ++t) {
                    if (task->probe.x(r, t) == 0)
                        padding += s.attention.at(r, t);
                    else
                        words += s.attention.at(r, t);
                    if (masked && task->probe.x(r, t) == 0)
                        QVERIFY2(s.attention.at(r, t) == 0.0f, what.c_str()); // exactly
                }
                QVERIFY2(std::abs(s.probePaddingMass[std::size_t(r)] - padding) < 1e-5, what.c_str());
                maxPadding = std::max(maxPadding, padding);
                if (masked && kind != AttentionKind::Local)
                    QVERIFY2(std::abs(words - 1) < 1e-5, what.c_str());
                else if (masked)
                    QVERIFY2(words > 0 && words <= 1 + 1e-5, what.c_str());
            }
            if (masked)
                QCOMPARE(maxPadding, 0.0);
            else
                QVERIFY2(maxPadding > 0.1, what.c_str());
        }
    }
}

void TestTrainer::selfAttentionSnapshot()
{
    Rng rng(3);
    auto task = std::make_shared<TaskData>(makeMaxTask(rng, {128, 32}));
    ModelConfig m = task->model;
    m.hidden = 8;
    m.attention = AttentionKind::SelfAttention;
    m.heads = 2;
    m.causal = true;
    Trainer tr(task, m, TrainConfig{1, 32, 1e-3, 5, OptimizerKind::Adam});
    const EpochSnapshot s = *tr.trainEpoch();
    QCOMPARE(s.headMaps.size(), std::size_t(12));
    for (const std::vector<Grid> &row : s.headMaps) {
        QCOMPARE(row.size(), std::size_t(2));
        for (const Grid &g : row) {
            QCOMPARE(g.rows, 10);
            QCOMPARE(g.cols, 10);
            for (int t = 0; t < 10; ++t) {
                double sum = 0;
                for (int c = 0; c < 10; ++c) {
                    sum += g.at(t, c);
                    if (c > t) // causal: no weight on the future
                        QCOMPARE(g.at(t, c), 0.0f);
                }
                QVERIFY(std::abs(sum - 1) < 1e-5);
            }
        }
    }
    QVERIFY(s.alignment.has_value());
}

void TestTrainer::baselineSnapshot()
{
    Rng rng(3);
    auto task = std::make_shared<TaskData>(makeAddTask(rng, {128, 32}));
    ModelConfig m = task->model;
    m.hidden = 8;
    m.attention = AttentionKind::None;
    Trainer tr(task, m, TrainConfig{1, 32, 1e-3, 5, OptimizerKind::Adam});
    const EpochSnapshot s = *tr.trainEpoch();
    QVERIFY(s.attention.empty());
    QVERIFY(!s.alignment.has_value());
    QVERIFY(!s.groundTruthMass.has_value());
    QCOMPARE(s.groundTruth.rows, 10); // the ground truth is still shown
    QVERIFY(std::isfinite(s.valLoss));
}

void TestTrainer::sameSeedSameRun()
{
    auto run = [] {
        Rng rng(3);
        auto task = std::make_shared<TaskData>(makeAddTask(rng, {256, 64}));
        ModelConfig m = task->model;
        m.hidden = 8;
        m.attentionUnits = 8;
        m.inputDropout = 0.2; // the recurrent dropout masks come from the seed too
        m.recurrentDropout = 0.3;
        Trainer tr(task, m, TrainConfig{2, 32, 1e-3, 5, OptimizerKind::Adam});
        tr.trainEpoch();
        return *tr.trainEpoch();
    };
    const EpochSnapshot a = run(), b = run();
    QCOMPARE(a.trainLoss, b.trainLoss);
    QCOMPARE(a.valLoss, b.valLoss);
    QVERIFY(a.attention.values == b.attention.values);
}

void TestTrainer::rejectsBadConfig()
{
    Rng rng(3);
    auto task = std::make_shared<TaskData>(makeAddTask(rng, {100, 20}));
    QVERIFY_THROWS_EXCEPTION(ConfigError, Trainer(task, task->model, TrainConfig{0, 10, 1e-3, 1}));
    QVERIFY_THROWS_EXCEPTION(ConfigError, Trainer(task, task->model, TrainConfig{1, 0, 1e-3, 1}));
    ModelConfig wrong = task->model;
    wrong.inputs = 3;
    QVERIFY_THROWS_EXCEPTION(ShapeError, Trainer(task, wrong, TrainConfig{1, 10, 1e-3, 1}));
}

void TestTrainer::warmupFollowsTheSchedule()
{
    // With SGD (p -= lr_t g) every step's update divided by the gradient is the learning rate it
    // used: lr_t = 0.1 min(t / 3, sqrt(3 / t)) (learningrateschedule.h), rising then falling.
    Rng rng(5);
    auto task = std::make_shared<TaskData>(makeMaxTask(rng, {64, 16}));
    ModelConfig m = task->model;
    m.attention = AttentionKind::Transformer;
    m.modelWidth = 4;
    m.encoderLayers = 1;
    m.feedForwardUnits = 6;
    TrainConfig c{1, 8, 0.1, 3, OptimizerKind::Sgd};
    c.warmupSteps = 3;
    Trainer trainer(task, m, c);
    QCOMPARE(trainer.warmupSteps(), 3);
    QCOMPARE(trainer.currentLearningRate(), 0.1 / 3);
    const std::vector<ParamRef> params = trainer.model().params();
    const int rows[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    for (long long t = 1; t <= 6; ++t) {
        std::vector<Mat> before;
        for (const ParamRef &p : params)
            before.push_back(*p.value);
        trainer.trainStep(rows, 8);
        const double expected = 0.1 * std::min(double(t) / 3.0, std::sqrt(3.0 / double(t)));
        QVERIFY(std::abs(trainer.currentLearningRate() - expected) < 1e-15);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const Mat update = before[i] - *params[i].value;
            QVERIFY2((update - expected * *params[i].grad).cwiseAbs().maxCoeff() <=
                         1e-12 * (1.0 + params[i].grad->cwiseAbs().maxCoeff()),
                     params[i].name.c_str());
        }
    }
    trainer.setLearningRate(0.2); // the peak; the next step keeps the shape
    QCOMPARE(trainer.learningRate(), 0.2);
    QVERIFY(std::abs(trainer.currentLearningRate() - 0.2 * std::sqrt(3.0 / 6.0)) < 1e-15);

    // Defaults: the transformer warms up over 1/25 of its steps (10 epochs x 100 batches -> 40),
    // every other mechanism not at all; 0 turns it off; below -1 is refused.
    auto big = std::make_shared<TaskData>(makeMaxTask(rng, {800, 16}));
    QCOMPARE(Trainer(big, m, TrainConfig{10, 8, 1e-3, 3}).warmupSteps(), 40); // 1000 steps
    QCOMPARE(Trainer(big, big->model, TrainConfig{10, 8, 1e-3, 3}).warmupSteps(), 0);
    TrainConfig off{10, 8, 1e-3, 3};
    off.warmupSteps = 0;
    QCOMPARE(Trainer(big, m, off).warmupSteps(), 0);
    off.warmupSteps = -2;
    QVERIFY_THROWS_EXCEPTION(ConfigError, Trainer(big, m, off));
    QVERIFY_THROWS_EXCEPTION(ConfigError, Trainer(big, m, TrainConfig{1, 8, 0.0, 3}));
}

void TestTrainer::shortBatchStepsLikeASmallerBatch()
{
    // A batch of 3 rows inside a trainer of batch 8 (5 free slots, exact zero gradients) takes
    // the step a trainer of batch 3 takes on the same rows: same loss, same new weights.
    Rng rng(4);
    auto task = std::make_shared<TaskData>(makeMaxTask(rng, {40, 10}));
    ModelConfig m = task->model;
    m.hidden = 6;
    m.attentionUnits = 5;
    m.dropout = m.inputDropout = m.recurrentDropout = 0.0; // masks would depend on the batch shape
    Trainer wide(task, m, TrainConfig{1, 8, 1e-2, 9, OptimizerKind::Adam});
    Trainer narrow(task, m, TrainConfig{1, 3, 1e-2, 9, OptimizerKind::Adam});
    QCOMPARE(wide.batchSize(), 8);
    const int rows[3] = {17, 2, 31};
    for (int step = 0; step < 2; ++step)
        QVERIFY(std::abs(wide.trainStep(rows, 3) - narrow.trainStep(rows, 3)) < 1e-12);
    const std::vector<ParamRef> a = wide.model().params(), b = narrow.model().params();
    for (std::size_t i = 0; i < a.size(); ++i)
        QVERIFY2((*a[i].value - *b[i].value).cwiseAbs().maxCoeff() < 1e-12, a[i].name.c_str());
    QVERIFY_THROWS_EXCEPTION(ShapeError, wide.trainStep(rows, 9));
}

void TestTrainer::everyRowTrainsEveryEpoch()
{
    // 50 rows at batch 32: two batches (32 + 18), every row once; a batch larger than the
    // training set trains it as one batch of all its rows.
    Rng rng(5);
    auto task = std::make_shared<TaskData>(makeMaxTask(rng, {50, 10}));
    Trainer tr(task, task->model, TrainConfig{1, 32, 1e-3, 1, OptimizerKind::Adam});
    QCOMPARE(tr.batchesPerEpoch(), 2);
    std::vector<long long> done, perEpoch;
    QVERIFY(tr.trainEpoch([&](const ProgressInfo &p) {
        done.push_back(p.samplesDone);
        perEpoch.push_back(p.samplesPerEpoch);
        return Trainer::Control::Continue;
    }));
    QCOMPARE(done, (std::vector<long long>{32, 50}));
    QCOMPARE(perEpoch, (std::vector<long long>{50, 50}));
    QCOMPARE(tr.step(), 2LL);
    Trainer all(task, task->model, TrainConfig{1, 200, 1e-3, 1, OptimizerKind::Adam});
    QCOMPARE(all.batchSize(), 50);
    QCOMPARE(all.batchesPerEpoch(), 1);
    QVERIFY(all.trainEpoch());
}

void TestTrainer::earlyStoppingRestoresTheBestEpoch()
{
    // A learning rate far too high makes the validation loss jump around: training stops after
    // `patience` epochs without a new minimum, and restoreBest() returns exactly to the weights
    // (and so the validation loss) of the best epoch.
    Rng rng(6);
    auto task = std::make_shared<TaskData>(makeMaxTask(rng, {128, 64}));
    ModelConfig m = task->model;
    m.hidden = 8;
    m.attentionUnits = 8;
    TrainConfig config{40, 16, 0.3, 2, OptimizerKind::Adam};
    config.patience = 3;
    Trainer tr(task, m, config);
    std::vector<double> valLoss;
    while (!tr.finished()) {
        const EpochSnapshot s = *tr.trainEpoch();
        valLoss.push_back(s.valLoss);
        const auto best = std::min_element(valLoss.begin(), valLoss.end()); // first minimum
        QCOMPARE(s.bestEpoch, int(best - valLoss.begin()) + 1);
        QCOMPARE(tr.bestEpoch(), s.bestEpoch);
    }
    QVERIFY2(tr.epoch() < 40, "the loss never stalled: no early stop to test");
    QCOMPARE(tr.epoch() - tr.bestEpoch(), 3); // stopped after exactly `patience` stale epochs
    const EpochSnapshot restored = tr.restoreBest();
    QCOMPARE(restored.epoch, tr.bestEpoch());
    QCOMPARE(restored.valLoss, valLoss[std::size_t(tr.bestEpoch() - 1)]);
    QVERIFY_THROWS_EXCEPTION(ConfigError, Trainer(task, m, TrainConfig{1, 16, 1e-3, 1, OptimizerKind::Adam, -1}));
}

void TestTrainer::explainRowsAddFaithfulness()
{
    // TrainConfig::explainRows: every snapshot (epoch 0 too) carries the measures of
    // core/explain on that many validation rows, and the same seed trains the same weights with
    // and without them (the measures use their own random stream and leave no gradient).
    Rng rng(7);
    auto data = std::make_shared<TaskData>(makeTask(TaskKind::Add, rng, {640, 100}));
    ModelConfig m = data->model;
    m.hidden = 16;
    m.attentionUnits = 16;
    TrainConfig c{2, 64, 1e-3, 7, OptimizerKind::Adam};
    Trainer plain(data, m, c);
    c.explainRows = 40;
    Trainer explained(data, m, c);
    const EpochSnapshot zero = explained.evaluateSnapshot();
    QVERIFY(zero.faithfulness);
    QCOMPARE(zero.faithfulness->rows, 40);
    QVERIFY(!plain.evaluateSnapshot().faithfulness);
    for (int e = 1; e <= 2; ++e) {
        const EpochSnapshot a = *plain.trainEpoch(), b = *explained.trainEpoch();
        QVERIFY(!a.faithfulness);
        QVERIFY(b.faithfulness);
        QCOMPARE(a.valLoss, b.valLoss);
        const FaithfulnessSummary &f = *b.faithfulness;
        for (const std::optional<double> &tau : {f.tauGradient, f.tauInputXGradient, f.tauLeaveOneOut,
                                                 f.tauIntegratedGradients})
            QVERIFY(tau && *tau >= -1 && *tau <= 1);
        for (const std::optional<double> &al : {f.alignmentAttention, f.alignmentGradient,
                                                f.alignmentInputXGradient, f.alignmentLeaveOneOut,
                                                f.alignmentIntegratedGradients})
            QVERIFY(al && *al >= 0 && *al <= 1);
        QVERIFY(f.permutationMedianAbsChange && f.uniformAbsChange);
        QVERIFY(!f.decisionFlipShare); // regression
        QVERIFY(f.seconds > 0);
        // The probe rows' attributions, (P, T) each, are attributeRows on the probe set at
        // this epoch's weights.
        const Attributions p = attributeRows(explained.model(), *data, data->probe,
                                             int(data->probe.size()));
        const std::pair<const Grid *, const Mat *> grids[] = {
            {&f.probeGradient, &p.gradient}, {&f.probeInputXGradient, &p.inputXGradient},
            {&f.probeLeaveOneOut, &p.leaveOneOut}, {&f.probeIntegratedGradients, &p.integratedGradients}};
        for (const auto &[g, m] : grids) {
            QCOMPARE(g->rows, int(data->probe.size()));
            QCOMPARE(g->cols, 20);
            for (int r = 0; r < g->rows; ++r)
                for (int c = 0; c < g->cols; ++c)
                    QVERIFY(std::abs(double(g->at(r, c)) - double((*m)(r, c))) <=
                            1e-5 * (1 + std::abs(double((*m)(r, c)))));
        }
    }
}

void TestTrainer::embeddingL2JoinsEveryBatchLoss()
{
    // Keras' embeddings_regularizer=l2(l): the step's loss is the data loss plus l sum(W^2) of
    // the embedding before the step, whole (not per row), and the step moves W by its gradient.
    TaskSource src;
    src.directory = ATTN_SENTIMENT_DATA;
    Rng rng(7);
    auto task = std::make_shared<TaskData>(makeSentimentTask(src, rng, {200, 60}));
    ModelConfig m = task->model;
    m.hidden = 8;
    TrainConfig plain{1, 50, 1e-3, 5, OptimizerKind::Sgd};
    TrainConfig l2 = plain;
    l2.embeddingL2 = 0.5;
    Trainer a(task, m, plain), b(task, m, l2);
    Mat before;
    for (const ParamRef &p : b.model().params())
        if (p.name == "embedding.weight")
            before = *p.value;
    QVERIFY(before.size() > 0);
    std::vector<int> rows(50);
    std::iota(rows.begin(), rows.end(), 0);
    const double la = a.trainStep(rows.data(), 50), lb = b.trainStep(rows.data(), 50);
    QVERIFY(std::abs(lb - la - 0.5 * before.squaredNorm()) < 1e-9 * lb);
    // SGD: W - lr (dData + 2 l W); the rows of words not in the batch move by lr 2 l W alone.
    Mat afterA, afterB;
    for (const ParamRef &p : a.model().params())
        if (p.name == "embedding.weight")
            afterA = *p.value;
    for (const ParamRef &p : b.model().params())
        if (p.name == "embedding.weight")
            afterB = *p.value;
    QVERIFY((afterA - (afterB + 1e-3 * 2 * 0.5 * before)).cwiseAbs().maxCoeff() < 1e-12);
    QVERIFY_THROWS_EXCEPTION(ConfigError, Trainer(task, m, TrainConfig{1, 50, 1e-3, 5, OptimizerKind::Adam, 0, 0, -1.0}));
}

QTEST_APPLESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
