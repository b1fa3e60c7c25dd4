// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of AttentionReadout (context vector and tanh attention vector of the Luong and Bahdanau
// layers): a hand-computed forward case, a double-precision finite-difference gradient check
// (W_c, hidden states and the attention weights as a free input) over a table of shapes, and
// bad-shape rejection.
#include "core/attention/attentionreadout.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestAttentionReadout : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
};

void TestAttentionReadout::forwardByHand()
{
    // H = 1, U = 1, T = 2, B = 1: h = [1, 2], a = [0.25, 0.75], W_c = [0.5, -0.25].
    //   c = 0.25 * 1 + 0.75 * 2 = 1.75;  out = tanh(0.5 c - 0.25 h_T) = tanh(0.375) = 0.358357
    Rng rng(1);
    AttentionReadout readout(1, 1, rng);
    QCOMPARE(readout.units(), 1);
    QCOMPARE(readout.hidden(), 1);
    std::vector<ParamRef> ps;
    readout.appendParams("r", ps);
    QCOMPARE(int(ps.size()), 1);
    *ps[0].value << 0.5, -0.25;
    readout.resize(2, 1);
    Mat hs(2, 1), weights(1, 2), out(1, 1);
    hs << 1, 2;
    weights << 0.25, 0.75;
    readout.forward(hs, weights, out);
    QVERIFY(std::abs(out(0, 0) - std::tanh(0.375)) < 1e-12);
    QVERIFY(std::abs(out(0, 0) - 0.358357) < 1e-6);
}

void TestAttentionReadout::gradients_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("units");
    QTest::newRow("T1 B1 H1 U1") << 1 << 1 << 1 << 1; // no score here: T = 1 still checks W_c
    QTest::newRow("T4 B2 H3 U5") << 4 << 2 << 3 << 5;
    QTest::newRow("T6 B3 H5 U2") << 6 << 3 << 5 << 2;
}

void TestAttentionReadout::gradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, hidden);
    QFETCH(int, units);
    Rng rng(9);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    Mat hs = randomMat(tb, hidden, rng), w = randomMat(batch, units, rng), out(batch, units);
    Mat dHs(tb, hidden);
    // The readout alone, with free attention weights a (B, T) as an extra input.
    AttentionReadout readout(hidden, units, rng);
    readout.resize(steps, batch);
    Mat weights = randomMat(batch, steps, rng), dWeights(batch, steps);
    std::vector<ParamRef> ps;
    readout.appendParams("r", ps);
    const auto loss = [&] {
        readout.forward(hs, weights, out);
        return weightedSum(out, w);
    };
    const std::string failure = gradientFailure(ps, hs, dHs, loss, [&] {
        readout.backward(hs, weights, w, dWeights, dHs);
    });
    QVERIFY2(failure.empty(), failure.c_str());
    QVERIFY(relativeError(dWeights, numericGradient(weights, loss)) < 1e-6);
}

void TestAttentionReadout::rejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ConfigError, AttentionReadout(0, 3, rng));
    QVERIFY_THROWS_EXCEPTION(ConfigError, AttentionReadout(4, 0, rng));
    AttentionReadout readout(4, 3, rng);
    readout.resize(5, 2);
    Mat hs(10, 4), weights(2, 5), out(2, 3), dWeights(2, 5), dHs(10, 4);
    Mat hsBad(10, 3), weightsBad(2, 4), outBad(2, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, readout.forward(hsBad, weights, out));
    QVERIFY_THROWS_EXCEPTION(ShapeError, readout.forward(hs, weightsBad, out));
    QVERIFY_THROWS_EXCEPTION(ShapeError, readout.forward(hs, weights, outBad));
    readout.forward(hs, weights, out);
    QVERIFY_THROWS_EXCEPTION(ShapeError, readout.backward(hs, weights, outBad, dWeights, dHs));
    QVERIFY_THROWS_EXCEPTION(ShapeError, readout.backward(hs, weights, out, weightsBad, dHs));
}

QTEST_APPLESS_MAIN(TestAttentionReadout)
#include "tst_attentionreadout.moc"
