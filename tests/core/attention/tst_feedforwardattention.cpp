// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of FeedForwardAttention (Raffel & Ellis 2016): a hand-computed forward case, a
// double-precision finite-difference gradient check (parameters and hidden states) over a table
// of shapes, bad-shape rejection, gradients that accumulate, and no allocation in a step.
#include "core/attention/feedforwardattention.h"
#include "tests/attentionchecks.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

namespace {
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
} // namespace

class TestFeedForwardAttention : public QObject {
    Q_OBJECT
private slots:
    void maskedPadding();
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
    void gradientsAccumulate();
    void forwardBackwardDoNotAllocate();
    void kerasNormalInitialiser();
};

void TestFeedForwardAttention::forwardByHand()
{
    // H = 1, T = 2, B = 2, w = 0.5, b = [0, -1]. Time-major hs: rows t0b0, t0b1, t1b0, t1b1.
    //   sequence 0: h = [1, 2]:  e = [tanh(0.5), tanh(1 - 1)] = [0.462117, 0]
    //               a_0 = exp(0.462117) / (exp(0.462117) + 1) = 0.613516;  c = a_0 + 2 a_1 = 1.386484
    //   sequence 1: h = [-1, 0]: e = [tanh(-0.5), tanh(0 - 1)] = [-0.462117, -0.761594]
    //               a_0 = sigmoid(-0.462117 + 0.761594) = 0.574315;  c = -a_0 = -0.574315
    Rng rng(1);
    FeedForwardAttention att(1, 2, rng);
    QCOMPARE(att.outputs(), 1);
    att.params().weight << 0.5;
    att.params().bias << 0, -1;
    att.resize(2, 2);
    Mat hs(4, 1), out(2, 1);
    hs << 1, -1, 2, 0;
    att.forward(hs, out);
    const double a00 = sigmoid(std::tanh(0.5) - 0.0);
    const double a10 = sigmoid(std::tanh(-0.5) - std::tanh(-1.0));
    QVERIFY(std::abs(a00 - 0.613516) < 1e-6);
    QVERIFY(std::abs(a10 - 0.574315) < 1e-6);
    QVERIFY(std::abs(att.weights()(0, 0) - a00) < 1e-12);
    QVERIFY(std::abs(att.weights()(0, 1) - (1 - a00)) < 1e-12);
    QVERIFY(std::abs(att.weights()(1, 0) - a10) < 1e-12);
    QVERIFY(std::abs(out(0, 0) - (a00 * 1 + (1 - a00) * 2)) < 1e-12);
    QVERIFY(std::abs(out(1, 0) - (-a10)) < 1e-12);
}

void TestFeedForwardAttention::gradients_data()
{
    // T >= 2 in every row: with one step the softmax is constant and the score parameters get
    // exactly zero gradient, which any relative-error check would pass.
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("hidden");
    QTest::newRow("T2 B1 H1") << 2 << 1 << 1;
    QTest::newRow("T4 B2 H3") << 4 << 2 << 3;
    QTest::newRow("T6 B3 H5") << 6 << 3 << 5;
    QTest::newRow("T2 B5 H8") << 2 << 5 << 8;
}

void TestFeedForwardAttention::gradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, hidden);
    Rng rng(21);
    FeedForwardAttention att(hidden, steps, rng);
    att.params().bias = randomMat(1, steps, rng, 0.5); // not all zero, so db is exercised
    att.resize(steps, batch);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    Mat hs = randomMat(tb, hidden, rng), w = randomMat(batch, hidden, rng), out(batch, hidden);
    Mat dHs(tb, hidden);
    std::vector<ParamRef> ps;
    att.appendParams("attention", ps);
    QCOMPARE(int(ps.size()), 2);
    QCOMPARE(ps[0].name, std::string("attention.weight"));
    QCOMPARE(ps[1].name, std::string("attention.bias"));
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

void TestFeedForwardAttention::rejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ConfigError, FeedForwardAttention(0, 5, rng));
    QVERIFY_THROWS_EXCEPTION(ConfigError, FeedForwardAttention(4, 0, rng));
    FeedForwardAttention att(4, 5, rng);
    Mat hs(10, 4), out(2, 4), dHs(10, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, out)); // no resize yet
    QCOMPARE(errorOf([&] { att.resize(4, 2); }),
             std::string("FeedForwardAttention::resize: built for 5 steps, got 4"));
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.resize(5, 0));
    att.resize(5, 2);
    Mat hsBad(10, 3);
    QCOMPARE(errorOf([&] { att.forward(hsBad, out); }),
             std::string("FeedForwardAttention::forward hs: expected 10x4, got 10x3"));
    Mat outBad(2, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, outBad));
    att.forward(hs, out);
    Mat dOutBad(3, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.backward(hs, dOutBad, dHs));
    Mat dHsBad(8, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.backward(hs, out, dHsBad));
}

void TestFeedForwardAttention::gradientsAccumulate()
{
    Rng rng(71);
    FeedForwardAttention att(4, 4, rng);
    verifyGradientsAccumulate(att, 4, 2, 4, rng);
}

void TestFeedForwardAttention::forwardBackwardDoNotAllocate()
{
    // Sizes of the seed experiments (add task: T = 20, B = 64, H = 100 -> 128), so the large
    // GEMM code paths run, not only the small-product ones.
    Rng rng(81);
    FeedForwardAttention att(128, 20, rng);
    verifyForwardBackwardDoNotAllocate(att, 20, 64, 128, rng);
}

void TestFeedForwardAttention::maskedPadding()
{
    // Rows of different real lengths, pre- and post-padded: padding weights exactly 0, the real
    // weights sum to 1, gradients match finite differences, padding states get no gradient.
    Rng rng(97);
    FeedForwardAttention att(4, 5, rng);
    verifyMaskedAttention(att, 5, 4, 4, rng, true);
}

void TestFeedForwardAttention::kerasNormalInitialiser()
{
    // Keras' "normal" (the sentiment blog's attention layer): w ~ N(0, 0.05^2), b = 0, against
    // Glorot-uniform's +-sqrt(6 / (H + 1)). Over H = 4000 draws the sample std is 0.05 +- 2%.
    const int H = 4000, T = 3;
    Rng a(5), b(5);
    FeedForwardAttention normal(H, T, a, FeedForwardAttention::kKerasNormalStd);
    FeedForwardAttention glorot(H, T, b);
    const Mat &w = normal.params().weight;
    const double mean = w.mean();
    const double std = std::sqrt((w.array() - mean).square().sum() / (H - 1));
    QVERIFY2(std::abs(std - 0.05) < 0.002, std::to_string(std).c_str());
    QVERIFY(std::abs(mean) < 0.004); // 3 standard errors
    QVERIFY(w.cwiseAbs().maxCoeff() > std::sqrt(6.0 / (H + 1))); // not bounded like Glorot
    QCOMPARE(normal.params().bias.cwiseAbs().maxCoeff(), Scalar(0));
    QVERIFY(glorot.params().weight.cwiseAbs().maxCoeff() <= std::sqrt(6.0 / (H + 1)));
    QVERIFY_THROWS_EXCEPTION(ConfigError, FeedForwardAttention(4, 3, a, -0.05));
}

QTEST_APPLESS_MAIN(TestFeedForwardAttention)
#include "tst_feedforwardattention.moc"
