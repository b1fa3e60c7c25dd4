// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of AttentionPooling, the Transformer model's learned-query readout: a hand-computed
// forward case, a double-precision finite-difference gradient check over a table of shapes, bad
// shapes, masked padding, gradients that accumulate, and no allocation in a step.
#include "core/attention/attentionpooling.h"
#include "tests/attentionchecks.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestAttentionPooling : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
    void maskedPadding();
    void gradientsAccumulate();
    void forwardBackwardDoNotAllocate();
};

void TestAttentionPooling::forwardByHand()
{
    // D = 4, T = 3, B = 1, q = [2, 0, 0, 2] (sqrt(D) = 2): e_s = (h_s0 + h_s3)
    // h = [[0.5, 1, 0, 0.5], [-1, 0, 0, -1], [1, 0, 3, 1]] -> e = [1, -2, 2]
    // a = softmax(e) = [0.265388, 0.013213, 0.721399]; out = sum a_s h_s
    Rng rng(1);
    AttentionPooling pool(4, rng);
    pool.params().query << 2, 0, 0, 2;
    pool.resize(3, 1);
    Mat hs(3, 4), out(1, 4);
    hs << 0.5, 1, 0, 0.5, -1, 0, 0, -1, 1, 0, 3, 1;
    pool.forward(hs, out);
    const double z = std::exp(1.0) + std::exp(-2.0) + std::exp(2.0);
    const double a[3] = {std::exp(1.0) / z, std::exp(-2.0) / z, std::exp(2.0) / z};
    for (int s = 0; s < 3; ++s)
        QVERIFY(std::abs(pool.weights()(0, s) - a[s]) < 1e-12);
    QVERIFY(std::abs(a[2] - 0.721399) < 1e-6);
    QVERIFY(std::abs(out(0, 1) - a[0]) < 1e-12);
    QVERIFY(std::abs(out(0, 2) - 3 * a[2]) < 1e-12);
    QVERIFY(std::abs(out(0, 0) - (0.5 * a[0] - a[1] + a[2])) < 1e-12);
    std::vector<ParamRef> ps;
    pool.appendParams("pooling", ps);
    QCOMPARE(ps[0].name, std::string("pooling.query"));
}

void TestAttentionPooling::gradients_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("width");
    QTest::newRow("T2 B1 D1") << 2 << 1 << 1;
    QTest::newRow("T4 B2 D3") << 4 << 2 << 3;
    QTest::newRow("T7 B3 D8") << 7 << 3 << 8;
    QTest::newRow("T10 B2 D5") << 10 << 2 << 5;
}

void TestAttentionPooling::gradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, width);
    Rng rng(13);
    AttentionPooling pool(width, rng);
    pool.resize(steps, batch);
    const Eigen::Index n = Eigen::Index(steps) * batch;
    Mat hs = randomMat(n, width, rng), w = randomMat(batch, width, rng), out(batch, width), dHs(n, width);
    std::vector<ParamRef> ps;
    pool.appendParams("pooling", ps);
    const std::string failure = gradientFailure(
        ps, hs, dHs,
        [&] {
            pool.forward(hs, out);
            return weightedSum(out, w);
        },
        [&] { pool.backward(hs, w, dHs); });
    QVERIFY2(failure.empty(), failure.c_str());
    QVERIFY(pool.grads().query.norm() > 0);
}

void TestAttentionPooling::rejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ConfigError, AttentionPooling(0, rng));
    AttentionPooling pool(4, rng);
    Mat hs(6, 4), out(2, 4), dHs(6, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, pool.forward(hs, out)); // before resize
    QVERIFY_THROWS_EXCEPTION(ShapeError, pool.resize(3, 0));
    pool.resize(3, 2);
    Mat bad(6, 3);
    QCOMPARE(errorOf([&] { pool.forward(bad, out); }),
             std::string("AttentionPooling::forward hs: expected 6x4, got 6x3"));
    Mat outBad(2, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, pool.forward(hs, outBad));
    pool.forward(hs.setRandom(), out);
    QVERIFY_THROWS_EXCEPTION(ShapeError, pool.backward(hs, outBad, dHs));
}

void TestAttentionPooling::maskedPadding()
{
    Rng rng(97);
    AttentionPooling pool(4, rng);
    verifyMaskedAttention(pool, 6, 4, 4, rng, true);
}

void TestAttentionPooling::gradientsAccumulate()
{
    Rng rng(71);
    AttentionPooling pool(4, rng);
    verifyGradientsAccumulate(pool, 4, 2, 4, rng);
}

void TestAttentionPooling::forwardBackwardDoNotAllocate()
{
    Rng rng(81);
    AttentionPooling pool(32, rng);
    verifyForwardBackwardDoNotAllocate(pool, 20, 64, 32, rng);
}

QTEST_APPLESS_MAIN(TestAttentionPooling)
#include "tst_attentionpooling.moc"
