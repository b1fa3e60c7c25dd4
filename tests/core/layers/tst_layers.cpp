// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of every core layer: a hand-computed forward case, a double-precision finite-difference
// gradient check (parameters and inputs) over a table of shapes, and bad-shape rejection.
#include "core/attention/attentionreadout.h"
#include "core/attention/bahdanauattention.h"
#include "core/layers/dense.h"
#include "core/layers/dropout.h"
#include "core/layers/lstm.h"
#include "core/attention/luongattention.h"
#include "core/tensor/softmax.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestLayers : public QObject {
    Q_OBJECT
private slots:
    void denseForwardByHand();
    void denseGradients_data();
    void denseGradients();
    void denseRejectsBadShapes();
    void lstmForwardByHand();
    void lstmGradients_data();
    void lstmGradients();
    void lstmRejectsBadShapes();
    void lstmKerasInit();
    void softmaxRowsSumToOne();
    void luongForwardByHand();
    void attentionGradients_data();
    void attentionGradients();
    void attentionRejectsBadShapes();
    void dropoutScalesAndMasks();
};

void TestLayers::denseForwardByHand()
{
    Rng rng(1);
    Dense d(2, 3, true, rng);
    d.params().weight << 1, 2, 3, 4, 5, 6; // (3, 2)
    d.params().bias << 0.5, -1, 0;
    Mat x(1, 2);
    x << 1, -1;
    Mat y(1, 3);
    d.forward(x, y);
    QCOMPARE(y(0, 0), -1 + 0.5); // 1*1 + 2*(-1) + 0.5
    QCOMPARE(y(0, 1), -1 - 1.0);
    QCOMPARE(y(0, 2), -1 + 0.0);
}

void TestLayers::denseGradients_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("out");
    QTest::addColumn<bool>("bias");
    QTest::newRow("1x1x1") << 1 << 1 << 1 << true;
    QTest::newRow("4x3x5") << 4 << 3 << 5 << true;
    QTest::newRow("7x6x2 no bias") << 7 << 6 << 2 << false;
}

void TestLayers::denseGradients()
{
    QFETCH(int, n);
    QFETCH(int, in);
    QFETCH(int, out);
    QFETCH(bool, bias);
    Rng rng(11);
    Dense d(in, out, bias, rng);
    if (bias)
        d.params().bias = randomMat(1, out, rng);
    Mat x = randomMat(n, in, rng), w = randomMat(n, out, rng), y(n, out), dx(n, in);
    auto loss = [&] {
        d.forward(x, y);
        return weightedSum(y, w);
    };
    loss();
    d.zeroGrad();
    d.backward(x, w, &dx);
    std::vector<ParamRef> ps;
    d.appendParams("dense", ps);
    for (const ParamRef &p : ps)
        QVERIFY2(relativeError(*p.grad, numericGradient(*p.value, loss)) < 1e-6, p.name.c_str());
    QVERIFY(relativeError(dx, numericGradient(x, loss)) < 1e-6);
}

void TestLayers::denseRejectsBadShapes()
{
    Rng rng(1);
    Dense d(3, 2, true, rng);
    Mat x(4, 5), y(4, 2);
    QVERIFY_THROWS_EXCEPTION(ShapeError, d.forward(x, y));
    Mat x2(4, 3), y2(3, 2);
    QVERIFY_THROWS_EXCEPTION(ShapeError, d.forward(x2, y2));
    QVERIFY_THROWS_EXCEPTION(ShapeError, Dense(0, 2, true, rng));
}

void TestLayers::lstmForwardByHand()
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

void TestLayers::lstmGradients_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("inputs");
    QTest::addColumn<int>("hidden");
    QTest::newRow("T1 B1 F1 H1") << 1 << 1 << 1 << 1;
    QTest::newRow("T3 B2 F1 H4") << 3 << 2 << 1 << 4;
    QTest::newRow("T5 B3 F4 H3") << 5 << 3 << 4 << 3;
    QTest::newRow("T2 B4 F2 H6") << 2 << 4 << 2 << 6;
}

void TestLayers::lstmGradients()
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

void TestLayers::lstmRejectsBadShapes()
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

void TestLayers::lstmKerasInit()
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

void TestLayers::softmaxRowsSumToOne()
{
    Mat e(2, 3), a(2, 3);
    e << 1000, 1000, 1000, // would overflow exp() without the max subtraction
        0, std::log(2.0), std::log(5.0);
    softmaxRows(e, a);
    QVERIFY(std::abs(a(0, 0) - 1.0 / 3) < 1e-12);
    QVERIFY(std::abs(a(1, 0) - 0.125) < 1e-12);
    QVERIFY(std::abs(a(1, 2) - 0.625) < 1e-12);
}

void TestLayers::luongForwardByHand()
{
    // dot score, H = 1, T = 2, B = 1: h = [1, 2]; e = [h_T*h_0, h_T*h_1] = [2, 4].
    Rng rng(1);
    LuongAttention att(1, 1, LuongAttention::Score::Dot, rng);
    std::vector<ParamRef> ps;
    att.appendParams("a", ps);
    QCOMPARE(int(ps.size()), 1); // only W_c
    *ps[0].value << 0.5, -0.25;  // W_c (1, 2)
    att.resize(2, 1);
    Mat hs(2, 1), out(1, 1);
    hs << 1, 2;
    att.forward(hs, out);
    const double a0 = std::exp(2.0) / (std::exp(2.0) + std::exp(4.0));
    QVERIFY(std::abs(att.weights()(0, 0) - a0) < 1e-12);
    const double c = a0 * 1 + (1 - a0) * 2;
    QVERIFY(std::abs(out(0, 0) - std::tanh(0.5 * c - 0.25 * 2)) < 1e-12);
}

void TestLayers::attentionGradients_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("units");
    for (const char *k : {"luong", "luong-dot", "bahdanau", "readout"}) {
        QTest::newRow((std::string(k) + " T1 B1 H1 U1").c_str()) << k << 1 << 1 << 1 << 1;
        QTest::newRow((std::string(k) + " T4 B2 H3 U5").c_str()) << k << 4 << 2 << 3 << 5;
        QTest::newRow((std::string(k) + " T6 B3 H5 U2").c_str()) << k << 6 << 3 << 5 << 2;
    }
}

void TestLayers::attentionGradients()
{
    QFETCH(QString, kind);
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, hidden);
    QFETCH(int, units);
    Rng rng(9);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    Mat hs = randomMat(tb, hidden, rng), w = randomMat(batch, units, rng), out(batch, units);
    Mat dHs(tb, hidden);
    std::vector<ParamRef> ps;
    std::function<double()> loss;
    std::function<void()> backward;
    std::unique_ptr<ManyToOneAttention> att;
    std::unique_ptr<AttentionReadout> readout;
    Mat weights, dWeights;
    if (kind == "readout") {
        // The readout alone, with free attention weights a (B, T) as an extra input.
        readout = std::make_unique<AttentionReadout>(hidden, units, rng);
        readout->resize(steps, batch);
        weights = randomMat(batch, steps, rng);
        dWeights.resize(batch, steps);
        readout->appendParams("r", ps);
        loss = [&] {
            readout->forward(hs, weights, out);
            return weightedSum(out, w);
        };
        backward = [&] { readout->backward(hs, weights, w, dWeights, dHs); };
    } else {
        if (kind == "bahdanau")
            att = std::make_unique<BahdanauAttention>(hidden, units, rng);
        else
            att = std::make_unique<LuongAttention>(hidden, units,
                                                   kind == "luong" ? LuongAttention::Score::General
                                                                   : LuongAttention::Score::Dot,
                                                   rng);
        att->resize(steps, batch);
        att->appendParams("a", ps);
        loss = [&] {
            att->forward(hs, out);
            return weightedSum(out, w);
        };
        backward = [&] { att->backward(hs, w, dHs); };
    }
    loss();
    for (const ParamRef &p : ps)
        p.grad->setZero();
    backward();
    for (const ParamRef &p : ps) {
        const double err = relativeError(*p.grad, numericGradient(*p.value, loss));
        QVERIFY2(err < 1e-6, (p.name + " relative error " + std::to_string(err)).c_str());
    }
    QVERIFY(relativeError(dHs, numericGradient(hs, loss)) < 1e-6);
    if (kind == "readout")
        QVERIFY(relativeError(dWeights, numericGradient(weights, loss)) < 1e-6);
    else
        for (Eigen::Index b = 0; b < batch; ++b)
            QVERIFY(std::abs(att->weights().row(b).sum() - 1.0) < 1e-12);
}

void TestLayers::attentionRejectsBadShapes()
{
    Rng rng(1);
    LuongAttention luong(4, 3, LuongAttention::Score::General, rng);
    BahdanauAttention bahdanau(4, 3, rng);
    for (ManyToOneAttention *a : {static_cast<ManyToOneAttention *>(&luong),
                                  static_cast<ManyToOneAttention *>(&bahdanau)}) {
        Mat hs(10, 4), out(2, 3);
        QVERIFY_THROWS_EXCEPTION(ShapeError, a->forward(hs, out)); // no resize yet
        a->resize(5, 2);
        Mat hsBad(10, 3);
        QVERIFY_THROWS_EXCEPTION(ShapeError, a->forward(hsBad, out));
        Mat outBad(2, 4);
        QVERIFY_THROWS_EXCEPTION(ShapeError, a->forward(hs, outBad));
    }
}

void TestLayers::dropoutScalesAndMasks()
{
    Rng rng(4);
    Dropout d(0.25);
    d.resize(200, 50);
    Mat x = Mat::Ones(200, 50), y(200, 50), dx(200, 50);
    d.forward(x, y, rng, true);
    const double zeros = double((y.array() == 0).count()) / double(y.size());
    QVERIFY(std::abs(zeros - 0.25) < 0.02);
    QVERIFY(((y.array() == 0) || (y.array() - 1 / 0.75).abs() < 1e-12).all());
    d.backward(x, dx); // dx = dy * mask: same pattern as y
    QVERIFY((dx.array() == y.array()).all());
    d.forward(x, y, rng, false);
    QVERIFY((y.array() == 1).all());
    QVERIFY_THROWS_EXCEPTION(ShapeError, Dropout(1.0));
}

QTEST_APPLESS_MAIN(TestLayers)
#include "tst_layers.moc"
