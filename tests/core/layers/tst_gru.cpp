// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the GRU layer: a hand-computed forward case in PyTorch's gate conventions, Keras-style
// init, double-precision finite-difference gradient checks (parameters and inputs, with and
// without input / recurrent dropout) over a table of shapes, and bad-shape rejection.
#include "core/layers/gru.h"
#include "tests/gradcheck.h"
#include "tests/recurrentchecks.h"

#include <QTest>
#include <cmath>
#include <memory>

using namespace attn;
using namespace attn::test;

class TestGru : public QObject {
    Q_OBJECT
private slots:
    void maskedPaddingCarriesState();
    void forwardByHand();
    void gradients_data();
    void gradients();
    void dropoutMaskHeldOverTime();
    void kerasInit();
    void rejectsBadShapes();
};

void TestGru::forwardByHand()
{
    // H = 1, F = 1, one sequence of two steps, weights chosen by hand (rows r, z, n).
    Rng rng(1);
    Gru g(1, 1, rng);
    g.params().weightIh << 1, 2, 3;
    g.params().weightHh << 0.5, -0.5, 0.25;
    g.params().biasIh << 0.1, 0.2, 0.3;
    g.params().biasHh << -0.1, 0.05, 0.4;
    g.resize(2, 1);
    Mat x(2, 1), h(2, 1);
    x << 1, -2;
    g.forward(x, h);
    auto sig = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
    double hh = 0;
    for (int t = 0; t < 2; ++t) {
        const double xv = x(t, 0);
        const double r = sig(1 * xv + 0.1 + 0.5 * hh - 0.1);
        const double z = sig(2 * xv + 0.2 - 0.5 * hh + 0.05);
        const double n = std::tanh(3 * xv + 0.3 + r * (0.25 * hh + 0.4));
        hh = (1 - z) * n + z * hh;
        QVERIFY(std::abs(h(t, 0) - hh) < 1e-12);
    }
}

void TestGru::gradients_data()
{
    // T >= 2 in every row: with one step h_0 = 0 and W_hh gets exactly zero gradient, which
    // any relative-error check would pass.
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("inputs");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<double>("inputDropout");
    QTest::addColumn<double>("recurrentDropout");
    QTest::newRow("T2 B1 F1 H1") << 2 << 1 << 1 << 1 << 0.0 << 0.0;
    QTest::newRow("T3 B2 F1 H4") << 3 << 2 << 1 << 4 << 0.0 << 0.0;
    QTest::newRow("T5 B3 F4 H3") << 5 << 3 << 4 << 3 << 0.0 << 0.0;
    QTest::newRow("T2 B4 F2 H6") << 2 << 4 << 2 << 6 << 0.0 << 0.0;
    QTest::newRow("T4 B3 F3 H5 input dropout") << 4 << 3 << 3 << 5 << 0.4 << 0.0;
    QTest::newRow("T4 B3 F3 H5 recurrent dropout") << 4 << 3 << 3 << 5 << 0.0 << 0.4;
    QTest::newRow("T6 B2 F2 H4 both dropouts") << 6 << 2 << 2 << 4 << 0.3 << 0.5;
}

void TestGru::gradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, inputs);
    QFETCH(int, hidden);
    QFETCH(double, inputDropout);
    QFETCH(double, recurrentDropout);
    Rng rng(5);
    Gru g(inputs, hidden, rng, inputDropout, recurrentDropout);
    g.params().biasIh = randomMat(1, 3 * hidden, rng, 0.5);
    g.params().biasHh = randomMat(1, 3 * hidden, rng, 0.5);
    g.resize(steps, batch);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    Mat x = randomMat(tb, inputs, rng), w = randomMat(tb, hidden, rng), h(tb, hidden), dx(tb, inputs);
    const bool dropout = inputDropout > 0 || recurrentDropout > 0;
    // A copy of the same generator for every forward: the same masks, so the same function.
    const Rng maskSource(77);
    auto loss = [&] {
        Rng masks = maskSource;
        g.forward(x, h, dropout ? &masks : nullptr);
        return weightedSum(h, w);
    };
    loss();
    if (inputDropout > 0) // some inputs are really dropped
        QVERIFY((g.cache().maskX.array() == 0).any());
    g.zeroGrad();
    g.backward(x, h, w, &dx);
    std::vector<ParamRef> ps;
    g.appendParams("gru", ps);
    QCOMPARE(ps[0].name, std::string("gru.weight_ih_l0"));
    for (const ParamRef &p : ps) {
        const double err = relativeError(*p.grad, numericGradient(*p.value, loss));
        QVERIFY2(err < 1e-6, (p.name + " relative error " + std::to_string(err)).c_str());
    }
    const double err = relativeError(dx, numericGradient(x, loss));
    QVERIFY2(err < 1e-6, ("dx relative error " + std::to_string(err)).c_str());
}

void TestGru::dropoutMaskHeldOverTime()
{
    // With input dropout only and W_ih = identity-like, a dropped input feature of a sequence is
    // dropped at every step: the mask is drawn once per sequence (Gal & Ghahramani).
    Rng rng(3);
    const int T = 5, B = 4, F = 6, H = 2;
    Gru g(F, H, rng, 0.5, 0.0);
    g.resize(T, B);
    Mat x = Mat::Ones(T * B, F), h(T * B, H);
    Rng masks(8);
    g.forward(x, h, &masks);
    const Mat &m = g.cache().maskX; // (B, F)
    QVERIFY(((m.array() == 0) || (m.array() == 2)).all());
    QVERIFY((m.array() == 0).any() && (m.array() == 2).any());
    for (int t = 0; t < T; ++t)
        QVERIFY(g.cache().xDropped.middleRows(t * B, B) == m);
    // Evaluation (no generator): no dropout, same as a layer without dropout.
    Mat hEval(T * B, H), hPlain(T * B, H);
    g.forward(x, hEval);
    Rng rng2(3);
    Gru plain(F, H, rng2);
    plain.resize(T, B);
    plain.forward(x, hPlain);
    QVERIFY(hEval == hPlain);
}

void TestGru::kerasInit()
{
    Rng rng(3);
    Gru g(2, 8, rng);
    QCOMPARE(g.params().biasIh.cwiseAbs().sum(), 0.0);
    QCOMPARE(g.params().biasHh.cwiseAbs().sum(), 0.0);
    QCOMPARE(g.params().weightIh.rows(), Eigen::Index(24));
    // Recurrent kernel orthogonal: W_hh^T W_hh = I (H x H).
    const Mat gram = g.params().weightHh.transpose() * g.params().weightHh;
    QVERIFY((gram - Mat::Identity(8, 8)).cwiseAbs().maxCoeff() < 1e-12);
    const double limit = std::sqrt(6.0 / (2 + 24));
    QVERIFY(g.params().weightIh.cwiseAbs().maxCoeff() <= limit);
}

void TestGru::rejectsBadShapes()
{
    Rng rng(1);
    Gru g(2, 3, rng);
    Mat x(6, 2), h(6, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, g.forward(x, h)); // no resize yet
    g.resize(3, 2);
    Mat xBad(6, 1);
    QVERIFY_THROWS_EXCEPTION(ShapeError, g.forward(xBad, h));
    Mat hBad(5, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, g.forward(x, hBad));
    QVERIFY_THROWS_EXCEPTION(ConfigError, Gru(0, 3, rng));
    QVERIFY_THROWS_EXCEPTION(ShapeError, g.resize(0, 2));
    try {
        Gru(2, 3, rng, 1.0, 0.0);
        QFAIL("a dropout rate of 1 must be rejected");
    } catch (const ConfigError &e) {
        QCOMPARE(std::string(e.what()), std::string("Gru: input dropout must be in [0, 1)"));
    }
}

void TestGru::maskedPaddingCarriesState()
{
    // Keras' masking: the state passes padding steps unchanged; backward matches finite
    // differences with the mask, for pre- and post-padded rows of different lengths.
    Rng rng(43);
    const auto make = [] {
        Rng init(11);
        auto l = std::make_unique<Gru>(3, 4, init);
        Rng biases(12);
        l->params().biasHh = randomMat(1, l->params().biasHh.cols(), biases, 0.5);
        return std::unique_ptr<RecurrentLayer>(std::move(l));
    };
    verifyMaskedRecurrent(make, 5, 4, 3, rng);
}

QTEST_APPLESS_MAIN(TestGru)
#include "tst_gru.moc"
