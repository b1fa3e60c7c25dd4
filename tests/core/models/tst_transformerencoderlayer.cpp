// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of TransformerEncoderLayer (Vaswani et al. 2017, sec. 3.1; pre-norm: Xiong et al. 2020):
// hand-computed forward cases for post-norm and pre-norm, a double-precision finite-difference
// gradient check over a table of shapes (post/pre-norm, padding mask, residual dropout with a
// fixed mask), bad shapes, PyTorch names, and no allocation in a training step.
#include "core/models/transformerencoderlayer.h"
#include "tests/allocationcounter.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestTransformerEncoderLayer : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
    void parameterNames();
    void trainingStepDoesNotAllocate();
};

namespace {

// Zero weights and biases of the attention sublayer: MHA(x) = 0 for every x.
void silenceAttention(TransformerEncoderLayer &layer)
{
    std::vector<ParamRef> ps;
    layer.attention().appendParams("a", ps);
    for (const ParamRef &p : ps)
        p.value->setZero();
}

} // namespace

void TestTransformerEncoderLayer::forwardByHand()
{
    // D = 2, K = 1, F' = 1, T = 1, B = 1, x = [1, 3]; MHA silenced (outputs 0); FFN: linear1
    // W = [0, 1], b = 0; linear2 W = [1, 0]^T, b = 0, so FFN(v) = [max(0, v_1), 0].
    // Post-norm: h = LN(x + 0) = [-s, s], s = 1 / sqrt(1 + eps); FFN(h) = [s, 0];
    //   y = LN([-s + s, s]) = LN([0, s]) = [-r, r], r = (s/2) / sqrt(s^2/4 + eps)
    // Pre-norm: h = x + 0 = x; LN_2(x) = [-s, s]; y = x + FFN([-s, s]) = [1 + s, 3]
    const double eps = 1e-5, s = 1 / std::sqrt(1 + eps), r = (s / 2) / std::sqrt(s * s / 4 + eps);
    for (bool pre : {false, true}) {
        Rng rng(1);
        TransformerEncoderLayer layer(2, 1, 1, 0.0, pre, rng);
        silenceAttention(layer);
        std::vector<ParamRef> ps;
        layer.appendParams("l", ps);
        for (const ParamRef &p : ps) {
            if (p.name == "l.linear1.weight")
                *p.value << 0, 1;
            if (p.name == "l.linear2.weight")
                *p.value << 1, 0;
        }
        layer.resize(1, 1);
        Mat x(1, 2), y(1, 2);
        x << 1, 3;
        layer.forward(x, y, nullptr);
        if (pre) {
            QVERIFY(std::abs(y(0, 0) - (1 + s)) < 1e-12);
            QVERIFY(std::abs(y(0, 1) - 3) < 1e-12);
        } else {
            QVERIFY(std::abs(y(0, 0) + r) < 1e-12);
            QVERIFY(std::abs(y(0, 1) - r) < 1e-12);
        }
    }
}

void TestTransformerEncoderLayer::gradients_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("heads");
    QTest::addColumn<int>("inner");
    QTest::addColumn<bool>("preNorm");
    QTest::addColumn<bool>("masked");
    QTest::addColumn<double>("dropout");
    for (bool pre : {false, true}) {
        const std::string n = pre ? " pre" : " post";
        // D >= 3: with D = 2 LayerNorm maps every row to about +-1 whatever the input, so its
        // gradient is of order eps and the finite differences are noise.
        QTest::newRow(("T2 B1 D3 K1 F3" + n).c_str()) << 2 << 1 << 3 << 1 << 3 << pre << false << 0.0;
        QTest::newRow(("T3 B2 D4 K2 F5" + n).c_str()) << 3 << 2 << 4 << 2 << 5 << pre << false << 0.0;
        QTest::newRow(("T5 B3 D6 K3 F4 masked" + n).c_str()) << 5 << 3 << 6 << 3 << 4 << pre << true << 0.0;
        QTest::newRow(("T4 B2 D4 K1 F8 dropout" + n).c_str()) << 4 << 2 << 4 << 1 << 8 << pre << true << 0.3;
    }
}

void TestTransformerEncoderLayer::gradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, width);
    QFETCH(int, heads);
    QFETCH(int, inner);
    QFETCH(bool, preNorm);
    QFETCH(bool, masked);
    QFETCH(double, dropout);
    Rng rng(61);
    TransformerEncoderLayer layer(width, heads, inner, dropout, preNorm, rng);
    std::vector<ParamRef> ps;
    layer.appendParams("layer", ps);
    for (const ParamRef &p : ps) // non-trivial LayerNorm and bias values
        if (p.name.find("bias") != std::string::npos || p.name.find("norm") != std::string::npos)
            *p.value += randomMat(p.value->rows(), p.value->cols(), rng, 0.2);
    layer.resize(steps, batch);
    if (masked)
        layer.setMask(mixedPaddingMask(steps, batch));
    const Eigen::Index n = Eigen::Index(steps) * batch;
    Mat x = randomMat(n, width, rng), w = randomMat(n, width, rng), y(n, width), dx(n, width);
    // Dropout: the same masks at every forward (a fresh stream with the same seed), so the
    // loss is one differentiable function.
    const auto forward = [&] {
        Rng masks(5);
        layer.forward(x, y, dropout > 0 ? &masks : nullptr);
        return weightedSum(y, w);
    };
    const std::string failure = gradientFailure(ps, x, dx, forward, [&] { layer.backward(x, w, dx); });
    QVERIFY2(failure.empty(), failure.c_str());
}

void TestTransformerEncoderLayer::rejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ConfigError, TransformerEncoderLayer(6, 4, 8, 0.0, false, rng));
    QVERIFY_THROWS_EXCEPTION(ConfigError, TransformerEncoderLayer(4, 2, 0, 0.0, false, rng));
    QVERIFY_THROWS_EXCEPTION(ConfigError, TransformerEncoderLayer(4, 2, 8, 1.0, false, rng));
    TransformerEncoderLayer layer(4, 2, 8, 0.0, false, rng);
    Mat x(6, 4), y(6, 4), dx(6, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, layer.forward(x, y, nullptr)); // before resize
    QVERIFY_THROWS_EXCEPTION(ShapeError, layer.resize(0, 1));
    layer.resize(3, 2);
    Mat bad(6, 5);
    QCOMPARE(errorOf([&] { layer.forward(bad, y, nullptr); }),
             std::string("TransformerEncoderLayer::forward x: expected 6x4, got 6x5"));
    QVERIFY_THROWS_EXCEPTION(ShapeError, layer.forward(x, bad, nullptr));
    layer.forward(x.setRandom(), y, nullptr);
    QVERIFY_THROWS_EXCEPTION(ShapeError, layer.backward(x, bad, dx));
}

void TestTransformerEncoderLayer::parameterNames()
{
    Rng rng(1);
    TransformerEncoderLayer layer(4, 2, 8, 0.1, false, rng);
    std::vector<ParamRef> ps;
    layer.appendParams("encoder.layers.1", ps);
    const char *names[] = {"self_attn.in_proj_weight", "self_attn.in_proj_bias",
                           "self_attn.out_proj.weight", "self_attn.out_proj.bias",
                           "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
                           "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"};
    QCOMPARE(int(ps.size()), 12);
    for (int i = 0; i < 12; ++i)
        QCOMPARE(ps[std::size_t(i)].name, "encoder.layers.1." + std::string(names[i]));
    QCOMPARE(ps[0].value->rows(), 12); // (3D, D)
    QCOMPARE(ps[4].value->rows(), 8);  // (F', D)
}

void TestTransformerEncoderLayer::trainingStepDoesNotAllocate()
{
    for (bool pre : {false, true}) {
        Rng rng(3), masks(4);
        TransformerEncoderLayer layer(32, 4, 64, 0.1, pre, rng);
        layer.resize(10, 64);
        layer.setMask(mixedPaddingMask(10, 64));
        Mat x = randomMat(640, 32, rng), dy = randomMat(640, 32, rng), y(640, 32), dx(640, 32);
        const auto step = [&] {
            layer.forward(x, y, &masks);
            layer.backward(x, dy, dx);
        };
        step();
        verifyNoAllocation(step);
    }
}

QTEST_APPLESS_MAIN(TestTransformerEncoderLayer)
#include "tst_transformerencoderlayer.moc"
