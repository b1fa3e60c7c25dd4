// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of TiedDense (a decoder layer with the encoder Dense's weight transposed): a forward
// pass by hand, a double-precision gradient check of the shared weight through encoder and
// decoder together over a table of shapes, bad shapes, and gradients that accumulate into the
// encoder's.
#include "core/layers/tieddense.h"
#include "tests/gradcheck.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

class TestTiedDense : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
    void gradientsAccumulate();
};

void TestTiedDense::forwardByHand()
{
    // Encoder W (O = 2, I = 3) = [[1, 2, 3], [4, 5, 6]]; decoder y = x W + c.
    // x = [1, -1]: x W = [1 - 4, 2 - 5, 3 - 6] = [-3, -3, -3]; c = [0.5, 0, -1] -> [-2.5, -3, -4].
    Rng rng(1);
    Dense encoder(3, 2, true, rng);
    encoder.params().weight << 1, 2, 3, 4, 5, 6;
    TiedDense decoder(encoder);
    QCOMPARE(decoder.inputs(), 2);
    QCOMPARE(decoder.outputs(), 3);
    QVERIFY(decoder.bias().isZero(0)); // own bias, zero at start
    decoder.bias() << 0.5, 0, -1;
    Mat x(1, 2), y(1, 3);
    x << 1, -1;
    decoder.forward(x, y);
    QCOMPARE(y(0, 0), -2.5);
    QCOMPARE(y(0, 1), -3.0);
    QCOMPARE(y(0, 2), -4.0);
    std::vector<ParamRef> ps;
    decoder.appendParams("decoder1", ps);
    QCOMPARE(ps.size(), std::size_t(1)); // the weight belongs to the encoder
    QCOMPARE(ps[0].name, std::string("decoder1.bias"));
}

void TestTiedDense::gradients_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("inputs");
    QTest::addColumn<int>("outputs");
    QTest::newRow("N1 I1 O1") << 1 << 1 << 1;
    QTest::newRow("N3 I4 O2") << 3 << 4 << 2;
    QTest::newRow("N5 I7 O9") << 5 << 7 << 9;
    QTest::newRow("N2 I32 O8") << 2 << 32 << 8;
}

void TestTiedDense::gradients()
{
    // loss = sum(w . decoder(tanh(encoder(x)))): the shared weight is used twice, and its
    // gradient must be the sum of both uses.
    QFETCH(int, rows);
    QFETCH(int, inputs);
    QFETCH(int, outputs);
    Rng rng(17);
    Dense encoder(inputs, outputs, true, rng);
    encoder.params().bias = randomMat(1, outputs, rng);
    TiedDense decoder(encoder);
    decoder.bias() = randomMat(1, inputs, rng);
    Mat x = randomMat(rows, inputs, rng), w = randomMat(rows, inputs, rng);
    Mat h(rows, outputs), t(rows, outputs), y(rows, inputs), dt(rows, outputs), dx(rows, inputs);
    std::vector<ParamRef> ps;
    encoder.appendParams("encoder1", ps);
    decoder.appendParams("decoder1", ps);
    const std::string failure = gradientFailure(
        ps, x, dx,
        [&] {
            encoder.forward(x, h);
            t = h.array().tanh().matrix();
            decoder.forward(t, y);
            return weightedSum(y, w);
        },
        [&] {
            decoder.backward(t, w, &dt);
            dt.array() *= 1 - t.array().square();
            encoder.backward(x, dt, &dx);
        });
    QVERIFY2(failure.empty(), failure.c_str());
    QVERIFY(decoder.biasGrad().norm() > 0);
}

void TestTiedDense::rejectsBadShapes()
{
    Rng rng(2);
    Dense encoder(3, 2, true, rng);
    TiedDense decoder(encoder);
    Mat x(4, 2), y(4, 3), bad(4, 5);
    QCOMPARE(errorOf([&] { decoder.forward(bad, y); }), std::string("TiedDense::forward x: expected 4x2, got 4x5"));
    QVERIFY_THROWS_EXCEPTION(ShapeError, decoder.forward(x, bad));
    QVERIFY_THROWS_EXCEPTION(ShapeError, decoder.backward(bad, y, nullptr));
    QVERIFY_THROWS_EXCEPTION(ShapeError, decoder.backward(x, bad, nullptr));
    Mat badDx(4, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, decoder.backward(x, y, &badDx));
}

void TestTiedDense::gradientsAccumulate()
{
    Rng rng(3);
    Dense encoder(3, 2, true, rng);
    TiedDense decoder(encoder);
    const Mat x = randomMat(4, 2, rng), dy = randomMat(4, 3, rng);
    decoder.backward(x, dy, nullptr);
    const Mat once = encoder.grads().weight;
    QVERIFY((once - x.transpose() * dy).cwiseAbs().maxCoeff() < 1e-12); // (O, I) = x^T dy
    decoder.backward(x, dy, nullptr);
    QVERIFY((encoder.grads().weight - 2 * once).cwiseAbs().maxCoeff() < 1e-12);
    decoder.zeroGrad();
    QVERIFY(decoder.biasGrad().isZero(0));
    QVERIFY(!encoder.grads().weight.isZero(0)); // the encoder clears its own
    encoder.zeroGrad();
    QVERIFY(encoder.grads().weight.isZero(0));
}

QTEST_APPLESS_MAIN(TestTiedDense)
#include "tst_tieddense.moc"
