// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the LSTM layer: a hand-computed forward case, double-precision finite-difference
// gradient checks (parameters and inputs) over a table of shapes, without and with input and
// recurrent dropout (Gal & Ghahramani 2016, masks held fixed), bad shapes and rates rejected,
// Keras-style init, and one dropout mask per sequence held over time.
#include "core/layers/lstm.h"
#include "tests/gradcheck.h"
#include "tests/recurrentchecks.h"

#include <QTest>
#include <cmath>
#include <memory>

using namespace attn;
using namespace attn::test;

class TestLstm : public QObject {
    Q_OBJECT
private slots:
    void maskedPaddingCarriesState();
    void forwardByHand();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
    void kerasInit();
    void dropoutGradients_data();
    void dropoutGradients();
    void dropoutMasksHeldOverTime();
    void rejectsBadDropoutRates();
};

void TestLstm::forwardByHand()
{
    // H = 1, F = 1, one sequence of two steps, weights chosen by hand.
    Rng rng(1);
    Lstm l(1, 1, rng);
    l.params().weightIh << 1, 2, 3, 4; // i, f, g, o
    l.params().weightHh << 0.5, 0.5, 0.5, 0.5;
    l.params().biasIh << 0, 0, 0, 0;
    l.params().biasHh << 0.1, 0.1, 0.1, 0.1;
    l.resize(2, 1);
    Mat x(2, 1), h(2, 1);
    x << 1, -1;
    l.forward(x, h);
    auto sig = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
    double c = 0, hh = 0;
    for (double xv : {1.0, -1.0}) {
        const double i = sig(1 * xv + 0.5 * hh + 0.1), f = sig(2 * xv + 0.5 * hh + 0.1);
        const double g = std::tanh(3 * xv + 0.5 * hh + 0.1), o = sig(4 * xv + 0.5 * hh + 0.1);
        c = f * c + i * g;
        hh = o * std::tanh(c);
    }
    QVERIFY(std::abs(h(1, 0) - hh) < 1e-12);
}

void TestLstm::gradients_data()
{
    // T >= 2 in every row: with one step h_0 = 0 and W_hh gets exactly zero gradient, which
    // any relative-error check would pass.
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("inputs");
    QTest::addColumn<int>("hidden");
    QTest::newRow("T2 B1 F1 H1") << 2 << 1 << 1 << 1;
    QTest::newRow("T3 B2 F1 H4") << 3 << 2 << 1 << 4;
    QTest::newRow("T5 B3 F4 H3") << 5 << 3 << 4 << 3;
    QTest::newRow("T2 B4 F2 H6") << 2 << 4 << 2 << 6;
}

void TestLstm::gradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, inputs);
    QFETCH(int, hidden);
    Rng rng(5);
    Lstm l(inputs, hidden, rng);
    l.params().biasHh = randomMat(1, 4 * hidden, rng, 0.5);
    l.resize(steps, batch);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    Mat x = randomMat(tb, inputs, rng), w = randomMat(tb, hidden, rng), h(tb, hidden), dx(tb, inputs);
    auto loss = [&] {
        l.forward(x, h);
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
    QVERIFY(relativeError(dx, numericGradient(x, loss)) < 1e-6);
}

void TestLstm::rejectsBadShapes()
{
    Rng rng(1);
    Lstm l(2, 3, rng);
    Mat x(6, 2), h(6, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, l.forward(x, h)); // no resize yet
    l.resize(3, 2);
    Mat xBad(6, 1);
    QVERIFY_THROWS_EXCEPTION(ShapeError, l.forward(xBad, h));
    Mat hBad(5, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, l.forward(x, hBad));
}

void TestLstm::kerasInit()
{
    Rng rng(3);
    Lstm l(1, 8, rng);
    // Forget-gate bias 1, all others 0; recurrent kernel orthogonal: W_hh^T W_hh = I (H x H).
    QCOMPARE(l.params().biasIh.block(0, 8, 1, 8).sum(), 8.0);
    QCOMPARE(l.params().biasIh.sum(), 8.0);
    const Mat gram = l.params().weightHh.transpose() * l.params().weightHh;
    QVERIFY((gram - Mat::Identity(8, 8)).cwiseAbs().maxCoeff() < 1e-12);
    const double limit = std::sqrt(6.0 / (1 + 32));
    QVERIFY(l.params().weightIh.cwiseAbs().maxCoeff() <= limit);
}

void TestLstm::dropoutGradients_data()
{
    // T >= 2 in every row: with one step the recurrent mask never acts (h_0 = 0).
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("inputs");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<double>("inputDropout");
    QTest::addColumn<double>("recurrentDropout");
    QTest::newRow("T3 B2 F3 H4 input") << 3 << 2 << 3 << 4 << 0.4 << 0.0;
    QTest::newRow("T4 B3 F2 H5 recurrent") << 4 << 3 << 2 << 5 << 0.0 << 0.4;
    QTest::newRow("T5 B2 F4 H3 both") << 5 << 2 << 4 << 3 << 0.3 << 0.5;
    QTest::newRow("T2 B1 F1 H1 both") << 2 << 1 << 1 << 1 << 0.2 << 0.2;
}

void TestLstm::dropoutGradients()
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

void TestLstm::dropoutMasksHeldOverTime()
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

void TestLstm::rejectsBadDropoutRates()
{
    Rng rng(1);
    for (double bad : {-0.1, 1.0}) {
        try {
            Lstm(2, 3, rng, 0.0, bad);
            QFAIL("a recurrent dropout rate outside [0, 1) must be rejected");
        } catch (const ConfigError &e) {
            QCOMPARE(std::string(e.what()), std::string("Lstm: recurrent dropout must be in [0, 1)"));
        }
    }
    QVERIFY_THROWS_EXCEPTION(ConfigError, Lstm(2, 3, rng, 1.5, 0.0));
}

void TestLstm::maskedPaddingCarriesState()
{
    // Keras' masking: the state passes padding steps unchanged; backward matches finite
    // differences with the mask, for pre- and post-padded rows of different lengths.
    Rng rng(43);
    const auto make = [] {
        Rng init(11);
        auto l = std::make_unique<Lstm>(3, 4, init);
        Rng biases(12);
        l->params().biasHh = randomMat(1, l->params().biasHh.cols(), biases, 0.5);
        return std::unique_ptr<RecurrentLayer>(std::move(l));
    };
    verifyMaskedRecurrent(make, 5, 4, 3, rng);
}

QTEST_APPLESS_MAIN(TestLstm)
#include "tst_lstm.moc"
