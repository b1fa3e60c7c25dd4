// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of FeedForward, the Transformer's position-wise Dense-ReLU-Dense (Vaswani et al. 2017,
// eq. 2): a hand-computed forward case, a double-precision finite-difference gradient check over
// a table of shapes, bad shapes, PyTorch names.
#include "core/layers/feedforward.h"
#include "tests/gradcheck.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

class TestFeedForward : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
};

void TestFeedForward::forwardByHand()
{
    // D = 2, F' = 2: W_1 = [[1, 0], [0, -1]], b_1 = [0, 0.5]; W_2 = [[1, 1], [2, 0]], b_2 = [0.1, 0]
    // x = [2, 3]: u = [2, -2.5], r = [2, 0], y = [2 + 0.1, 4] = [2.1, 4]
    Rng rng(1);
    FeedForward ff(2, 2, rng);
    ff.linear1().params().weight << 1, 0, 0, -1;
    ff.linear1().params().bias << 0, 0.5;
    ff.linear2().params().weight << 1, 1, 2, 0;
    ff.linear2().params().bias << 0.1, 0;
    ff.resize(1);
    Mat x(1, 2), y(1, 2);
    x << 2, 3;
    ff.forward(x, y);
    QVERIFY(std::abs(y(0, 0) - 2.1) < 1e-12);
    QVERIFY(std::abs(y(0, 1) - 4.0) < 1e-12);
    std::vector<ParamRef> ps;
    ff.appendParams("encoder.layers.0", ps);
    QCOMPARE(int(ps.size()), 4);
    QCOMPARE(ps[0].name, std::string("encoder.layers.0.linear1.weight"));
    QCOMPARE(ps[3].name, std::string("encoder.layers.0.linear2.bias"));
}

void TestFeedForward::gradients_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("inner");
    QTest::newRow("N1 D1 F1") << 1 << 1 << 1;
    QTest::newRow("N4 D3 F5") << 4 << 3 << 5;
    QTest::newRow("N12 D8 F16") << 12 << 8 << 16;
}

void TestFeedForward::gradients()
{
    QFETCH(int, rows);
    QFETCH(int, width);
    QFETCH(int, inner);
    Rng rng(21);
    FeedForward ff(width, inner, rng);
    ff.linear1().params().bias = randomMat(1, inner, rng, 0.3); // not all zero: ReLU kinks vary
    ff.resize(rows);
    Mat x = randomMat(rows, width, rng), w = randomMat(rows, width, rng), y(rows, width), dx(rows, width);
    std::vector<ParamRef> ps;
    ff.appendParams("ffn", ps);
    const std::string failure = gradientFailure(
        ps, x, dx,
        [&] {
            ff.forward(x, y);
            return weightedSum(y, w);
        },
        [&] { ff.backward(x, w, dx); });
    QVERIFY2(failure.empty(), failure.c_str());
}

void TestFeedForward::rejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ConfigError, FeedForward(0, 3, rng));
    QVERIFY_THROWS_EXCEPTION(ConfigError, FeedForward(3, 0, rng));
    FeedForward ff(3, 4, rng);
    Mat x(2, 3), y(2, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, ff.forward(x, y)); // before resize
    QVERIFY_THROWS_EXCEPTION(ShapeError, ff.resize(0));
    ff.resize(2);
    Mat bad(2, 4);
    QCOMPARE(errorOf([&] { ff.forward(bad, y); }), std::string("FeedForward::forward x: expected 2x3, got 2x4"));
    QVERIFY_THROWS_EXCEPTION(ShapeError, ff.forward(x, bad));
}

QTEST_APPLESS_MAIN(TestFeedForward)
#include "tst_feedforward.moc"
