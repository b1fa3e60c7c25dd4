// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of SelfAttention (Vaswani et al. 2017, pooled over time): hand-computed forward cases
// (one and two heads, causal mask, window), a double-precision finite-difference gradient check
// over a table of shapes (masks and windows included), the structure of the per-head maps,
// bad-shape rejection, gradients that accumulate, and no allocation in a step.
#include "core/attention/selfattention.h"
#include "tests/attentionchecks.h"

#include <QTest>
#include <cmath>
#include <memory>

using namespace attn;
using namespace attn::test;

namespace {
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
} // namespace

class TestSelfAttention : public QObject {
    Q_OBJECT
private slots:
    void maskedPadding();
    void forwardByHand();
    void gradients_data();
    void gradients();
    void maps_data();
    void maps();
    void rejectsBadShapes();
    void gradientsAccumulate();
    void forwardBackwardDoNotAllocate_data();
    void forwardBackwardDoNotAllocate();
};

void TestSelfAttention::forwardByHand()
{
    // H = 2, T = 2, B = 1, h_0 = (1, 0), h_1 = (1, 1); W_q = W_k = W_v = W_o = I unless stated,
    // so Q = K = V = h. beta = sigmoid(1 / sqrt(2)) = 0.669762.
    Mat hs(2, 2), out(1, 2), map(2, 2);
    hs << 1, 0, 1, 1;
    const double beta = sigmoid(1 / std::sqrt(2.0));
    QVERIFY(std::abs(beta - 0.669762) < 1e-6);
    const auto make = [](int heads, bool causal, int window) {
        Rng rng(1);
        auto att = std::make_unique<SelfAttention>(2, heads, causal, window, rng);
        for (Mat *w : {&att->params().wQ, &att->params().wK, &att->params().wV, &att->params().wO})
            w->setIdentity();
        att->resize(2, 1);
        return att;
    };
    const auto matches = [](const Mat &m, std::initializer_list<double> expected) {
        Eigen::Index i = 0;
        for (double e : expected) {
            if (std::abs(m(i / m.cols(), i % m.cols()) - e) > 1e-12)
                return false;
            ++i;
        }
        return true;
    };
    {
        // One head (d_k = 2): scores = h h^T / sqrt(2) = [[1, 1], [1, 2]] / sqrt(2)
        //   A = [[0.5, 0.5], [1 - beta, beta]];  C = A V = [(1, 0.5), (1, beta)]
        //   out = mean_t C_t = (1, (0.5 + beta) / 2) = (1, 0.584881)
        //   weights = column means of A = [(1.5 - beta) / 2, (0.5 + beta) / 2] = [0.415119, 0.584881]
        auto att = make(1, false, 0);
        att->forward(hs, out);
        QVERIFY(matches(out, {1, (0.5 + beta) / 2}));
        QVERIFY(std::abs(out(0, 1) - 0.584881) < 1e-6);
        QVERIFY(matches(att->weights(), {(1.5 - beta) / 2, (0.5 + beta) / 2}));
        att->headMap(0, 0, map);
        QVERIFY(matches(map, {0.5, 0.5, 1 - beta, beta}));
    }
    {
        // Causal: query 0 sees only key 0. A = [[1, 0], [1 - beta, beta]]; C = [(1, 0), (1, beta)]
        //   out = (1, beta / 2) = (1, 0.334881);  weights = [(2 - beta) / 2, beta / 2]
        auto att = make(1, true, 0);
        att->forward(hs, out);
        QVERIFY(matches(out, {1, beta / 2}));
        QVERIFY(std::abs(out(0, 1) - 0.334881) < 1e-6);
        QVERIFY(matches(att->weights(), {(2 - beta) / 2, beta / 2}));
        att->headMap(0, 0, map);
        QVERIFY(matches(map, {1, 0, 1 - beta, beta}));
        QCOMPARE(map(0, 1), 0.0); // exactly zero on the future
    }
    {
        // Two heads (d_k = 1), W_o swaps the two columns.
        //   head 0 (column 0): q = k = v = [1, 1] -> scores all 1 -> A_0 uniform; (A_0 V_0) = [1, 1]
        //   head 1 (column 1): q = k = v = [0, 1] -> scores [[0, 0], [0, 1]]
        //     A_1 = [[0.5, 0.5], [1 - sigmoid(1), sigmoid(1)]];  (A_1 V_1) = [0.5, 0.731059]
        //   pooled = (1, (0.5 + 0.731059) / 2) = (1, 0.615529); out = pooled W_o^T = (0.615529, 1)
        //   weights = mean of the heads' column means = [0.442235, 0.557765]
        auto att = make(2, false, 0);
        att->params().wO << 0, 1, 1, 0;
        att->forward(hs, out);
        const double s1 = sigmoid(1.0);
        QVERIFY(matches(out, {(0.5 + s1) / 2, 1}));
        QVERIFY(std::abs(out(0, 0) - 0.615529) < 1e-6);
        const double w0 = (0.5 + (1.5 - s1) / 2) / 2;
        QVERIFY(matches(att->weights(), {w0, 1 - w0}));
        QVERIFY(std::abs(w0 - 0.442235) < 1e-6);
        att->headMap(0, 0, map);
        QVERIFY(matches(map, {0.5, 0.5, 0.5, 0.5}));
        att->headMap(0, 1, map);
        QVERIFY(matches(map, {0.5, 0.5, 1 - s1, s1}));
        att->headMap(0, SelfAttention::MeanOfHeads, map);
        QVERIFY(matches(map, {0.5, 0.5, (1.5 - s1) / 2, (0.5 + s1) / 2}));
    }
    {
        // Window w = 1: each query sees only itself, A = I; with W_v = 2 I, C = 2 h and
        //   out = mean_t 2 h_t = (2, 1); weights = [0.5, 0.5].
        auto att = make(1, false, 1);
        att->params().wV *= 2;
        att->forward(hs, out);
        QVERIFY(matches(out, {2, 1}));
        QVERIFY(matches(att->weights(), {0.5, 0.5}));
        att->headMap(0, 0, map);
        QVERIFY(matches(map, {1, 0, 0, 1}));
    }
    {
        // Weight override w = (0.25, 0.75), two causal heads: every query of every head reads
        // w, so A = [[0.25, 0.75], [0.25, 0.75]] (the causal mask is not applied to it) and
        // out = (w V) W_o^T = 0.25 (1, 0) + 0.75 (1, 1) = (1, 0.75); weights() = w.
        auto att = make(2, true, 0);
        Mat w(1, 2);
        w << 0.25, 0.75;
        att->setWeightOverride(w);
        att->forward(hs, out);
        QVERIFY(matches(out, {1, 0.75}));
        QVERIFY(matches(att->weights(), {0.25, 0.75}));
        att->headMap(0, 1, map);
        QVERIFY(matches(map, {0.25, 0.75, 0.25, 0.75}));
        att->setWeightOverride(Mat());
        att->forward(hs, out);
        // Without it: head 0 (q = k = v = (1, 1)) gives C = (1, 1), causal head 1 (q = k = v =
        // (0, 1)) gives (0, sigmoid(1)), so out = (1, sigmoid(1) / 2).
        QVERIFY(matches(out, {1, sigmoid(1.0) / 2}));
    }
}

void TestSelfAttention::gradients_data()
{
    // T >= 2 in every row: with one step the softmax is constant and the score parameters get
    // exactly zero gradient, which any relative-error check would pass.
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("heads");
    QTest::addColumn<bool>("causal");
    QTest::addColumn<int>("window");
    QTest::newRow("T2 B1 H1 K1") << 2 << 1 << 1 << 1 << false << 0;
    QTest::newRow("T4 B2 H4 K2") << 4 << 2 << 4 << 2 << false << 0;
    QTest::newRow("T4 B2 H4 K2 causal") << 4 << 2 << 4 << 2 << true << 0;
    QTest::newRow("T5 B2 H6 K3 window 2") << 5 << 2 << 6 << 3 << false << 2;
    QTest::newRow("T5 B2 H6 K3 causal window 2") << 5 << 2 << 6 << 3 << true << 2;
    QTest::newRow("T6 B3 H4 K1 causal window 3") << 6 << 3 << 4 << 1 << true << 3;
    QTest::newRow("T3 B2 H6 K6 window 5") << 3 << 2 << 6 << 6 << false << 5;
    QTest::newRow("T7 B1 H3 K1 causal") << 7 << 1 << 3 << 1 << true << 0;
}

void TestSelfAttention::gradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, hidden);
    QFETCH(int, heads);
    QFETCH(bool, causal);
    QFETCH(int, window);
    Rng rng(41);
    SelfAttention att(hidden, heads, causal, window, rng);
    att.resize(steps, batch);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    Mat hs = randomMat(tb, hidden, rng), w = randomMat(batch, hidden, rng), out(batch, hidden);
    Mat dHs(tb, hidden);
    std::vector<ParamRef> ps;
    att.appendParams("attention", ps);
    QCOMPARE(int(ps.size()), 4);
    QCOMPARE(ps[0].name, std::string("attention.w_q"));
    QCOMPARE(ps[3].name, std::string("attention.w_o"));
    const std::string failure = gradientFailure(
        ps, hs, dHs,
        [&] {
            att.forward(hs, out);
            return weightedSum(out, w);
        },
        [&] { att.backward(hs, w, dHs); });
    QVERIFY2(failure.empty(), failure.c_str());
}

void TestSelfAttention::maps_data()
{
    QTest::addColumn<int>("heads");
    QTest::addColumn<bool>("causal");
    QTest::addColumn<int>("window");
    QTest::newRow("K2 full") << 2 << false << 0;
    QTest::newRow("K2 causal") << 2 << true << 0;
    QTest::newRow("K4 window 2") << 4 << false << 2;
    QTest::newRow("K1 causal window 3") << 1 << true << 3;
    QTest::newRow("K2 window 1") << 2 << false << 1;
}

void TestSelfAttention::maps()
{
    QFETCH(int, heads);
    QFETCH(bool, causal);
    QFETCH(int, window);
    const int T = 7, B = 3, H = 8;
    Rng rng(51);
    SelfAttention att(H, heads, causal, window, rng);
    att.resize(T, B);
    Mat hs = randomMat(Eigen::Index(T) * B, H, rng, 2.0), out(B, H), map(T, T), mean = Mat::Zero(T, T);
    att.forward(hs, out);
    QCOMPARE(att.headWeights().rows(), Eigen::Index(heads) * B * T);
    QCOMPARE(att.headWeights().cols(), Eigen::Index(T));
    for (int b = 0; b < B; ++b) {
        Mat headSum = Mat::Zero(T, T);
        for (int k = 0; k < heads; ++k) {
            att.headMap(b, k, map);
            // headMap is the documented row block of headWeights().
            QVERIFY(map == att.headWeights().middleRows((Eigen::Index(k) * B + b) * T, T));
            headSum += map;
            for (int t = 0; t < T; ++t) {
                QVERIFY(std::abs(map.row(t).sum() - 1.0) < 1e-12);
                for (int s = 0; s < T; ++s) {
                    const bool visible =
                        (!causal || s <= t) && (window == 0 || std::abs(t - s) < window);
                    if (visible)
                        QVERIFY2(map(t, s) > 0, "a visible key got no weight");
                    else
                        QVERIFY2(map(t, s) == 0.0, "a masked key got weight");
                }
            }
        }
        att.headMap(b, SelfAttention::MeanOfHeads, mean);
        QVERIFY((mean - headSum / heads).cwiseAbs().maxCoeff() < 1e-12);
        // weights() = attention received per key, averaged over queries and heads.
        QVERIFY((att.weights().row(b) - mean.colwise().sum() / T).cwiseAbs().maxCoeff() < 1e-12);
        QVERIFY(std::abs(att.weights().row(b).sum() - 1.0) < 1e-12);
    }
}

void TestSelfAttention::rejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SelfAttention(6, 4, false, 0, rng));
    QCOMPARE(errorOf([&] { SelfAttention(6, 4, false, 0, rng); }),
             std::string("SelfAttention: hidden 6 is not divisible by heads 4"));
    QVERIFY_THROWS_EXCEPTION(ConfigError, SelfAttention(6, 0, false, 0, rng));
    QVERIFY_THROWS_EXCEPTION(ConfigError, SelfAttention(6, 2, true, -1, rng));
    SelfAttention att(4, 2, true, 0, rng);
    Mat hs(10, 4), out(2, 4), dHs(10, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, out)); // no resize yet
    att.resize(5, 2);
    Mat hsBad(10, 3);
    QCOMPARE(errorOf([&] { att.forward(hsBad, out); }),
             std::string("SelfAttention::forward hs: expected 10x4, got 10x3"));
    Mat outBad(2, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, outBad));
    att.forward(hs, out);
    Mat dOutBad(2, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.backward(hs, dOutBad, dHs));
    Mat map(5, 5), mapBad(4, 5);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.headMap(0, 0, mapBad));
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.headMap(2, 0, map));
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.headMap(0, 2, map));
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.headMap(0, -2, map));
}

void TestSelfAttention::gradientsAccumulate()
{
    Rng rng(71);
    SelfAttention att(4, 2, true, 2, rng);
    verifyGradientsAccumulate(att, 4, 2, 4, rng);
}

void TestSelfAttention::forwardBackwardDoNotAllocate_data()
{
    QTest::addColumn<bool>("causal");
    QTest::addColumn<int>("window");
    QTest::newRow("self") << false << 0;
    QTest::newRow("self causal window") << true << 6;
}

void TestSelfAttention::forwardBackwardDoNotAllocate()
{
    QFETCH(bool, causal);
    QFETCH(int, window);
    // Sizes of the seed experiments (add task: T = 20, B = 64, H = 100 -> 128), so the large
    // GEMM code paths run, not only the small-product ones.
    const int T = 20, B = 64, H = 128;
    Rng rng(81);
    SelfAttention att(H, 4, causal, window, rng);
    Mat map(T, T);
    verifyForwardBackwardDoNotAllocate(att, T, B, H, rng,
                                       [&] { att.headMap(B - 1, SelfAttention::MeanOfHeads, map); });
}

void TestSelfAttention::maskedPadding()
{
    // Rows of different real lengths, pre- and post-padded: padding weights exactly 0, the real
    // weights sum to 1, gradients match finite differences, padding states get no gradient.
    Rng rng(97);
    for (bool causal : {false, true})
        for (int window : {0, 2}) {
            SelfAttention att(4, 2, causal, window, rng);
            verifyMaskedAttention(att, 5, 4, 4, rng, true);
        }
}

QTEST_APPLESS_MAIN(TestSelfAttention)
#include "tst_selfattention.moc"
