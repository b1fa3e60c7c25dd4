// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of LocalMonotonicAttention (Luong et al. 2015, sec. 3.2, local-m, many-to-one: window
// [T-1-D, T-1]): a hand-computed forward case, a double-precision finite-difference gradient
// check over a table of shapes and windows, bad-shape rejection, the window over real steps
// with padding, gradients that accumulate, and no allocation in a step.
#include "core/attention/localmonotonicattention.h"
#include "tests/attentionchecks.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestLocalMonotonicAttention : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
    void windowCoversLastRealSteps();
    void maskedPadding();
    void gradientsAccumulate();
    void forwardBackwardDoNotAllocate();
};

void TestLocalMonotonicAttention::forwardByHand()
{
    // H = 1, U = 1, T = 4, B = 1, D = 1: window [p - 1, p] = steps 2, 3 (0-based), p = T - 1 = 3.
    // h = [3, 0.5, -1, 1], query h_T = 1, W_a = 2: scores e_s = 2 h_T h_s = [6, 1, -2, 2].
    //   a = [0, 0, e^-2 / (e^-2 + e^2), e^2 / (e^-2 + e^2)] = [0, 0, 0.017986, 0.982014]
    //   c = -a_2 + a_3 = 0.964028;  W_c = [1, 0.5]: out = tanh(c + 0.5) = 0.898432
    // (step 0 has the largest score but is outside the window: weight exactly 0)
    Rng rng(1);
    LocalMonotonicAttention att(1, 1, 1, rng);
    std::vector<ParamRef> ps;
    att.appendParams("attention", ps);
    QCOMPARE(int(ps.size()), 2);
    QCOMPARE(ps[0].name, std::string("attention.weight"));
    QCOMPARE(ps[1].name, std::string("attention.weight_c"));
    *ps[0].value << 2;
    *ps[1].value << 1, 0.5;
    att.resize(4, 1);
    Mat hs(4, 1), out(1, 1);
    hs << 3, 0.5, -1, 1;
    att.forward(hs, out);
    const double z = std::exp(-2.0) + std::exp(2.0);
    const double a2 = std::exp(-2.0) / z, a3 = std::exp(2.0) / z;
    QCOMPARE(att.weights()(0, 0), 0.0);
    QCOMPARE(att.weights()(0, 1), 0.0);
    QVERIFY(std::abs(att.weights()(0, 2) - a2) < 1e-12);
    QVERIFY(std::abs(att.weights()(0, 3) - a3) < 1e-12);
    QVERIFY(std::abs(a3 - 0.982014) < 1e-6);
    QVERIFY(std::abs(out(0, 0) - std::tanh(-a2 + a3 + 0.5)) < 1e-12);
    QVERIFY(std::abs(out(0, 0) - 0.898432) < 1e-6);
}

void TestLocalMonotonicAttention::gradients_data()
{
    // D >= 1, so the window always holds >= 2 steps and the score has a non-zero gradient.
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("units");
    QTest::addColumn<int>("window");
    for (int d : {1, 3, 20}) {
        const std::string D = " D" + std::to_string(d);
        QTest::newRow(("T2 B1 H1 U1" + D).c_str()) << 2 << 1 << 1 << 1 << d;
        QTest::newRow(("T4 B2 H3 U5" + D).c_str()) << 4 << 2 << 3 << 5 << d;
        QTest::newRow(("T7 B3 H4 U2" + D).c_str()) << 7 << 3 << 4 << 2 << d;
        QTest::newRow(("T10 B2 H2 U3" + D).c_str()) << 10 << 2 << 2 << 3 << d;
    }
}

void TestLocalMonotonicAttention::gradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, hidden);
    QFETCH(int, units);
    QFETCH(int, window);
    Rng rng(31);
    LocalMonotonicAttention att(hidden, units, window, rng);
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
    const int first = std::max(0, steps - 1 - window);
    for (Eigen::Index b = 0; b < batch; ++b) {
        QVERIFY(std::abs(att.weights().row(b).sum() - 1.0) < 1e-12);
        for (int s = 0; s < first; ++s) { // outside the window: no weight, no gradient
            QCOMPARE(att.weights()(b, s), 0.0);
            QVERIFY(dHs.row(Eigen::Index(s) * batch + b).isZero(0));
        }
        for (int s = first; s < steps; ++s)
            QVERIFY(att.weights()(b, s) > 0.0);
    }
}

void TestLocalMonotonicAttention::rejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ConfigError, LocalMonotonicAttention(4, 3, 0, rng));
    QVERIFY_THROWS_EXCEPTION(ConfigError, LocalMonotonicAttention(0, 3, 2, rng));
    QVERIFY_THROWS_EXCEPTION(ConfigError, LocalMonotonicAttention(4, 0, 2, rng));
    LocalMonotonicAttention att(4, 3, 2, rng);
    Mat hs(10, 4), out(2, 3), dHs(10, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, out)); // no resize yet
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.resize(0, 2));
    att.resize(5, 2);
    Mat hsBad(10, 3);
    QCOMPARE(errorOf([&] { att.forward(hsBad, out); }),
             std::string("LocalMonotonicAttention::forward hs: expected 10x4, got 10x3"));
    Mat outBad(2, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, outBad));
    Mat maskBad = Mat::Ones(2, 4);
    att.setMask(maskBad);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, out));
    att.setMask(Mat());
    att.forward(hs, out);
    Mat dOutBad(2, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.backward(hs, dOutBad, dHs));
}

void TestLocalMonotonicAttention::windowCoversLastRealSteps()
{
    // T = 6, D = 2: row 0 post-padded with 4 real steps (0..3) -> window {1, 2, 3};
    // row 1 pre-padded with 2 real steps (4, 5) -> window {4, 5} (fewer than D + 1 real steps);
    // row 2 with padding inside (real steps 0, 1, 3, 5) -> window {1, 3, 5}: the last 3 real steps.
    Rng rng(5);
    LocalMonotonicAttention att(3, 2, 2, rng);
    att.resize(6, 3);
    Mat mask(3, 6);
    mask << 1, 1, 1, 1, 0, 0, //
        0, 0, 0, 0, 1, 1,     //
        1, 1, 0, 1, 0, 1;
    att.setMask(mask);
    Mat hs = randomMat(18, 3, rng), out(3, 2);
    att.forward(hs, out);
    Mat expected(3, 6);
    expected << 0, 1, 1, 1, 0, 0, //
        0, 0, 0, 0, 1, 1,         //
        0, 1, 0, 1, 0, 1;
    QVERIFY(att.window() == expected);
    for (int b = 0; b < 3; ++b) {
        QVERIFY(std::abs(att.weights().row(b).sum() - 1.0) < 1e-12);
        for (int s = 0; s < 6; ++s)
            QCOMPARE(att.weights()(b, s) > 0.0, expected(b, s) > 0.0);
    }
}

void TestLocalMonotonicAttention::maskedPadding()
{
    Rng rng(97);
    LocalMonotonicAttention att(4, 3, 2, rng);
    verifyMaskedAttention(att, 6, 4, 4, rng, true);
}

void TestLocalMonotonicAttention::gradientsAccumulate()
{
    Rng rng(71);
    LocalMonotonicAttention att(4, 3, 2, rng);
    verifyGradientsAccumulate(att, 4, 2, 4, rng);
}

void TestLocalMonotonicAttention::forwardBackwardDoNotAllocate()
{
    Rng rng(81);
    LocalMonotonicAttention att(128, 128, 5, rng);
    verifyForwardBackwardDoNotAllocate(att, 20, 64, 128, rng);
}

QTEST_APPLESS_MAIN(TestLocalMonotonicAttention)
#include "tst_localmonotonicattention.moc"
