// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of PositionalEncoding (Vaswani et al. 2017, sec. 3.5): table values by hand, the
// addition per time step in the time-major layout, the finite-difference gradient (identity)
// over a table of shapes, bad shapes.
#include "core/layers/positionalencoding.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestPositionalEncoding : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
};

void TestPositionalEncoding::forwardByHand()
{
    // D = 4, T = 3, B = 2: PE[t] = [sin(t), cos(t), sin(t / 100), cos(t / 100)]
    // (10000^(2/4) = 100). Row t*B + b of y is x's row plus PE[t].
    PositionalEncoding pe(4);
    pe.resize(3, 2);
    Mat x = Mat::Zero(6, 4), y(6, 4);
    x(3, 1) = 2; // step 1, sequence 1
    pe.forward(x, y);
    for (int t = 0; t < 3; ++t) {
        const double want[4] = {std::sin(t), std::cos(t), std::sin(t / 100.0), std::cos(t / 100.0)};
        for (int b = 0; b < 2; ++b)
            for (int j = 0; j < 4; ++j)
                QVERIFY(std::abs(y(t * 2 + b, j) - x(t * 2 + b, j) - want[j]) < 1e-12);
    }
    QVERIFY(std::abs(y(3, 1) - (2 + std::cos(1.0))) < 1e-12);
    QVERIFY(std::abs(pe.table()(2, 0) - 0.909297) < 1e-6); // sin(2)
    // An odd width: the last column is a sine.
    PositionalEncoding odd(3);
    odd.resize(2, 1);
    QVERIFY(std::abs(odd.table()(1, 2) - std::sin(1.0 / std::pow(10000.0, 2.0 / 3.0))) < 1e-12);
}

void TestPositionalEncoding::gradients_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("width");
    QTest::newRow("T1 B1 D1") << 1 << 1 << 1;
    QTest::newRow("T4 B3 D6") << 4 << 3 << 6;
    QTest::newRow("T10 B2 D7") << 10 << 2 << 7;
}

void TestPositionalEncoding::gradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, width);
    Rng rng(5);
    PositionalEncoding pe(width);
    pe.resize(steps, batch);
    const Eigen::Index n = Eigen::Index(steps) * batch;
    Mat x = randomMat(n, width, rng), w = randomMat(n, width, rng), y(n, width), dx(n, width);
    const std::string failure = gradientFailure(
        {}, x, dx,
        [&] {
            pe.forward(x, y);
            return weightedSum(y, w);
        },
        [&] { pe.backward(w, dx); });
    QVERIFY2(failure.empty(), failure.c_str());
}

void TestPositionalEncoding::rejectsBadShapes()
{
    QVERIFY_THROWS_EXCEPTION(ConfigError, PositionalEncoding(0));
    PositionalEncoding pe(4);
    Mat x(6, 4), y(6, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, pe.forward(x, y)); // before resize
    QVERIFY_THROWS_EXCEPTION(ShapeError, pe.resize(0, 1));
    pe.resize(3, 2);
    Mat bad(6, 5);
    QCOMPARE(errorOf([&] { pe.forward(bad, y); }),
             std::string("PositionalEncoding::forward x: expected 6x4, got 6x5"));
    QVERIFY_THROWS_EXCEPTION(ShapeError, pe.backward(x, bad));
}

QTEST_APPLESS_MAIN(TestPositionalEncoding)
#include "tst_positionalencoding.moc"
