// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of LayerNorm (Ba et al. 2016): a hand-computed forward case, a double-precision
// finite-difference gradient check (gamma, beta, input) over a table of shapes, bad shapes,
// gradients that accumulate.
#include "core/layers/layernorm.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestLayerNorm : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
    void gradientsAccumulate();
};

void TestLayerNorm::forwardByHand()
{
    // x = [1, 2, 3, 6]: mu = 3, var = (4 + 1 + 0 + 9) / 4 = 3.5; xhat = (x - 3) / sqrt(3.5 + 1e-5)
    // gamma = [1, 2, 1, 0.5], beta = [0, 1, 0, -1]; y = xhat gamma + beta.
    LayerNorm ln(4);
    ln.params().gamma << 1, 2, 1, 0.5;
    ln.params().beta << 0, 1, 0, -1;
    ln.resize(2);
    Mat x(2, 4), y(2, 4);
    x << 1, 2, 3, 6, //
        5, 5, 5, 5;  // a constant row: xhat = 0, y = beta
    ln.forward(x, y);
    const double s = 1.0 / std::sqrt(3.5 + 1e-5);
    const double expected[4] = {-2 * s, -1 * s * 2 + 1, 0, 3 * s * 0.5 - 1};
    for (int j = 0; j < 4; ++j) {
        QVERIFY(std::abs(y(0, j) - expected[j]) < 1e-12);
        QVERIFY(std::abs(y(1, j) - ln.params().beta(0, j)) < 1e-12);
    }
    QVERIFY(std::abs(y(0, 0) - (-1.069043)) < 1e-6); // -2 / sqrt(3.5 + 1e-5)
}

void TestLayerNorm::gradients_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("width");
    QTest::newRow("N1 D2") << 1 << 2;
    QTest::newRow("N3 D5") << 3 << 5;
    QTest::newRow("N8 D16") << 8 << 16;
    QTest::newRow("N2 D33") << 2 << 33;
}

void TestLayerNorm::gradients()
{
    QFETCH(int, rows);
    QFETCH(int, width);
    Rng rng(11);
    LayerNorm ln(width);
    ln.params().gamma = randomMat(1, width, rng);
    ln.params().beta = randomMat(1, width, rng);
    ln.resize(rows);
    Mat x = randomMat(rows, width, rng), w = randomMat(rows, width, rng), y(rows, width), dx(rows, width);
    std::vector<ParamRef> ps;
    ln.appendParams("norm1", ps);
    QCOMPARE(ps[0].name, std::string("norm1.weight"));
    QCOMPARE(ps[1].name, std::string("norm1.bias"));
    const std::string failure = gradientFailure(
        ps, x, dx,
        [&] {
            ln.forward(x, y);
            return weightedSum(y, w);
        },
        [&] { ln.backward(w, dx); });
    QVERIFY2(failure.empty(), failure.c_str());
    QVERIFY(dx.norm() > 0);
}

void TestLayerNorm::rejectsBadShapes()
{
    QVERIFY_THROWS_EXCEPTION(ConfigError, LayerNorm(0));
    QVERIFY_THROWS_EXCEPTION(ConfigError, LayerNorm(3, 0.0));
    LayerNorm ln(3);
    Mat x(2, 3), y(2, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, ln.forward(x, y)); // before resize
    QVERIFY_THROWS_EXCEPTION(ShapeError, ln.resize(0));
    ln.resize(2);
    Mat bad(2, 4);
    QCOMPARE(errorOf([&] { ln.forward(bad, y); }), std::string("LayerNorm::forward x: expected 2x3, got 2x4"));
    QVERIFY_THROWS_EXCEPTION(ShapeError, ln.forward(x, bad));
    QVERIFY_THROWS_EXCEPTION(ShapeError, ln.backward(bad, y));
}

void TestLayerNorm::gradientsAccumulate()
{
    Rng rng(3);
    LayerNorm ln(4);
    ln.resize(3);
    Mat x = randomMat(3, 4, rng), dy = randomMat(3, 4, rng), y(3, 4), dx(3, 4);
    ln.forward(x, y);
    ln.backward(dy, dx);
    const Mat once = ln.grads().gamma;
    ln.backward(dy, dx);
    QVERIFY((ln.grads().gamma - 2 * once).cwiseAbs().maxCoeff() < 1e-12);
    ln.zeroGrad();
    QVERIFY(ln.grads().gamma.isZero(0) && ln.grads().beta.isZero(0));
}

QTEST_APPLESS_MAIN(TestLayerNorm)
#include "tst_layernorm.moc"
