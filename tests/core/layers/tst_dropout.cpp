// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the Dropout layer (inverted dropout, Srivastava et al. 2014): a hand-computed forward
// case, a double-precision finite-difference gradient check with the mask held fixed over a
// table of shapes, the rate and scale of the mask, and bad shapes and rates rejected.
#include "core/layers/dropout.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestDropout : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void gradients_data();
    void gradients();
    void scalesAndMasks();
    void rejectsBadShapes();
};

void TestDropout::forwardByHand()
{
    // x (2, 2) = [[1, -2], [3, 0.5]], p = 0.5: kept entries are scaled by 1 / (1 - 0.5) = 2, so
    //   y(0, 0) in {0, 2}, y(0, 1) in {0, -4}, y(1, 0) in {0, 6}, y(1, 1) in {0, 1};
    //   backward: dx = dy * mask = dy * y / x;  evaluation: y = x and dx = dy.
    Rng rng(3);
    Dropout d(0.5);
    QCOMPARE(d.rate(), 0.5);
    d.resize(2, 2);
    Mat x(2, 2), y(2, 2), dy(2, 2), dx(2, 2);
    x << 1, -2, 3, 0.5;
    dy << 10, 20, 30, 40;
    d.forward(x, y, rng, true);
    d.backward(dy, dx);
    for (Eigen::Index i = 0; i < 4; ++i) {
        const double xi = x(i / 2, i % 2), yi = y(i / 2, i % 2), dyi = dy(i / 2, i % 2);
        QVERIFY(yi == 0.0 || yi == 2 * xi);
        QCOMPARE(dx(i / 2, i % 2), yi == 0.0 ? 0.0 : 2 * dyi);
    }
    d.forward(x, y, rng, false);
    QVERIFY(y == x);
    d.backward(dy, dx);
    QVERIFY(dx == dy);
}

void TestDropout::gradients_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<double>("rate");
    QTest::newRow("N1 D1 p0") << 1 << 1 << 0.0;
    QTest::newRow("N4 D3 p0.25") << 4 << 3 << 0.25;
    QTest::newRow("N6 D5 p0.5") << 6 << 5 << 0.5;
    QTest::newRow("N3 D8 p0.9") << 3 << 8 << 0.9;
}

void TestDropout::gradients()
{
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(double, rate);
    Rng rng(13);
    Dropout d(rate);
    d.resize(rows, cols);
    Mat x = randomMat(rows, cols, rng), w = randomMat(rows, cols, rng), y(rows, cols), dx(rows, cols);
    const Rng maskSource(17); // copied for every forward: the same mask each time
    auto loss = [&] {
        Rng masks = maskSource;
        d.forward(x, y, masks, true);
        return weightedSum(y, w);
    };
    loss();
    d.backward(w, dx);
    const double err = relativeError(dx, numericGradient(x, loss));
    QVERIFY2(err < 1e-6, ("dx relative error " + std::to_string(err)).c_str());
}

void TestDropout::scalesAndMasks()
{
    Rng rng(4);
    Dropout d(0.25);
    d.resize(200, 50);
    Mat x = Mat::Ones(200, 50), y(200, 50), dx(200, 50);
    d.forward(x, y, rng, true);
    const double zeros = double((y.array() == 0).count()) / double(y.size());
    QVERIFY(std::abs(zeros - 0.25) < 0.02);
    QVERIFY(((y.array() == 0) || (y.array() - 1 / 0.75).abs() < 1e-12).all());
    d.backward(x, dx); // dx = dy * mask: same pattern as y
    QVERIFY((dx.array() == y.array()).all());
    d.forward(x, y, rng, false);
    QVERIFY((y.array() == 1).all());
    QVERIFY_THROWS_EXCEPTION(ConfigError, Dropout(1.0));
}

void TestDropout::rejectsBadShapes()
{
    QVERIFY_THROWS_EXCEPTION(ConfigError, Dropout(-0.1));
    QVERIFY_THROWS_EXCEPTION(ConfigError, Dropout(1.0));
    Rng rng(1);
    Dropout d(0.5);
    d.resize(4, 3);
    Mat x(4, 3), y(4, 3), dx(4, 3);
    x.setOnes();
    Mat xBad(4, 2), yBad(3, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, d.forward(xBad, y, rng, true));
    QVERIFY_THROWS_EXCEPTION(ShapeError, d.forward(x, yBad, rng, true));
    d.forward(x, y, rng, true);
    QVERIFY_THROWS_EXCEPTION(ShapeError, d.backward(xBad, dx));
}

QTEST_APPLESS_MAIN(TestDropout)
#include "tst_dropout.moc"
