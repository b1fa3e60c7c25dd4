// SPDX-License-Identifier: GPL-3.0-or-later
// Whole-model tests in double precision: finite-difference gradient check of LSTM -> attention
// -> dropout -> dense through the loss for every attention kind, losses by hand, optimizers by
// hand, and same seed -> same run, bit for bit.
#include "core/adam.h"
#include "core/loss.h"
#include "core/sequencemodel.h"
#include "core/sgd.h"
#include "core/trainer.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestModel : public QObject {
    Q_OBJECT
private slots:
    void modelGradients_data();
    void modelGradients();
    void lossesByHand();
    void lossGradients_data();
    void lossGradients();
    void adamStepByHand();
    void sgdStepByHand();
    void sameSeedSameRun();
    void trainerRejectsBadConfig();
};

void TestModel::modelGradients_data()
{
    QTest::addColumn<QString>("attention");
    QTest::addColumn<int>("loss");
    for (const char *a : {"luong", "luong-dot", "bahdanau"}) {
        QTest::newRow((std::string(a) + " mse").c_str()) << a << int(LossKind::Mse);
        QTest::newRow((std::string(a) + " bce").c_str()) << a << int(LossKind::BinaryCrossEntropy);
    }
}

void TestModel::modelGradients()
{
    QFETCH(QString, attention);
    QFETCH(int, loss);
    const int T = 4, B = 3, F = 2;
    ModelConfig cfg{F, 5, *attentionKindFromString(attention.toStdString()), 6, 0.2, 2};
    Rng rng(21);
    SequenceModel model(cfg, rng, 99);
    model.resize(T, B);
    Mat x = randomMat(T * B, F, rng), y = randomMat(B, 2, rng), dPred(B, 2);
    if (LossKind(loss) == LossKind::BinaryCrossEntropy)
        y = (y.array() > 0).cast<Scalar>();
    // Evaluation mode (dropout is the identity) so every forward pass is the same function.
    auto f = [&] { return lossValue(LossKind(loss), model.forward(x, false), y); };
    model.zeroGrad();
    lossWithGradient(LossKind(loss), model.forward(x, false), y, dPred);
    model.backward(x, dPred);
    for (const ParamRef &p : model.params()) {
        const double err = relativeError(*p.grad, numericGradient(*p.value, f));
        QVERIFY2(err < 1e-6, (p.name + " relative error " + std::to_string(err)).c_str());
    }
}

void TestModel::lossesByHand()
{
    Mat p(2, 1), y(2, 1), d(2, 1);
    p << 1, 3;
    y << 0, 1;
    QCOMPARE(lossWithGradient(LossKind::Mse, p, y, d), (1.0 + 4.0) / 2);
    QCOMPARE(d(1, 0), 2.0 * 2 / 2);
    QCOMPARE(lossWithGradient(LossKind::Mae, p, y, d), (1.0 + 2.0) / 2);
    QCOMPARE(d(0, 0), 0.5);
    p << 0, 100; // BCE on logits: log 2, and a saturated logit that must not overflow
    const double bce = lossWithGradient(LossKind::BinaryCrossEntropy, p, y, d);
    QVERIFY(std::abs(bce - std::log(2.0) / 2) < 1e-12);
    QVERIFY(std::isfinite(bce));
    QVERIFY(std::abs(d(0, 0) - 0.25) < 1e-12);
}

void TestModel::lossGradients_data()
{
    QTest::addColumn<int>("loss");
    QTest::newRow("mse") << int(LossKind::Mse);
    QTest::newRow("mae") << int(LossKind::Mae);
    QTest::newRow("bce") << int(LossKind::BinaryCrossEntropy);
}

void TestModel::lossGradients()
{
    QFETCH(int, loss);
    Rng rng(2);
    Mat p = randomMat(5, 3, rng), y = randomMat(5, 3, rng), d(5, 3);
    if (LossKind(loss) == LossKind::BinaryCrossEntropy)
        y = (y.array() > 0).cast<Scalar>();
    lossWithGradient(LossKind(loss), p, y, d);
    auto f = [&] { return lossValue(LossKind(loss), p, y); };
    QVERIFY(relativeError(d, numericGradient(p, f)) < 1e-6);
}

void TestModel::adamStepByHand()
{
    Mat w(1, 1), g(1, 1);
    w << 1.0;
    g << 0.5;
    std::vector<ParamRef> ps{{"w", &w, &g}};
    Adam adam(ps, 0.1);
    adam.step(ps, 1);
    // First step: m_hat = g, v_hat = g^2, so w -= lr * g / (|g| + eps) = 1 - 0.1 * (0.5 / (0.5 + 1e-7)).
    QVERIFY(std::abs(w(0, 0) - (1.0 - 0.1 * 0.5 / (0.5 + 1e-7))) < 1e-12);
    adam.step(ps, 2);
    QVERIFY(std::abs(w(0, 0) - (1.0 - 0.2 * 0.5 / (0.5 + 1e-7))) < 1e-9);
}

void TestModel::sgdStepByHand()
{
    Mat w(1, 2), g(1, 2);
    w << 1, 2;
    g << 0.5, -1;
    std::vector<ParamRef> ps{{"w", &w, &g}};
    Sgd sgd(ps, 0.1, 0.9);
    sgd.step(ps, 1);
    QVERIFY(std::abs(w(0, 1) - 2.1) < 1e-12);
    sgd.step(ps, 2); // velocity 0.9 * -1 + -1 = -1.9
    QVERIFY(std::abs(w(0, 1) - 2.29) < 1e-12);
}

void TestModel::sameSeedSameRun()
{
    auto run = [] {
        Rng rng(3);
        auto task = std::make_shared<TaskData>(makeAddTask(rng, {256, 64}));
        ModelConfig m = task->model;
        m.hidden = 8;
        m.attentionUnits = 8;
        Trainer tr(task, m, TrainConfig{2, 32, 1e-3, 5, OptimizerKind::Adam});
        tr.trainEpoch();
        return *tr.trainEpoch();
    };
    const EpochSnapshot a = run(), b = run();
    QCOMPARE(a.trainLoss, b.trainLoss);
    QCOMPARE(a.valLoss, b.valLoss);
    QVERIFY(a.attention.values == b.attention.values);
}

void TestModel::trainerRejectsBadConfig()
{
    Rng rng(3);
    auto task = std::make_shared<TaskData>(makeAddTask(rng, {100, 20}));
    QVERIFY_THROWS_EXCEPTION(ShapeError, Trainer(task, task->model, TrainConfig{1, 200, 1e-3, 1}));
    QVERIFY_THROWS_EXCEPTION(ShapeError, Trainer(task, task->model, TrainConfig{0, 10, 1e-3, 1}));
    ModelConfig wrong = task->model;
    wrong.inputs = 3;
    QVERIFY_THROWS_EXCEPTION(ShapeError, Trainer(task, wrong, TrainConfig{1, 10, 1e-3, 1}));
}

QTEST_APPLESS_MAIN(TestModel)
#include "tst_model.moc"
