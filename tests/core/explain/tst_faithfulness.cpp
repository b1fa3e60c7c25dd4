// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of measureFaithfulness (core/explain/faithfulness.h) on trained models, in float like
// tst_convergence: the add task with its published defaults (bahdanau, seed 7) after 12 epochs,
// where leave-one-out finds the two numbers; the feature task (attributions over features,
// classification flips), the no-attention baseline, and sentiment (token ids, padding masked,
// no ground truth).
#include "core/explain/faithfulness.h"
#include "core/train/trainer.h"

#include <QTest>
#include <cmath>

using namespace attn;

namespace {

void print(const char *what, const FaithfulnessReport &r)
{
    auto v = [](const std::optional<double> &x) { return x ? *x : std::nan(""); };
    qInfo("%s, %d rows, %.2f s: tau grad %.3f ixg %.3f loo %.3f ig %.3f; alignment attention %.3f "
          "grad %.3f ixg %.3f loo %.3f ig %.3f; permutation %.4f uniform %.4f flips %.3f; "
          "IG gap %.4f of %.4f",
          what, r.rows, r.seconds, v(r.gradient.kendallTau), v(r.inputXGradient.kendallTau),
          v(r.leaveOneOut.kendallTau), v(r.integratedGradients.kendallTau), v(r.attentionAlignment),
          v(r.gradient.alignment), v(r.inputXGradient.alignment), v(r.leaveOneOut.alignment),
          v(r.integratedGradients.alignment), v(r.permutationMedianAbsChange), v(r.uniformAbsChange),
          v(r.decisionFlipShare), r.completenessGap, r.completenessDelta);
}

bool inRange(const std::optional<double> &v, double lo, double hi)
{
    return v && *v >= lo && *v <= hi;
}

// Trains the task's published model (with the given mechanism) for `epochs` epochs.
std::unique_ptr<Trainer> trained(std::shared_ptr<const TaskData> task, AttentionKind attention,
                                 int epochs)
{
    ModelConfig m = task->model;
    m.attention = attention;
    auto trainer = std::make_unique<Trainer>(
        task, m, TrainConfig{epochs, task->batchSize, task->learningRate, 7, OptimizerKind::Adam});
    while (!trainer->finished())
        trainer->trainEpoch();
    return trainer;
}

} // namespace

class TestFaithfulness : public QObject {
    Q_OBJECT
private slots:
    void addLeaveOneOutFindsTheNumbers();
    void featureTask();
    void baselineHasNoAttentionMeasures();
    void sentimentTokens();
    void rejectsBadOptions();
    void attributeRowsMatchesTheSample();
    void trainingMeanOfEachFeature();
};

void TestFaithfulness::addLeaveOneOutFindsTheNumbers()
{
    // The add task as the app builds it with seed 7 (data, weights, shuffling), published
    // defaults: LSTM(100) -> bahdanau(128) -> Dropout(0.2) -> Dense(1), 12 epochs.
    Rng dataRng(7);
    auto task = std::make_shared<const TaskData>(makeTask(TaskKind::Add, dataRng));
    auto trainer = trained(task, AttentionKind::Bahdanau, 12);
    Attributions a;
    FaithfulnessOptions zero;
    zero.neutral = FaithfulnessOptions::Neutral::Zero;
    const FaithfulnessReport r = measureFaithfulness(trainer->model(), *task, zero, &a);
    print("add bahdanau, epoch 12, x' = 0", r);
    print("add bahdanau, epoch 12, x' = training mean", measureFaithfulness(trainer->model(), *task));
    QCOMPARE(r.rows, 256);
    QCOMPARE(a.leaveOneOut.rows(), Eigen::Index(256));
    QCOMPARE(a.leaveOneOut.cols(), Eigen::Index(20));
    // The attention has found the two numbers (its alignment over the sample), and so has
    // input x gradient (zero on the delimiters, x = 0, small elsewhere).
    QVERIFY(inRange(r.attentionAlignment, 0.8, 1.0));
    QVERIFY(inRange(r.inputXGradient.alignment, 0.6, 1.0));
    // Leave-one-out with x' = 0: erasing a delimiter (already 0) changes nothing, erasing a
    // number moves the output most, but erasing any other step writes a new delimiter, which
    // the model reads: its mass spreads over the 18 non-delimiter steps, so its alignment
    // stays far below attention's (0.20 here; with the training mean as x', 0.44, the
    // delimiters then taking the mass). What holds row by row: zero on the delimiters, and the
    // two numbers above the other steps on average.
    const Mat &g = task->validation.groundTruth;
    double onNumbers = 0, elsewhere = 0;
    long long numbers = 0, others = 0;
    for (Eigen::Index row = 0; row < r.rows; ++row)
        for (Eigen::Index t = 0; t < 20; ++t) {
            if (t + 1 < 20 && g(row, t + 1) > 0 && g(row, t) == 0) {
                QCOMPARE(a.leaveOneOut(row, t), Scalar(0)); // the delimiter before a number
            } else if (g(row, t) > 0) {
                onNumbers += a.leaveOneOut(row, t);
                ++numbers;
            } else {
                elsewhere += a.leaveOneOut(row, t);
                ++others;
            }
        }
    qInfo("leave-one-out: mean %.4f on the numbers, %.4f on the other non-delimiter steps",
          onNumbers / numbers, elsewhere / others);
    QVERIFY(onNumbers / numbers > 1.5 * elsewhere / others);
    QVERIFY(inRange(r.leaveOneOut.alignment, 0.0, 1.0));
    for (const MethodAgreement *m : {&r.gradient, &r.inputXGradient, &r.leaveOneOut, &r.integratedGradients}) {
        QVERIFY(inRange(m->kendallTau, -1.0, 1.0));
        QVERIFY(inRange(m->alignment, 0.0, 1.0));
    }
    QVERIFY(inRange(r.attentionAlignment, 0.0, 1.0));
    QVERIFY(inRange(r.permutationMedianAbsChange, 0.0, 10.0));
    QVERIFY(inRange(r.uniformAbsChange, 0.0, 10.0));
    QVERIFY(!r.decisionFlipShare); // regression
    // Integrated gradients add up to y(x) - y(x') (Prop. 1) up to the quadrature error.
    QVERIFY(r.completenessDelta > 0);
    QVERIFY(r.completenessGap < 0.05 * r.completenessDelta);
}

void TestFaithfulness::featureTask()
{
    Rng dataRng(7);
    auto task = std::make_shared<const TaskData>(makeTask(TaskKind::Feature, dataRng));
    auto trainer = trained(task, AttentionKind::Feature, 20);
    Attributions a;
    FaithfulnessOptions options;
    options.rows = 100;
    const FaithfulnessReport r = measureFaithfulness(trainer->model(), *task, options, &a);
    print("feature, epoch 20", r);
    QCOMPARE(r.rows, 100);
    QCOMPARE(a.attention.cols(), Eigen::Index(32)); // over the features
    QCOMPARE(a.integratedGradients.cols(), Eigen::Index(32));
    QVERIFY(inRange(r.decisionFlipShare, 0.0, 1.0));
    QVERIFY(inRange(r.uniformDecisionFlipShare, 0.0, 1.0));
    QVERIFY(inRange(r.attentionAlignment, 0.0, 1.0));
    // Only column 1 carries the label: erasing it changes the prediction most.
    QVERIFY(inRange(r.leaveOneOut.alignment, 0.5, 1.0));
}

void TestFaithfulness::baselineHasNoAttentionMeasures()
{
    Rng dataRng(7);
    auto task = std::make_shared<const TaskData>(makeTask(TaskKind::Add, dataRng, {640, 300}));
    auto trainer = trained(task, AttentionKind::None, 1);
    const FaithfulnessReport r = measureFaithfulness(trainer->model(), *task);
    QCOMPARE(r.rows, 256);
    QVERIFY(!r.attentionAlignment && !r.gradient.kendallTau && !r.leaveOneOut.kendallTau);
    QVERIFY(!r.permutationMedianAbsChange && !r.uniformAbsChange);
    QVERIFY(inRange(r.gradient.alignment, 0.0, 1.0));
    QVERIFY(inRange(r.integratedGradients.alignment, 0.0, 1.0));
}

void TestFaithfulness::sentimentTokens()
{
    TaskSource source;
    source.directory = ATTN_SENTIMENT_DATA;
    Rng dataRng(7);
    auto task = std::make_shared<const TaskData>(makeTask(TaskKind::Sentiment, dataRng, {600, 120}, source));
    auto trainer = trained(task, AttentionKind::FeedForward, 1);
    Attributions a;
    const FaithfulnessReport r = measureFaithfulness(trainer->model(), *task, {}, &a);
    print("sentiment feed-forward, epoch 1", r);
    QCOMPARE(r.rows, 120);
    QVERIFY(!r.attentionAlignment && !r.leaveOneOut.alignment); // no ground truth
    QVERIFY(inRange(r.leaveOneOut.kendallTau, -1.0, 1.0));
    QVERIFY(inRange(r.decisionFlipShare, 0.0, 1.0));
    // Padding (masked) takes no attention and no attribution.
    const Mat &mask = task->validation.mask;
    for (Eigen::Index row = 0; row < r.rows; ++row)
        for (Eigen::Index t = 0; t < mask.cols(); ++t)
            if (mask(row, t) == 0) {
                QCOMPARE(a.attention(row, t), Scalar(0));
                QCOMPARE(a.leaveOneOut(row, t), Scalar(0));
                QCOMPARE(a.gradient(row, t), Scalar(0));
                QCOMPARE(a.integratedGradients(row, t), Scalar(0));
            }
}

void TestFaithfulness::rejectsBadOptions()
{
    Rng dataRng(7);
    auto task = std::make_shared<const TaskData>(makeTask(TaskKind::Add, dataRng, {640, 300}));
    ModelConfig m = task->model;
    m.steps = 20;
    Rng rng(1);
    auto model = makeModel(m, rng, 1);
    for (auto change : {+[](FaithfulnessOptions &o) { o.rows = 0; },
                        +[](FaithfulnessOptions &o) { o.integrationSteps = 0; },
                        +[](FaithfulnessOptions &o) { o.permutations = 0; }}) {
        FaithfulnessOptions o;
        change(o);
        QVERIFY_THROWS_EXCEPTION(ConfigError, measureFaithfulness(*model, *task, o));
    }
}

void TestFaithfulness::attributeRowsMatchesTheSample()
{
    // attributeRows (the probe rows' attributions) computes what measureFaithfulness does for
    // its sample: on the validation set's first 7 rows, the first 7 rows of the 30-row sample
    // (rows do not interact), for both neutral values.
    Rng dataRng(7);
    auto task = std::make_shared<const TaskData>(makeTask(TaskKind::Add, dataRng, {640, 100}));
    auto trainer = trained(task, AttentionKind::Bahdanau, 1);
    for (auto neutral : {FaithfulnessOptions::Neutral::Zero, FaithfulnessOptions::Neutral::TrainingMean}) {
        FaithfulnessOptions o;
        o.rows = 30;
        o.neutral = neutral;
        Attributions all;
        measureFaithfulness(trainer->model(), *task, o, &all);
        const Attributions some = attributeRows(trainer->model(), *task, task->validation, 7, o);
        QCOMPARE(some.leaveOneOut.rows(), Eigen::Index(7));
        QCOMPARE(some.leaveOneOut.cols(), Eigen::Index(20));
        const std::pair<const Mat *, const Mat *> pairs[] = {
            {&some.attention, &all.attention}, {&some.gradient, &all.gradient},
            {&some.inputXGradient, &all.inputXGradient}, {&some.leaveOneOut, &all.leaveOneOut},
            {&some.integratedGradients, &all.integratedGradients}};
        for (const auto &[a, b] : pairs)
            QVERIFY(a->isApprox(b->topRows(7), Scalar(1e-4)));
    }
    // The probe set of add (10 rows generated with a = 4, b = 9) is not the validation set.
    const Attributions probe = attributeRows(trainer->model(), *task, task->probe, 100);
    QCOMPARE(probe.gradient.rows(), Eigen::Index(10));
    QVERIFY_THROWS_EXCEPTION(ConfigError, attributeRows(trainer->model(), *task, task->probe, 0));
}

void TestFaithfulness::trainingMeanOfEachFeature()
{
    TaskData task;
    task.train.steps = 2;
    task.train.features = 2;
    // Two rows, two steps of two features: feature 0 takes 1, 3, 5, 7; feature 1 takes 0, 0, 0, 4.
    task.train.x = (Mat(2, 4) << 1, 0, 3, 0, 5, 0, 7, 4).finished();
    QVERIFY(trainingMean(task).isApprox((Mat(1, 2) << 4, 1).finished()));
}

QTEST_APPLESS_MAIN(TestFaithfulness)
#include "tst_faithfulness.moc"
