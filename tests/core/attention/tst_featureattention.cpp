// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of FeatureAttention (softmax weights over the input features of one sample): a
// hand-computed forward case, a double-precision finite-difference gradient check over a table
// of shapes, bad-shape rejection, gradients that accumulate, and no allocation in a step.
#include "core/attention/featureattention.h"
#include "tests/allocationcounter.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

namespace {
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
} // namespace

class TestFeatureAttention : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
    void gradientsAccumulate();
    void forwardBackwardDoNotAllocate();
};

void TestFeatureAttention::forwardByHand()
{
    // F = 2, B = 2, W = I, b = [1, 0].
    //   x = (1, 2): z = (2, 2) -> a = (0.5, 0.5) -> out = (0.5, 1)
    //   x = (0, 0): z = (1, 0) -> a = (e / (1 + e), 1 / (1 + e)) = (0.731059, 0.268941) -> out = (0, 0)
    Rng rng(1);
    FeatureAttention att(2, rng);
    att.params().weight.setIdentity();
    att.params().bias << 1, 0;
    att.resize(2);
    Mat x(2, 2), out(2, 2);
    x << 1, 2, 0, 0;
    att.forward(x, out);
    QCOMPARE(att.weights()(0, 0), 0.5);
    QCOMPARE(att.weights()(0, 1), 0.5);
    QCOMPARE(out(0, 0), 0.5);
    QCOMPARE(out(0, 1), 1.0);
    QVERIFY(std::abs(att.weights()(1, 0) - sigmoid(1.0)) < 1e-12);
    QVERIFY(std::abs(att.weights()(1, 0) - 0.731059) < 1e-6);
    QCOMPARE(out(1, 0), 0.0);
    QCOMPARE(out(1, 1), 0.0);
}

void TestFeatureAttention::gradients_data()
{
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("features");
    QTest::newRow("B1 F1") << 1 << 1;
    QTest::newRow("B3 F4") << 3 << 4;
    QTest::newRow("B5 F7") << 5 << 7;
    QTest::newRow("B2 F32") << 2 << 32;
}

void TestFeatureAttention::gradients()
{
    QFETCH(int, batch);
    QFETCH(int, features);
    Rng rng(61);
    FeatureAttention att(features, rng);
    att.params().bias = randomMat(1, features, rng, 0.5);
    att.resize(batch);
    Mat x = randomMat(batch, features, rng), w = randomMat(batch, features, rng);
    Mat out(batch, features), dX(batch, features);
    std::vector<ParamRef> ps;
    att.appendParams("attention", ps);
    QCOMPARE(int(ps.size()), 2);
    QCOMPARE(ps[0].name, std::string("attention.weight"));
    const std::string failure = gradientFailure(
        ps, x, dX,
        [&] {
            att.forward(x, out);
            return weightedSum(out, w);
        },
        [&] { att.backward(x, w, dX); });
    QVERIFY2(failure.empty(), failure.c_str());
    for (Eigen::Index b = 0; b < batch; ++b)
        QVERIFY(std::abs(att.weights().row(b).sum() - 1.0) < 1e-12);
}

void TestFeatureAttention::rejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ConfigError, FeatureAttention(0, rng));
    FeatureAttention att(4, rng);
    Mat x(3, 4), out(3, 4), dX(3, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(x, out)); // no resize yet
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.resize(0));
    att.resize(3);
    Mat xBad(3, 5);
    QCOMPARE(errorOf([&] { att.forward(xBad, out); }),
             std::string("FeatureAttention::forward x: expected 3x4, got 3x5"));
    Mat outBad(2, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(x, outBad));
    att.forward(x, out);
    Mat dXBad(3, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.backward(x, out, dXBad));
}

void TestFeatureAttention::gradientsAccumulate()
{
    // backward() adds into the gradients (twice = double) and writes the input gradient (twice =
    // same); only zeroGrad() clears.
    Rng rng(71);
    const int B = 2, H = 4;
    FeatureAttention feature(H, rng);
    feature.resize(B);
    Mat x = randomMat(B, H, rng), out(B, H), dX(B, H), dOut = randomMat(B, H, rng);
    feature.forward(x, out);
    feature.backward(x, dOut, dX);
    const Mat once = feature.grads().weight;
    const Mat dXOnce = dX;
    feature.backward(x, dOut, dX);
    QVERIFY(dX == dXOnce);
    QVERIFY((feature.grads().weight - 2 * once).cwiseAbs().maxCoeff() < 1e-12);
    feature.zeroGrad();
    QVERIFY(feature.grads().weight.isZero(0) && feature.grads().bias.isZero(0));
}

void TestFeatureAttention::forwardBackwardDoNotAllocate()
{
    // The feature task's F = 32 at the seed experiments' batch B = 64.
    const int B = 64, F = 32;
    Rng rng(81);
    FeatureAttention att(F, rng);
    att.resize(B);
    Mat in = randomMat(B, F, rng), dIn(B, F), out(B, F);
    const Mat dOut = randomMat(B, F, rng);
    const std::function<void()> step = [&] {
        att.forward(in, out);
        att.backward(in, dOut, dIn);
    };
    step(); // warm-up
    verifyNoAllocation(step);
}

QTEST_APPLESS_MAIN(TestFeatureAttention)
#include "tst_featureattention.moc"
