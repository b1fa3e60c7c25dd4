// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the LSTM's input and recurrent dropout (Gal & Ghahramani 2016): double-precision
// finite-difference gradient checks with the masks held fixed, one mask per sequence held over
// time, the identity in evaluation, and rejected rates.
#include "core/layers/lstm.h"
#include "tests/gradcheck.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

class TestLstmDropout : public QObject {
    Q_OBJECT
private slots:
    void gradients_data();
    void gradients();
    void masksHeldOverTime();
    void rejectsBadRates();
};

void TestLstmDropout::gradients_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("inputs");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<double>("inputDropout");
    QTest::addColumn<double>("recurrentDropout");
    QTest::newRow("T3 B2 F3 H4 input") << 3 << 2 << 3 << 4 << 0.4 << 0.0;
    QTest::newRow("T4 B3 F2 H5 recurrent") << 4 << 3 << 2 << 5 << 0.0 << 0.4;
    QTest::newRow("T5 B2 F4 H3 both") << 5 << 2 << 4 << 3 << 0.3 << 0.5;
    QTest::newRow("T1 B1 F1 H1 both") << 1 << 1 << 1 << 1 << 0.2 << 0.2;
}

void TestLstmDropout::gradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, inputs);
    QFETCH(int, hidden);
    QFETCH(double, inputDropout);
    QFETCH(double, recurrentDropout);
    Rng rng(5);
    Lstm l(inputs, hidden, rng, inputDropout, recurrentDropout);
    l.params().biasHh = randomMat(1, 4 * hidden, rng, 0.5);
    l.resize(steps, batch);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    Mat x = randomMat(tb, inputs, rng), w = randomMat(tb, hidden, rng), h(tb, hidden), dx(tb, inputs);
    const Rng maskSource(31); // copied for every forward: the same masks each time
    auto loss = [&] {
        Rng masks = maskSource;
        l.forward(x, h, &masks);
        return weightedSum(h, w);
    };
    loss();
    l.zeroGrad();
    l.backward(x, h, w, &dx);
    std::vector<ParamRef> ps;
    l.appendParams("lstm", ps);
    for (const ParamRef &p : ps) {
        const double err = relativeError(*p.grad, numericGradient(*p.value, loss));
        QVERIFY2(err < 1e-6, (p.name + " relative error " + std::to_string(err)).c_str());
    }
    const double err = relativeError(dx, numericGradient(x, loss));
    QVERIFY2(err < 1e-6, ("dx relative error " + std::to_string(err)).c_str());
}

void TestLstmDropout::masksHeldOverTime()
{
    Rng rng(2);
    const int T = 6, B = 5, F = 4, H = 8;
    Lstm l(F, H, rng, 0.5, 0.25);
    l.resize(T, B);
    Rng init(9);
    Mat x = randomMat(T * B, F, init), h(T * B, H);
    Rng masks(4);
    l.forward(x, h, &masks);
    const Mat &mx = l.cache().maskX; // (B, F)
    const Mat &mh = l.cache().maskH; // (B, H)
    QVERIFY(((mx.array() == 0) || (mx.array() == 2)).all());
    QVERIFY(((mh.array() == 0) || ((mh.array() - 1 / 0.75).abs() < 1e-12)).all());
    QVERIFY((mx.array() == 0).any() && (mh.array() == 0).any());
    for (int t = 0; t < T; ++t) {
        QVERIFY(l.cache().xDropped.middleRows(t * B, B) ==
                Mat(x.middleRows(t * B, B).array() * mx.array()));
        if (t + 1 < T)
            QVERIFY(l.cache().hDropped.middleRows(t * B, B) ==
                    Mat(h.middleRows(t * B, B).array() * mh.array()));
    }
    // Evaluation: dropout is off, the output equals that of a layer built without dropout.
    Mat hEval(T * B, H), hPlain(T * B, H);
    l.forward(x, hEval);
    Rng rng2(2);
    Lstm plain(F, H, rng2);
    plain.resize(T, B);
    plain.forward(x, hPlain);
    QVERIFY(hEval == hPlain);
    QVERIFY(hEval != h);
}

void TestLstmDropout::rejectsBadRates()
{
    Rng rng(1);
    for (double bad : {-0.1, 1.0}) {
        try {
            Lstm(2, 3, rng, 0.0, bad);
            QFAIL("a recurrent dropout rate outside [0, 1) must be rejected");
        } catch (const ShapeError &e) {
            QCOMPARE(std::string(e.what()), std::string("Lstm: recurrent dropout must be in [0, 1)"));
        }
    }
    QVERIFY_THROWS_EXCEPTION(ShapeError, Lstm(2, 3, rng, 1.5, 0.0));
}

QTEST_APPLESS_MAIN(TestLstmDropout)
#include "tst_lstmdropout.moc"
