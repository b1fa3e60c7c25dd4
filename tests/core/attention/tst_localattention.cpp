// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of LocalAttention (Luong et al. 2015, local-p): a hand-computed forward case, a
// double-precision finite-difference gradient check (parameters and hidden states, windows
// included) over a table of shapes, bad-shape rejection, gradients that accumulate, and no
// allocation in a step.
#include "core/attention/localattention.h"
#include "tests/attentionchecks.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

namespace {
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
} // namespace

class TestLocalAttention : public QObject {
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

void TestLocalAttention::forwardByHand()
{
    // H = 1, A = 1, U = 1, T = 3, B = 1, D = 2 (sigma = 1); h = [0.5, -1, 1], query h_T = 1.
    //   W_p = 1, v_p = 1: p = 3 sigmoid(tanh(1)) = 3 sigmoid(0.761594) = 2.045099
    //   W_a = 1: scores = h_T h_s = [0.5, -1, 1]; align = softmax = [0.348207, 0.077696, 0.574097]
    //   gauss at s = 1, 2, 3: exp(-(s - p)^2 / 2) = [0.579195, 0.998984, 0.633866]
    //   a = align * gauss = [0.201680, 0.077617, 0.363901], sum 0.643197 (not renormalised)
    //   c = 0.5 a_1 - a_2 + a_3 = 0.387124;  W_c = [1, 0.5]: out = tanh(c + 0.5 h_T) = 0.709970
    Rng rng(1);
    LocalAttention att(1, 1, 2, rng);
    att.params().wP << 1;
    att.params().vP << 1;
    att.params().wA << 1;
    std::vector<ParamRef> ps;
    att.appendParams("attention", ps);
    QCOMPARE(int(ps.size()), 4);
    QCOMPARE(ps[3].name, std::string("attention.weight_c"));
    *ps[3].value << 1, 0.5;
    att.resize(3, 1);
    Mat hs(3, 1), out(1, 1);
    hs << 0.5, -1, 1;
    att.forward(hs, out);
    const double p = 3 * sigmoid(std::tanh(1.0));
    QVERIFY(std::abs(p - 2.045099) < 1e-6);
    QVERIFY(std::abs(att.centres()(0, 0) - p) < 1e-12);
    const double z = std::exp(0.5) + std::exp(-1.0) + std::exp(1.0);
    const double align[3] = {std::exp(0.5) / z, std::exp(-1.0) / z, std::exp(1.0) / z};
    double a[3], sum = 0;
    for (int s = 0; s < 3; ++s) {
        a[s] = align[s] * std::exp(-(s + 1 - p) * (s + 1 - p) / 2.0);
        sum += a[s];
        QVERIFY(std::abs(att.weights()(0, s) - a[s]) < 1e-12);
    }
    QVERIFY(std::abs(sum - 0.643197) < 1e-6);
    QVERIFY(std::abs(att.weights().row(0).sum() - sum) < 1e-12);
    const double c = 0.5 * a[0] - a[1] + a[2];
    QVERIFY(std::abs(out(0, 0) - std::tanh(c + 0.5)) < 1e-12);
    QVERIFY(std::abs(out(0, 0) - 0.709970) < 1e-6);
}

void TestLocalAttention::gradients_data()
{
    // T >= 2 in every row: with one step the softmax is constant and the score parameters get
    // exactly zero gradient, which any relative-error check would pass.
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("units");
    QTest::addColumn<int>("halfWidth");
    for (int d : {1, 4}) {
        const std::string D = " D" + std::to_string(d);
        QTest::newRow(("T2 B1 H1 U1" + D).c_str()) << 2 << 1 << 1 << 1 << d;
        QTest::newRow(("T4 B2 H3 U5" + D).c_str()) << 4 << 2 << 3 << 5 << d;
        QTest::newRow(("T7 B3 H4 U2" + D).c_str()) << 7 << 3 << 4 << 2 << d;
        QTest::newRow(("T10 B2 H2 U3" + D).c_str()) << 10 << 2 << 2 << 3 << d;
    }
}

void TestLocalAttention::gradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, hidden);
    QFETCH(int, units);
    QFETCH(int, halfWidth);
    Rng rng(31);
    LocalAttention att(hidden, units, halfWidth, rng);
    att.resize(steps, batch);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    Mat hs = randomMat(tb, hidden, rng), w = randomMat(batch, units, rng), out(batch, units);
    Mat dHs(tb, hidden);
    std::vector<ParamRef> ps;
    att.appendParams("attention", ps);
    const std::string failure = gradientFailure(
        ps, hs, dHs,
        [&] {
            att.forward(hs, out);
            return weightedSum(out, w);
        },
        [&] { att.backward(hs, w, dHs); });
    QVERIFY2(failure.empty(), failure.c_str());
    // The gradient reaches p: W_p and v_p act on the output only through the centre.
    QVERIFY(att.grads().vP.norm() > 0);
    for (Eigen::Index b = 0; b < batch; ++b) {
        const double sum = att.weights().row(b).sum();
        QVERIFY(sum > 0 && sum <= 1 + 1e-12); // not renormalised: align times a Gaussian <= 1
        QVERIFY(att.centres()(b, 0) > 0 && att.centres()(b, 0) < steps);
    }
}

void TestLocalAttention::rejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ConfigError, LocalAttention(4, 3, 0, rng));
    QVERIFY_THROWS_EXCEPTION(ConfigError, LocalAttention(0, 3, 2, rng));
    LocalAttention att(4, 3, 2, rng);
    Mat hs(10, 4), out(2, 3), dHs(10, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, out)); // no resize yet
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.resize(0, 2));
    att.resize(5, 2);
    Mat hsBad(10, 3);
    QCOMPARE(errorOf([&] { att.forward(hsBad, out); }),
             std::string("LocalAttention::forward hs: expected 10x4, got 10x3"));
    Mat outBad(2, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, outBad));
    att.forward(hs, out);
    Mat dOutBad(2, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.backward(hs, dOutBad, dHs));
}

void TestLocalAttention::gradientsAccumulate()
{
    Rng rng(71);
    LocalAttention att(4, 3, 2, rng);
    verifyGradientsAccumulate(att, 4, 2, 4, rng);
}

void TestLocalAttention::forwardBackwardDoNotAllocate()
{
    // Sizes of the seed experiments (add task: T = 20, B = 64, H = 100 -> 128), so the large
    // GEMM code paths run, not only the small-product ones.
    Rng rng(81);
    LocalAttention att(128, 128, 5, rng);
    verifyForwardBackwardDoNotAllocate(att, 20, 64, 128, rng);
}

void TestLocalAttention::maskedPadding()
{
    // Rows of different real lengths, pre- and post-padded: padding weights exactly 0, the real
    // weights sum to 1, gradients match finite differences, padding states get no gradient.
    Rng rng(97);
    LocalAttention att(4, 3, 2, rng);
    verifyMaskedAttention(att, 6, 4, 4, rng, false);
}

QTEST_APPLESS_MAIN(TestLocalAttention)
#include "tst_localattention.moc"
