// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of MeanVarianceNorm (LayerNorm without gain and bias): a hand-computed forward case, a
// double-precision finite-difference gradient check over a table of shapes, bad shapes, and
// the in-place use (y aliasing x, dx aliasing dy).
#include "core/layers/meanvariancenorm.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestMeanVarianceNorm : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
    void inPlace();
};

void TestMeanVarianceNorm::forwardByHand()
{
    // x = [1, 2, 3, 6]: mu = 3, var = (4 + 1 + 0 + 9) / 4 = 3.5; y = (x - 3) / sqrt(3.5 + 1e-5).
    // A constant row has var 0: y = 0 / sqrt(eps) = 0.
    MeanVarianceNorm mvn(4);
    mvn.resize(2);
    Mat x(2, 4), y(2, 4);
    x << 1, 2, 3, 6, //
        5, 5, 5, 5;
    mvn.forward(x, y);
    const double s = 1.0 / std::sqrt(3.5 + 1e-5);
    const double expected[4] = {-2 * s, -1 * s, 0, 3 * s};
    for (int j = 0; j < 4; ++j) {
        QVERIFY(std::abs(y(0, j) - expected[j]) < 1e-12);
        QCOMPARE(y(1, j), 0.0);
    }
    QVERIFY(std::abs(y(0, 3) - 1.603565) < 1e-6); // 3 / sqrt(3.5 + 1e-5)
    QVERIFY(std::abs(mvn.cache().invStd(0, 0) - s) < 1e-12);
}

void TestMeanVarianceNorm::gradients_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("width");
    QTest::newRow("N1 D2") << 1 << 2;
    QTest::newRow("N3 D5") << 3 << 5;
    QTest::newRow("N8 D16") << 8 << 16;
    QTest::newRow("N2 D33") << 2 << 33;
}

void TestMeanVarianceNorm::gradients()
{
    QFETCH(int, rows);
    QFETCH(int, width);
    Rng rng(11);
    MeanVarianceNorm mvn(width);
    mvn.resize(rows);
    Mat x = randomMat(rows, width, rng), w = randomMat(rows, width, rng), y(rows, width), dx(rows, width);
    const std::string failure = gradientFailure(
        {}, x, dx,
        [&] {
            mvn.forward(x, y);
            return weightedSum(y, w);
        },
        [&] { mvn.backward(w, dx); });
    QVERIFY2(failure.empty(), failure.c_str());
    QVERIFY(dx.norm() > 0);
    // The output has zero mean over each row, so dx is orthogonal to a constant shift.
    QVERIFY(dx.rowwise().sum().cwiseAbs().maxCoeff() < 1e-10);
}

void TestMeanVarianceNorm::rejectsBadShapes()
{
    QVERIFY_THROWS_EXCEPTION(ConfigError, MeanVarianceNorm(0));
    QVERIFY_THROWS_EXCEPTION(ConfigError, MeanVarianceNorm(3, 0.0));
    MeanVarianceNorm mvn(3);
    Mat x(2, 3), y(2, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, mvn.forward(x, y)); // before resize
    QVERIFY_THROWS_EXCEPTION(ShapeError, mvn.resize(0));
    mvn.resize(2);
    Mat bad(2, 4);
    QCOMPARE(errorOf([&] { mvn.forward(bad, y); }),
             std::string("MeanVarianceNorm::forward x: expected 2x3, got 2x4"));
    QVERIFY_THROWS_EXCEPTION(ShapeError, mvn.forward(x, bad));
    QVERIFY_THROWS_EXCEPTION(ShapeError, mvn.backward(bad, y));
    QVERIFY_THROWS_EXCEPTION(ShapeError, mvn.backward(x, bad));
}

void TestMeanVarianceNorm::inPlace()
{
    Rng rng(5);
    MeanVarianceNorm mvn(6);
    mvn.resize(3);
    const Mat x = randomMat(3, 6, rng), dy = randomMat(3, 6, rng);
    Mat y(3, 6), dx(3, 6);
    mvn.forward(x, y);
    mvn.backward(dy, dx);
    Mat inPlace = x;
    mvn.forward(inPlace, inPlace);
    QVERIFY((inPlace - y).cwiseAbs().maxCoeff() < 1e-15);
    Mat dInPlace = dy;
    mvn.backward(dInPlace, dInPlace);
    QVERIFY((dInPlace - dx).cwiseAbs().maxCoeff() < 1e-15);
}

QTEST_APPLESS_MAIN(TestMeanVarianceNorm)
#include "tst_meanvariancenorm.moc"
