// SPDX-License-Identifier: GPL-3.0-or-later
// L2Penalty (Keras' l2 regularizer): the hand-computed term, its gradient against central
// differences in double precision, accumulation into existing gradients, the choice of
// parameters by name, and the rates it refuses.
#include "core/train/l2penalty.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <limits>

using namespace attn;
using namespace attn::test;

class TestL2Penalty : public QObject {
    Q_OBJECT
private slots:
    void handComputedTerm();
    void gradientMatchesFiniteDifferences_data();
    void gradientMatchesFiniteDifferences();
    void choosesParametersByName();
    void rejectsBadRates();
};

void TestL2Penalty::handComputedTerm()
{
    Mat w(2, 2), g = Mat::Zero(2, 2);
    w << 1, -2, 0.5, 3;
    const std::vector<ParamRef> ps{{"embedding.weight", &w, &g}};
    const L2Penalty l2(1e-3, ps, {"embedding.weight"});
    // 1e-3 (1 + 4 + 0.25 + 9) = 0.01425
    QCOMPARE(l2.value(), 0.01425);
    QCOMPARE(l2.addGradient(), 0.01425);
    Mat expected(2, 2);
    expected << 2e-3, -4e-3, 1e-3, 6e-3; // 2 l w
    QVERIFY((g - expected).cwiseAbs().maxCoeff() < 1e-15);
    l2.addGradient(); // gradients accumulate, as every layer's until zeroGrad()
    QVERIFY((g - 2 * expected).cwiseAbs().maxCoeff() < 1e-15);
}

void TestL2Penalty::gradientMatchesFiniteDifferences_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<double>("rate");
    QTest::newRow("1x1") << 1 << 1 << 0.5;
    QTest::newRow("embedding 8x3") << 8 << 3 << 1e-3;
    QTest::newRow("5x7 strong") << 5 << 7 << 2.0;
}

void TestL2Penalty::gradientMatchesFiniteDifferences()
{
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(double, rate);
    Rng rng(3);
    Mat a = randomMat(rows, cols, rng), b = randomMat(2, rows, rng);
    Mat ga = Mat::Zero(rows, cols), gb = Mat::Zero(2, rows);
    const std::vector<ParamRef> ps{{"a", &a, &ga}, {"b", &b, &gb}};
    const L2Penalty l2(rate, ps, {"a", "b"});
    l2.addGradient();
    auto f = [&] { return l2.value(); };
    QVERIFY(relativeError(ga, numericGradient(a, f)) < 1e-8);
    QVERIFY(relativeError(gb, numericGradient(b, f)) < 1e-8);
}

void TestL2Penalty::choosesParametersByName()
{
    Mat w = Mat::Constant(3, 2, 2.0), v = Mat::Constant(2, 2, 5.0);
    Mat gw = Mat::Zero(3, 2), gv = Mat::Zero(2, 2);
    const std::vector<ParamRef> ps{{"lstm.weight_ih_l0", &v, &gv}, {"embedding.weight", &w, &gw}};
    const L2Penalty l2(0.1, ps, {"embedding.weight", "missing.weight"});
    QCOMPARE(l2.parameterCount(), 1);
    QCOMPARE(l2.addGradient(), 0.1 * 6 * 4.0);
    QCOMPARE(gv.cwiseAbs().maxCoeff(), Scalar(0)); // the LSTM is not penalised
    QCOMPARE(gw(0, 0), Scalar(0.4));
    // Rate 0: no parameter, no term, no gradient.
    const L2Penalty off(0.0, ps, {"embedding.weight"});
    QCOMPARE(off.parameterCount(), 0);
    QCOMPARE(off.addGradient(), 0.0);
    QCOMPARE(gw(0, 0), Scalar(0.4));
}

void TestL2Penalty::rejectsBadRates()
{
    const std::vector<ParamRef> none;
    for (double rate : {-1e-3, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()})
        QVERIFY_THROWS_EXCEPTION(ConfigError, L2Penalty(rate, none, {"embedding.weight"}));
}

QTEST_APPLESS_MAIN(TestL2Penalty)
#include "tst_l2penalty.moc"
