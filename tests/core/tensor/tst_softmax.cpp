// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the row-wise softmax shared by the attention layers (core/tensor/softmax.h): a
// hand-computed case (rows summing to 1, no overflow for large scores) and a double-precision
// finite-difference check of softmaxRowsBackward over a table of shapes.
#include "core/tensor/softmax.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestSoftmax : public QObject {
    Q_OBJECT
private slots:
    void rowsSumToOne();
    void gradients_data();
    void gradients();
    void maskedRows();
};

void TestSoftmax::rowsSumToOne()
{
    Mat e(2, 3), a(2, 3);
    e << 1000, 1000, 1000, // would overflow exp() without the max subtraction
        0, std::log(2.0), std::log(5.0);
    softmaxRows(e, a);
    QVERIFY(std::abs(a(0, 0) - 1.0 / 3) < 1e-12);
    QVERIFY(std::abs(a(1, 0) - 0.125) < 1e-12);
    QVERIFY(std::abs(a(1, 2) - 0.625) < 1e-12);
}

void TestSoftmax::gradients_data()
{
    // T >= 2 in every row: a one-column softmax is the constant 1, its gradient exactly zero.
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("steps");
    QTest::newRow("B1 T2") << 1 << 2;
    QTest::newRow("B3 T5") << 3 << 5;
    QTest::newRow("B4 T20") << 4 << 20;
}

void TestSoftmax::gradients()
{
    QFETCH(int, batch);
    QFETCH(int, steps);
    Rng rng(19);
    Mat e = randomMat(batch, steps, rng, 2.0), w = randomMat(batch, steps, rng);
    Mat a(batch, steps), dE(batch, steps);
    auto loss = [&] {
        softmaxRows(e, a);
        return weightedSum(a, w);
    };
    loss();
    softmaxRowsBackward(a, w, dE);
    QVERIFY(dE.norm() > 0);
    const double err = relativeError(dE, numericGradient(e, loss));
    QVERIFY2(err < 1e-6, ("relative error " + std::to_string(err)).c_str());
    for (Eigen::Index b = 0; b < batch; ++b) // softmax is shift-invariant: each row of dE sums to 0
        QVERIFY(std::abs(dE.row(b).sum()) < 1e-12);
}

void TestSoftmax::maskedRows()
{
    // Padding is left out of the max and the sum: a huge padding score neither overflows nor
    // takes weight; padding gets exactly 0, the real steps the softmax of their own scores; a
    // row without a real step gets zeros, not NaN.
    Mat e(3, 4), mask(3, 4), a(3, 4);
    e << 0, std::log(3.0), 1e300, -1e300,
        2, 2, 2, 2,
        1, 2, 3, 4;
    mask << 1, 1, 0, 0,
        0, 1, 1, 1,
        0, 0, 0, 0;
    maskedSoftmaxRows(e, mask, a);
    QCOMPARE(a(0, 2), 0.0);
    QCOMPARE(a(0, 3), 0.0);
    QVERIFY(std::abs(a(0, 0) - 0.25) < 1e-15 && std::abs(a(0, 1) - 0.75) < 1e-15);
    QCOMPARE(a(1, 0), 0.0);
    for (int t = 1; t < 4; ++t)
        QVERIFY(std::abs(a(1, t) - 1.0 / 3) < 1e-15);
    QVERIFY(a.row(2).isZero(0));
    // The backward is softmaxRowsBackward: zero on padding, a finite-difference match elsewhere.
    Rng rng(5);
    Mat scores = randomMat(2, 5, rng), w = randomMat(2, 5, rng), m(2, 5), a2(2, 5), de(2, 5);
    m << 1, 1, 1, 0, 0,
        0, 1, 0, 1, 1;
    auto loss = [&] {
        maskedSoftmaxRows(scores, m, a2);
        return weightedSum(a2, w);
    };
    loss();
    softmaxRowsBackward(a2, w, de);
    QVERIFY(relativeError(de, numericGradient(scores, loss)) < 1e-7);
    QCOMPARE(de(0, 3), 0.0);
    QCOMPARE(de(1, 0), 0.0);
}

QTEST_APPLESS_MAIN(TestSoftmax)
#include "tst_softmax.moc"
