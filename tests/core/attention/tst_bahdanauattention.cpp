// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of BahdanauAttention (additive score): a hand-computed forward case, a double-precision
// finite-difference gradient check (parameters and hidden states) over a table of shapes,
// bad-shape rejection, gradients that accumulate, and no allocation in a step.
#include "core/attention/bahdanauattention.h"
#include "tests/attentionchecks.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestBahdanauAttention : public QObject {
    Q_OBJECT
private slots:
    void maskedPadding();
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
    void gradientsAccumulate();
    void forwardBackwardDoNotAllocate();
};

void TestBahdanauAttention::forwardByHand()
{
    // H = A = 1, U = 1, T = 2, B = 2; W1 = 1, W2 = 0.5, v = 2, W_c = [0.5, -0.25].
    // Time-major hs: rows t0b0, t0b1, t1b0, t1b1.
    //   sequence 0: h = [1, 2], query W2 h_T = 1
    //     keys = tanh(h_s + 1) = [tanh 2, tanh 3] = [0.964028, 0.995055]
    //     e = 2 keys = [1.928055, 1.990110];  a_0 = sigmoid(e_0 - e_1) = 0.484491
    //     c = a_0 + 2 a_1 = 1.515509;  out = tanh(0.5 c - 0.25 * 2) = 0.252194
    //   sequence 1: h = [-1, 0], query 0
    //     keys = [tanh(-1), 0] = [-0.761594, 0];  e = [-1.523188, 0];  a_0 = 0.178993
    //     c = -a_0 = -0.178993;  out = tanh(0.5 c - 0) = -0.089258
    Rng rng(1);
    BahdanauAttention att(1, 1, rng);
    QCOMPARE(att.outputs(), 1);
    std::vector<ParamRef> ps;
    att.appendParams("a", ps);
    QCOMPARE(int(ps.size()), 4); // W1, W2, v, W_c
    *ps[0].value << 1;
    *ps[1].value << 0.5;
    *ps[2].value << 2;
    *ps[3].value << 0.5, -0.25;
    att.resize(2, 2);
    Mat hs(4, 1), out(2, 1);
    hs << 1, -1, 2, 0;
    att.forward(hs, out);
    const auto sigmoid = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
    const double a00 = sigmoid(2 * std::tanh(2.0) - 2 * std::tanh(3.0));
    const double a10 = sigmoid(2 * std::tanh(-1.0));
    QVERIFY(std::abs(a00 - 0.484491) < 1e-6);
    QVERIFY(std::abs(a10 - 0.178993) < 1e-6);
    QVERIFY(std::abs(att.weights()(0, 0) - a00) < 1e-12);
    QVERIFY(std::abs(att.weights()(0, 1) - (1 - a00)) < 1e-12);
    QVERIFY(std::abs(att.weights()(1, 0) - a10) < 1e-12);
    QVERIFY(std::abs(att.weights()(1, 1) - (1 - a10)) < 1e-12);
    const double c0 = a00 * 1 + (1 - a00) * 2, c1 = -a10;
    QVERIFY(std::abs(out(0, 0) - std::tanh(0.5 * c0 - 0.25 * 2)) < 1e-12);
    QVERIFY(std::abs(out(1, 0) - std::tanh(0.5 * c1)) < 1e-12);
    QVERIFY(std::abs(out(0, 0) - 0.252194) < 1e-6);
    QVERIFY(std::abs(out(1, 0) - (-0.089258)) < 1e-6);
}

void TestBahdanauAttention::gradients_data()
{
    // T >= 2 in every row: with one step the softmax is constant and W1, W2 and v get exactly
    // zero gradient, which any relative-error check would pass.
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("units");
    QTest::newRow("T2 B1 H1 U1") << 2 << 1 << 1 << 1;
    QTest::newRow("T4 B2 H3 U5") << 4 << 2 << 3 << 5;
    QTest::newRow("T6 B3 H5 U2") << 6 << 3 << 5 << 2;
}

void TestBahdanauAttention::gradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, hidden);
    QFETCH(int, units);
    Rng rng(9);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    Mat hs = randomMat(tb, hidden, rng), w = randomMat(batch, units, rng), out(batch, units);
    Mat dHs(tb, hidden);
    BahdanauAttention att(hidden, units, rng);
    att.resize(steps, batch);
    std::vector<ParamRef> ps;
    att.appendParams("a", ps);
    const std::string failure = gradientFailure(
        ps, hs, dHs,
        [&] {
            att.forward(hs, out);
            return weightedSum(out, w);
        },
        [&] { att.backward(hs, w, dHs); });
    QVERIFY2(failure.empty(), failure.c_str());
    for (const ParamRef &p : ps) // T >= 2: the score parameters have a gradient to check
        QVERIFY2(p.grad->norm() > 0, (p.name + " has no gradient").c_str());
    for (Eigen::Index b = 0; b < batch; ++b)
        QVERIFY(std::abs(att.weights().row(b).sum() - 1.0) < 1e-12);
}

void TestBahdanauAttention::rejectsBadShapes()
{
    Rng rng(1);
    BahdanauAttention att(4, 3, rng);
    Mat hs(10, 4), out(2, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, out)); // no resize yet
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.resize(0, 2));
    att.resize(5, 2);
    Mat hsBad(10, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hsBad, out));
    Mat outBad(2, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, outBad));
}

void TestBahdanauAttention::gradientsAccumulate()
{
    Rng rng(71);
    BahdanauAttention att(4, 3, rng);
    verifyGradientsAccumulate(att, 4, 2, 4, rng);
}

void TestBahdanauAttention::forwardBackwardDoNotAllocate()
{
    // Sizes of the seed experiments (add task: T = 20, B = 64, H = 100 -> 128), so the large
    // GEMM code paths run, not only the small-product ones.
    Rng rng(81);
    BahdanauAttention att(128, 128, rng);
    verifyForwardBackwardDoNotAllocate(att, 20, 64, 128, rng);
}

void TestBahdanauAttention::maskedPadding()
{
    // Rows of different real lengths, pre- and post-padded: padding weights exactly 0, the real
    // weights sum to 1, gradients match finite differences, padding states get no gradient.
    Rng rng(97);
    BahdanauAttention att(4, 3, rng);
    verifyMaskedAttention(att, 5, 4, 4, rng, true);
}

QTEST_APPLESS_MAIN(TestBahdanauAttention)
#include "tst_bahdanauattention.moc"
