// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the Dense layer: a hand-computed forward case, a double-precision finite-difference
// gradient check (weight, bias and input) over a table of shapes, and bad-shape rejection.
#include "core/layers/dense.h"
#include "tests/gradcheck.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

class TestDense : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
};

void TestDense::forwardByHand()
{
    Rng rng(1);
    Dense d(2, 3, true, rng);
    d.params().weight << 1, 2, 3, 4, 5, 6; // (3, 2)
    d.params().bias << 0.5, -1, 0;
    Mat x(1, 2);
    x << 1, -1;
    Mat y(1, 3);
    d.forward(x, y);
    QCOMPARE(y(0, 0), -1 + 0.5); // 1*1 + 2*(-1) + 0.5
    QCOMPARE(y(0, 1), -1 - 1.0);
    QCOMPARE(y(0, 2), -1 + 0.0);
}

void TestDense::gradients_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("out");
    QTest::addColumn<bool>("bias");
    QTest::newRow("1x1x1") << 1 << 1 << 1 << true;
    QTest::newRow("4x3x5") << 4 << 3 << 5 << true;
    QTest::newRow("7x6x2 no bias") << 7 << 6 << 2 << false;
}

void TestDense::gradients()
{
    QFETCH(int, n);
    QFETCH(int, in);
    QFETCH(int, out);
    QFETCH(bool, bias);
    Rng rng(11);
    Dense d(in, out, bias, rng);
    if (bias)
        d.params().bias = randomMat(1, out, rng);
    Mat x = randomMat(n, in, rng), w = randomMat(n, out, rng), y(n, out), dx(n, in);
    auto loss = [&] {
        d.forward(x, y);
        return weightedSum(y, w);
    };
    loss();
    d.zeroGrad();
    d.backward(x, w, &dx);
    std::vector<ParamRef> ps;
    d.appendParams("dense", ps);
    for (const ParamRef &p : ps)
        QVERIFY2(relativeError(*p.grad, numericGradient(*p.value, loss)) < 1e-6, p.name.c_str());
    QVERIFY(relativeError(dx, numericGradient(x, loss)) < 1e-6);
}

void TestDense::rejectsBadShapes()
{
    Rng rng(1);
    Dense d(3, 2, true, rng);
    Mat x(4, 5), y(4, 2);
    QVERIFY_THROWS_EXCEPTION(ShapeError, d.forward(x, y));
    Mat x2(4, 3), y2(3, 2);
    QVERIFY_THROWS_EXCEPTION(ShapeError, d.forward(x2, y2));
    QVERIFY_THROWS_EXCEPTION(ConfigError, Dense(0, 2, true, rng));
}

QTEST_APPLESS_MAIN(TestDense)
#include "tst_dense.moc"
