// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of LuongAttention (dot and general scores): a hand-computed forward case, a
// double-precision finite-difference gradient check (parameters and hidden states) over a table
// of shapes, bad-shape rejection, gradients that accumulate, and no allocation in a step.
#include "core/attention/luongattention.h"
#include "tests/attentionchecks.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestLuongAttention : public QObject {
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

void TestLuongAttention::forwardByHand()
{
    // dot score, H = 1, T = 2, B = 1: h = [1, 2]; e = [h_T*h_0, h_T*h_1] = [2, 4].
    Rng rng(1);
    LuongAttention att(1, 1, LuongAttention::Score::Dot, rng);
    std::vector<ParamRef> ps;
    att.appendParams("a", ps);
    QCOMPARE(int(ps.size()), 1); // only W_c
    *ps[0].value << 0.5, -0.25;  // W_c (1, 2)
    att.resize(2, 1);
    Mat hs(2, 1), out(1, 1);
    hs << 1, 2;
    att.forward(hs, out);
    const double a0 = std::exp(2.0) / (std::exp(2.0) + std::exp(4.0));
    QVERIFY(std::abs(att.weights()(0, 0) - a0) < 1e-12);
    const double c = a0 * 1 + (1 - a0) * 2;
    QVERIFY(std::abs(out(0, 0) - std::tanh(0.5 * c - 0.25 * 2)) < 1e-12);
}

void TestLuongAttention::gradients_data()
{
    // T >= 2 in every row: with one step the softmax is constant and the score's gradient is
    // exactly zero, which any relative-error check would pass.
    QTest::addColumn<bool>("dot");
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("units");
    for (bool dot : {false, true}) {
        const std::string k = dot ? "dot" : "general";
        QTest::newRow((k + " T2 B1 H1 U1").c_str()) << dot << 2 << 1 << 1 << 1;
        QTest::newRow((k + " T4 B2 H3 U5").c_str()) << dot << 4 << 2 << 3 << 5;
        QTest::newRow((k + " T6 B3 H5 U2").c_str()) << dot << 6 << 3 << 5 << 2;
    }
}

void TestLuongAttention::gradients()
{
    QFETCH(bool, dot);
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, hidden);
    QFETCH(int, units);
    Rng rng(9);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    Mat hs = randomMat(tb, hidden, rng), w = randomMat(batch, units, rng), out(batch, units);
    Mat dHs(tb, hidden);
    LuongAttention att(hidden, units, dot ? LuongAttention::Score::Dot : LuongAttention::Score::General,
                       rng);
    att.resize(steps, batch);
    std::vector<ParamRef> ps;
    att.appendParams("a", ps);
    QCOMPARE(int(ps.size()), dot ? 1 : 2);
    const std::string failure = gradientFailure(
        ps, hs, dHs,
        [&] {
            att.forward(hs, out);
            return weightedSum(out, w);
        },
        [&] { att.backward(hs, w, dHs); });
    QVERIFY2(failure.empty(), failure.c_str());
    for (Eigen::Index b = 0; b < batch; ++b)
        QVERIFY(std::abs(att.weights().row(b).sum() - 1.0) < 1e-12);
}

void TestLuongAttention::rejectsBadShapes()
{
    Rng rng(1);
    LuongAttention att(4, 3, LuongAttention::Score::General, rng);
    Mat hs(10, 4), out(2, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, out)); // no resize yet
    att.resize(5, 2);
    Mat hsBad(10, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hsBad, out));
    Mat outBad(2, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, outBad));
}

void TestLuongAttention::gradientsAccumulate()
{
    Rng rng(71);
    LuongAttention general(4, 3, LuongAttention::Score::General, rng);
    verifyGradientsAccumulate(general, 4, 2, 4, rng);
    LuongAttention dot(4, 3, LuongAttention::Score::Dot, rng);
    verifyGradientsAccumulate(dot, 4, 2, 4, rng);
}

void TestLuongAttention::forwardBackwardDoNotAllocate()
{
    // Sizes of the seed experiments (add task: T = 20, B = 64, H = 100 -> 128), so the large
    // GEMM code paths run, not only the small-product ones.
    Rng rng(81);
    LuongAttention att(128, 128, LuongAttention::Score::General, rng);
    verifyForwardBackwardDoNotAllocate(att, 20, 64, 128, rng);
}

void TestLuongAttention::maskedPadding()
{
    // Rows of different real lengths, pre- and post-padded: padding weights exactly 0, the real
    // weights sum to 1, gradients match finite differences, padding states get no gradient.
    Rng rng(97);
    LuongAttention general(4, 3, LuongAttention::Score::General, rng);
    verifyMaskedAttention(general, 5, 4, 4, rng, true);
    LuongAttention dot(4, 3, LuongAttention::Score::Dot, rng);
    verifyMaskedAttention(dot, 5, 4, 4, rng, true);
}

QTEST_APPLESS_MAIN(TestLuongAttention)
#include "tst_luongattention.moc"
