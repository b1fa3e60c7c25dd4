// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of MultiHeadAttention, the Transformer's self-attention sublayer (Vaswani et al. 2017,
// eq. 1, sec. 3.2.2): a hand-computed two-head forward case, a double-precision
// finite-difference gradient check over a table of shapes (masked and unmasked), bad shapes,
// PyTorch names, and no allocation in a step.
#include "core/attention/multiheadattention.h"
#include "tests/allocationcounter.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestMultiHeadAttention : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
    void forwardBackwardDoNotAllocate();
};

void TestMultiHeadAttention::forwardByHand()
{
    // D = 2, K = 2 (d_k = 1), T = 2, B = 1; W_in = [I; I; I], W_o = I, zero biases, so
    // Q = K = V = x = [[1, 0], [0, 2]] and head k reads column k.
    //   head 0: scores [[1, 0], [0, 0]] -> A = [[e/(e+1), 1/(e+1)], [0.5, 0.5]]; C col 0 = [0.731059, 0.5]
    //   head 1: scores [[0, 0], [0, 4]] -> A = [[0.5, 0.5], [1/(1+e^4), e^4/(1+e^4)]]; C col 1 = [1, 1.964028]
    Rng rng(1);
    MultiHeadAttention mha(2, 2, rng);
    mha.params().inWeight << 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1;
    mha.params().outWeight.setIdentity();
    mha.resize(2, 1);
    Mat x(2, 2), y(2, 2);
    x << 1, 0, 0, 2;
    mha.forward(x, y);
    const double e = std::exp(1.0), e4 = std::exp(4.0);
    QVERIFY(std::abs(y(0, 0) - e / (e + 1)) < 1e-12);
    QVERIFY(std::abs(y(1, 0) - 0.5) < 1e-12);
    QVERIFY(std::abs(y(0, 1) - 1.0) < 1e-12);
    QVERIFY(std::abs(y(1, 1) - 2 * e4 / (1 + e4)) < 1e-12);
    QVERIFY(std::abs(y(1, 1) - 1.964028) < 1e-6);
    Mat map(2, 2);
    mha.headMap(0, 1, map);
    QVERIFY(std::abs(map(1, 0) - 1 / (1 + e4)) < 1e-12);
    // A padding mask hides key 1 from every query: head 1 then copies V_0 = 0 into both rows.
    Mat mask(1, 2);
    mask << 1, 0;
    mha.setMask(mask);
    mha.forward(x, y);
    mha.headMap(0, 1, map);
    QCOMPARE(map(1, 1), 0.0);
    QCOMPARE(map(0, 0), 1.0);
    QVERIFY(std::abs(y(1, 1)) < 1e-12);
    std::vector<ParamRef> ps;
    mha.appendParams("encoder.layers.0.self_attn", ps);
    QCOMPARE(ps[0].name, std::string("encoder.layers.0.self_attn.in_proj_weight"));
    QCOMPARE(ps[1].name, std::string("encoder.layers.0.self_attn.in_proj_bias"));
    QCOMPARE(ps[2].name, std::string("encoder.layers.0.self_attn.out_proj.weight"));
    QCOMPARE(ps[3].name, std::string("encoder.layers.0.self_attn.out_proj.bias"));
}

void TestMultiHeadAttention::gradients_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("heads");
    QTest::addColumn<bool>("masked");
    for (bool masked : {false, true}) {
        const std::string m = masked ? " masked" : "";
        QTest::newRow(("T2 B1 D1 K1" + m).c_str()) << 2 << 1 << 1 << 1 << masked;
        QTest::newRow(("T3 B2 D4 K2" + m).c_str()) << 3 << 2 << 4 << 2 << masked;
        QTest::newRow(("T5 B3 D6 K3" + m).c_str()) << 5 << 3 << 6 << 3 << masked;
        QTest::newRow(("T7 B2 D8 K4" + m).c_str()) << 7 << 2 << 8 << 4 << masked;
    }
}

void TestMultiHeadAttention::gradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, width);
    QFETCH(int, heads);
    QFETCH(bool, masked);
    Rng rng(41);
    MultiHeadAttention mha(width, heads, rng);
    mha.params().inBias = randomMat(1, 3 * width, rng, 0.2);
    mha.params().outBias = randomMat(1, width, rng, 0.2);
    mha.resize(steps, batch);
    if (masked)
        mha.setMask(mixedPaddingMask(steps, batch));
    const Eigen::Index n = Eigen::Index(steps) * batch;
    Mat x = randomMat(n, width, rng), w = randomMat(n, width, rng), y(n, width), dx(n, width);
    std::vector<ParamRef> ps;
    mha.appendParams("self_attn", ps);
    const std::string failure = gradientFailure(
        ps, x, dx,
        [&] {
            mha.forward(x, y);
            return weightedSum(y, w);
        },
        [&] { mha.backward(x, w, dx); });
    QVERIFY2(failure.empty(), failure.c_str());
    for (int k = 0; k < heads; ++k)
        for (int b = 0; b < batch; ++b) {
            Mat map(steps, steps);
            mha.headMap(b, k, map);
            for (int t = 0; t < steps; ++t)
                QVERIFY(std::abs(map.row(t).sum() - 1.0) < 1e-12);
        }
}

void TestMultiHeadAttention::rejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ConfigError, MultiHeadAttention(0, 1, rng));
    QVERIFY_THROWS_EXCEPTION(ConfigError, MultiHeadAttention(4, 0, rng));
    QVERIFY_THROWS_EXCEPTION(ConfigError, MultiHeadAttention(6, 4, rng));
    MultiHeadAttention mha(4, 2, rng);
    Mat x(6, 4), y(6, 4), dx(6, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, mha.forward(x, y)); // before resize
    QVERIFY_THROWS_EXCEPTION(ShapeError, mha.resize(0, 2));
    mha.resize(3, 2);
    Mat bad(6, 3);
    QCOMPARE(errorOf([&] { mha.forward(bad, y); }),
             std::string("MultiHeadAttention::forward x: expected 6x4, got 6x3"));
    mha.setMask(Mat::Ones(2, 4));
    QVERIFY_THROWS_EXCEPTION(ShapeError, mha.forward(x, y));
    mha.setMask(Mat());
    mha.forward(x.setRandom(), y);
    QVERIFY_THROWS_EXCEPTION(ShapeError, mha.backward(x, bad, dx));
    Mat map(3, 3), mapBad(3, 2);
    QVERIFY_THROWS_EXCEPTION(ShapeError, mha.headMap(0, 2, map));
    QVERIFY_THROWS_EXCEPTION(ShapeError, mha.headMap(2, 0, map));
    QVERIFY_THROWS_EXCEPTION(ShapeError, mha.headMap(0, 0, mapBad));
}

void TestMultiHeadAttention::forwardBackwardDoNotAllocate()
{
    Rng rng(7);
    MultiHeadAttention mha(32, 4, rng);
    mha.resize(10, 64);
    Mat x = randomMat(640, 32, rng), dy = randomMat(640, 32, rng), y(640, 32), dx(640, 32);
    mha.setMask(mixedPaddingMask(10, 64));
    const auto step = [&] {
        mha.forward(x, y);
        mha.backward(x, dy, dx);
    };
    step();
    verifyNoAllocation(step);
}

QTEST_APPLESS_MAIN(TestMultiHeadAttention)
#include "tst_multiheadattention.moc"
