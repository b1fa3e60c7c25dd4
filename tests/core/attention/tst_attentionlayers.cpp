// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the feed-forward, local, self- and feature attention layers: hand-computed forward
// cases, double-precision finite-difference gradient checks over tables of shapes (masks and
// windows included), the structure of self-attention maps, bad-shape rejection, and a proof that
// forward + backward allocate nothing (Eigen's malloc guard plus a count of operator new).
#include "core/attention/featureattention.h"
#include "core/attention/feedforwardattention.h"
#include "core/attention/localattention.h"
#include "core/attention/selfattention.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <new>

namespace {
std::atomic<long> g_allocations{0};
}

void *operator new(std::size_t n)
{
    ++g_allocations;
    if (void *p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }

using namespace attn;
using namespace attn::test;

namespace {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

/// Runs loss() once, clears the gradients, runs backward() (which must write dL/dinput into
/// dInput), then compares every parameter's and the input's gradient with central differences.
/// Returns "" when all relative errors are < 1e-6, otherwise a description of the first failure.
std::string gradientFailure(const std::vector<ParamRef> &ps, Mat &input, const Mat &dInput,
                            const std::function<double()> &loss, const std::function<void()> &backward)
{
    loss();
    for (const ParamRef &p : ps)
        p.grad->setZero();
    backward();
    for (const ParamRef &p : ps) {
        const double err = relativeError(*p.grad, numericGradient(*p.value, loss));
        if (!(err < 1e-6))
            return p.name + " relative error " + std::to_string(err);
    }
    const double err = relativeError(dInput, numericGradient(input, loss)); // loss() runs forward only
    if (!(err < 1e-6))
        return "input relative error " + std::to_string(err);
    return {};
}

/// The message of the ShapeError (or other std::invalid_argument) f() throws, "" if none.
std::string errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const std::invalid_argument &e) {
        return e.what();
    }
    return {};
}

} // namespace

class TestAttentionLayers : public QObject {
    Q_OBJECT
private slots:
    void feedForwardForwardByHand();
    void feedForwardGradients_data();
    void feedForwardGradients();
    void feedForwardRejectsBadShapes();

    void localForwardByHand();
    void localGradients_data();
    void localGradients();
    void localRejectsBadShapes();

    void selfForwardByHand();
    void selfGradients_data();
    void selfGradients();
    void selfMaps_data();
    void selfMaps();
    void selfRejectsBadShapes();

    void featureForwardByHand();
    void featureGradients_data();
    void featureGradients();
    void featureRejectsBadShapes();

    void gradientsAccumulate();
    void forwardBackwardDoNotAllocate_data();
    void forwardBackwardDoNotAllocate();
};

// ---------------------------------------------------------------------------------------------
// Feed-forward attention

void TestAttentionLayers::feedForwardForwardByHand()
{
    // H = 1, T = 2, B = 2, w = 0.5, b = [0, -1]. Time-major hs: rows t0b0, t0b1, t1b0, t1b1.
    //   sequence 0: h = [1, 2]:  e = [tanh(0.5), tanh(1 - 1)] = [0.462117, 0]
    //               a_0 = exp(0.462117) / (exp(0.462117) + 1) = 0.613516;  c = a_0 + 2 a_1 = 1.386484
    //   sequence 1: h = [-1, 0]: e = [tanh(-0.5), tanh(0 - 1)] = [-0.462117, -0.761594]
    //               a_0 = sigmoid(-0.462117 + 0.761594) = 0.574315;  c = -a_0 = -0.574315
    Rng rng(1);
    FeedForwardAttention att(1, 2, rng);
    QCOMPARE(att.outputs(), 1);
    att.params().weight << 0.5;
    att.params().bias << 0, -1;
    att.resize(2, 2);
    Mat hs(4, 1), out(2, 1);
    hs << 1, -1, 2, 0;
    att.forward(hs, out);
    const double a00 = sigmoid(std::tanh(0.5) - 0.0);
    const double a10 = sigmoid(std::tanh(-0.5) - std::tanh(-1.0));
    QVERIFY(std::abs(a00 - 0.613516) < 1e-6);
    QVERIFY(std::abs(a10 - 0.574315) < 1e-6);
    QVERIFY(std::abs(att.weights()(0, 0) - a00) < 1e-12);
    QVERIFY(std::abs(att.weights()(0, 1) - (1 - a00)) < 1e-12);
    QVERIFY(std::abs(att.weights()(1, 0) - a10) < 1e-12);
    QVERIFY(std::abs(out(0, 0) - (a00 * 1 + (1 - a00) * 2)) < 1e-12);
    QVERIFY(std::abs(out(1, 0) - (-a10)) < 1e-12);
}

void TestAttentionLayers::feedForwardGradients_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("hidden");
    QTest::newRow("T1 B1 H1") << 1 << 1 << 1;
    QTest::newRow("T4 B2 H3") << 4 << 2 << 3;
    QTest::newRow("T6 B3 H5") << 6 << 3 << 5;
    QTest::newRow("T2 B5 H8") << 2 << 5 << 8;
}

void TestAttentionLayers::feedForwardGradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, hidden);
    Rng rng(21);
    FeedForwardAttention att(hidden, steps, rng);
    att.params().bias = randomMat(1, steps, rng, 0.5); // not all zero, so db is exercised
    att.resize(steps, batch);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    Mat hs = randomMat(tb, hidden, rng), w = randomMat(batch, hidden, rng), out(batch, hidden);
    Mat dHs(tb, hidden);
    std::vector<ParamRef> ps;
    att.appendParams("attention", ps);
    QCOMPARE(int(ps.size()), 2);
    QCOMPARE(ps[0].name, std::string("attention.weight"));
    QCOMPARE(ps[1].name, std::string("attention.bias"));
    const std::string failure = gradientFailure(
        ps, hs, dHs,
        [&] {
            att.forward(hs, out);
            return weightedSum(out, w);
        },
        [&] { att.backward(hs, w, dHs); });
    QVERIFY2(failure.empty(), failure.c_str());
    for (Eigen::Index b = 0; b < batch; ++b)
        QVERIFY(std::abs(att.weights().row(b).sum() - 1.0) < 1e-12);
}

void TestAttentionLayers::feedForwardRejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ShapeError, FeedForwardAttention(0, 5, rng));
    QVERIFY_THROWS_EXCEPTION(ShapeError, FeedForwardAttention(4, 0, rng));
    FeedForwardAttention att(4, 5, rng);
    Mat hs(10, 4), out(2, 4), dHs(10, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, out)); // no resize yet
    QCOMPARE(errorOf([&] { att.resize(4, 2); }),
             std::string("FeedForwardAttention::resize: built for 5 steps, got 4"));
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.resize(5, 0));
    att.resize(5, 2);
    Mat hsBad(10, 3);
    QCOMPARE(errorOf([&] { att.forward(hsBad, out); }),
             std::string("FeedForwardAttention::forward hs: expected 10x4, got 10x3"));
    Mat outBad(2, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, outBad));
    att.forward(hs, out);
    Mat dOutBad(3, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.backward(hs, dOutBad, dHs));
    Mat dHsBad(8, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.backward(hs, out, dHsBad));
}

// ---------------------------------------------------------------------------------------------
// Local attention

void TestAttentionLayers::localForwardByHand()
{
    // H = 1, A = 1, U = 1, T = 3, B = 1, D = 2 (sigma = 1); h = [0.5, -1, 1], query h_T = 1.
    //   W_p = 1, v_p = 1: p = 3 sigmoid(tanh(1)) = 3 sigmoid(0.761594) = 2.045099
    //   W_a = 1: scores = h_T h_s = [0.5, -1, 1]; align = softmax = [0.348207, 0.077696, 0.574097]
    //   gauss at s = 1, 2, 3: exp(-(s - p)^2 / 2) = [0.579195, 0.998984, 0.633866]
    //   a = align * gauss = [0.201680, 0.077617, 0.363901], sum 0.643197 (not renormalised)
    //   c = 0.5 a_1 - a_2 + a_3 = 0.387124;  W_c = [1, 0.5]: out = tanh(c + 0.5 h_T) = 0.709970
    Rng rng(1);
    LocalAttention att(1, 1, 2, rng);
    att.params().wP << 1;
    att.params().vP << 1;
    att.params().wA << 1;
    std::vector<ParamRef> ps;
    att.appendParams("attention", ps);
    QCOMPARE(int(ps.size()), 4);
    QCOMPARE(ps[3].name, std::string("attention.weight_c"));
    *ps[3].value << 1, 0.5;
    att.resize(3, 1);
    Mat hs(3, 1), out(1, 1);
    hs << 0.5, -1, 1;
    att.forward(hs, out);
    const double p = 3 * sigmoid(std::tanh(1.0));
    QVERIFY(std::abs(p - 2.045099) < 1e-6);
    QVERIFY(std::abs(att.centres()(0, 0) - p) < 1e-12);
    const double z = std::exp(0.5) + std::exp(-1.0) + std::exp(1.0);
    const double align[3] = {std::exp(0.5) / z, std::exp(-1.0) / z, std::exp(1.0) / z};
    double a[3], sum = 0;
    for (int s = 0; s < 3; ++s) {
        a[s] = align[s] * std::exp(-(s + 1 - p) * (s + 1 - p) / 2.0);
        sum += a[s];
        QVERIFY(std::abs(att.weights()(0, s) - a[s]) < 1e-12);
    }
    QVERIFY(std::abs(sum - 0.643197) < 1e-6);
    QVERIFY(std::abs(att.weights().row(0).sum() - sum) < 1e-12);
    const double c = 0.5 * a[0] - a[1] + a[2];
    QVERIFY(std::abs(out(0, 0) - std::tanh(c + 0.5)) < 1e-12);
    QVERIFY(std::abs(out(0, 0) - 0.709970) < 1e-6);
}

void TestAttentionLayers::localGradients_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("units");
    QTest::addColumn<int>("halfWidth");
    for (int d : {1, 4}) {
        const std::string D = " D" + std::to_string(d);
        QTest::newRow(("T1 B1 H1 U1" + D).c_str()) << 1 << 1 << 1 << 1 << d;
        QTest::newRow(("T4 B2 H3 U5" + D).c_str()) << 4 << 2 << 3 << 5 << d;
        QTest::newRow(("T7 B3 H4 U2" + D).c_str()) << 7 << 3 << 4 << 2 << d;
        QTest::newRow(("T10 B2 H2 U3" + D).c_str()) << 10 << 2 << 2 << 3 << d;
    }
}

void TestAttentionLayers::localGradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, hidden);
    QFETCH(int, units);
    QFETCH(int, halfWidth);
    Rng rng(31);
    LocalAttention att(hidden, units, halfWidth, rng);
    att.resize(steps, batch);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    Mat hs = randomMat(tb, hidden, rng), w = randomMat(batch, units, rng), out(batch, units);
    Mat dHs(tb, hidden);
    std::vector<ParamRef> ps;
    att.appendParams("attention", ps);
    const std::string failure = gradientFailure(
        ps, hs, dHs,
        [&] {
            att.forward(hs, out);
            return weightedSum(out, w);
        },
        [&] { att.backward(hs, w, dHs); });
    QVERIFY2(failure.empty(), failure.c_str());
    // The gradient reaches p: W_p and v_p act on the output only through the centre.
    QVERIFY(att.grads().vP.norm() > 0);
    for (Eigen::Index b = 0; b < batch; ++b) {
        const double sum = att.weights().row(b).sum();
        QVERIFY(sum > 0 && sum <= 1 + 1e-12); // not renormalised: align times a Gaussian <= 1
        QVERIFY(att.centres()(b, 0) > 0 && att.centres()(b, 0) < steps);
    }
}

void TestAttentionLayers::localRejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ShapeError, LocalAttention(4, 3, 0, rng));
    QVERIFY_THROWS_EXCEPTION(ShapeError, LocalAttention(0, 3, 2, rng));
    LocalAttention att(4, 3, 2, rng);
    Mat hs(10, 4), out(2, 3), dHs(10, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, out)); // no resize yet
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.resize(0, 2));
    att.resize(5, 2);
    Mat hsBad(10, 3);
    QCOMPARE(errorOf([&] { att.forward(hsBad, out); }),
             std::string("LocalAttention::forward hs: expected 10x4, got 10x3"));
    Mat outBad(2, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, outBad));
    att.forward(hs, out);
    Mat dOutBad(2, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.backward(hs, dOutBad, dHs));
}

// ---------------------------------------------------------------------------------------------
// Self-attention

void TestAttentionLayers::selfForwardByHand()
{
    // H = 2, T = 2, B = 1, h_0 = (1, 0), h_1 = (1, 1); W_q = W_k = W_v = W_o = I unless stated,
    // so Q = K = V = h. beta = sigmoid(1 / sqrt(2)) = 0.669762.
    Mat hs(2, 2), out(1, 2), map(2, 2);
    hs << 1, 0, 1, 1;
    const double beta = sigmoid(1 / std::sqrt(2.0));
    QVERIFY(std::abs(beta - 0.669762) < 1e-6);
    const auto make = [](int heads, bool causal, int window) {
        Rng rng(1);
        auto att = std::make_unique<SelfAttention>(2, heads, causal, window, rng);
        for (Mat *w : {&att->params().wQ, &att->params().wK, &att->params().wV, &att->params().wO})
            w->setIdentity();
        att->resize(2, 1);
        return att;
    };
    const auto matches = [](const Mat &m, std::initializer_list<double> expected) {
        Eigen::Index i = 0;
        for (double e : expected) {
            if (std::abs(m(i / m.cols(), i % m.cols()) - e) > 1e-12)
                return false;
            ++i;
        }
        return true;
    };
    {
        // One head (d_k = 2): scores = h h^T / sqrt(2) = [[1, 1], [1, 2]] / sqrt(2)
        //   A = [[0.5, 0.5], [1 - beta, beta]];  C = A V = [(1, 0.5), (1, beta)]
        //   out = mean_t C_t = (1, (0.5 + beta) / 2) = (1, 0.584881)
        //   weights = column means of A = [(1.5 - beta) / 2, (0.5 + beta) / 2] = [0.415119, 0.584881]
        auto att = make(1, false, 0);
        att->forward(hs, out);
        QVERIFY(matches(out, {1, (0.5 + beta) / 2}));
        QVERIFY(std::abs(out(0, 1) - 0.584881) < 1e-6);
        QVERIFY(matches(att->weights(), {(1.5 - beta) / 2, (0.5 + beta) / 2}));
        att->headMap(0, 0, map);
        QVERIFY(matches(map, {0.5, 0.5, 1 - beta, beta}));
    }
    {
        // Causal: query 0 sees only key 0. A = [[1, 0], [1 - beta, beta]]; C = [(1, 0), (1, beta)]
        //   out = (1, beta / 2) = (1, 0.334881);  weights = [(2 - beta) / 2, beta / 2]
        auto att = make(1, true, 0);
        att->forward(hs, out);
        QVERIFY(matches(out, {1, beta / 2}));
        QVERIFY(std::abs(out(0, 1) - 0.334881) < 1e-6);
        QVERIFY(matches(att->weights(), {(2 - beta) / 2, beta / 2}));
        att->headMap(0, 0, map);
        QVERIFY(matches(map, {1, 0, 1 - beta, beta}));
        QCOMPARE(map(0, 1), 0.0); // exactly zero on the future
    }
    {
        // Two heads (d_k = 1), W_o swaps the two columns.
        //   head 0 (column 0): q = k = v = [1, 1] -> scores all 1 -> A_0 uniform; (A_0 V_0) = [1, 1]
        //   head 1 (column 1): q = k = v = [0, 1] -> scores [[0, 0], [0, 1]]
        //     A_1 = [[0.5, 0.5], [1 - sigmoid(1), sigmoid(1)]];  (A_1 V_1) = [0.5, 0.731059]
        //   pooled = (1, (0.5 + 0.731059) / 2) = (1, 0.615529); out = pooled W_o^T = (0.615529, 1)
        //   weights = mean of the heads' column means = [0.442235, 0.557765]
        auto att = make(2, false, 0);
        att->params().wO << 0, 1, 1, 0;
        att->forward(hs, out);
        const double s1 = sigmoid(1.0);
        QVERIFY(matches(out, {(0.5 + s1) / 2, 1}));
        QVERIFY(std::abs(out(0, 0) - 0.615529) < 1e-6);
        const double w0 = (0.5 + (1.5 - s1) / 2) / 2;
        QVERIFY(matches(att->weights(), {w0, 1 - w0}));
        QVERIFY(std::abs(w0 - 0.442235) < 1e-6);
        att->headMap(0, 0, map);
        QVERIFY(matches(map, {0.5, 0.5, 0.5, 0.5}));
        att->headMap(0, 1, map);
        QVERIFY(matches(map, {0.5, 0.5, 1 - s1, s1}));
        att->headMap(0, SelfAttention::MeanOfHeads, map);
        QVERIFY(matches(map, {0.5, 0.5, (1.5 - s1) / 2, (0.5 + s1) / 2}));
    }
    {
        // Window w = 1: each query sees only itself, A = I; with W_v = 2 I, C = 2 h and
        //   out = mean_t 2 h_t = (2, 1); weights = [0.5, 0.5].
        auto att = make(1, false, 1);
        att->params().wV *= 2;
        att->forward(hs, out);
        QVERIFY(matches(out, {2, 1}));
        QVERIFY(matches(att->weights(), {0.5, 0.5}));
        att->headMap(0, 0, map);
        QVERIFY(matches(map, {1, 0, 0, 1}));
    }
}

void TestAttentionLayers::selfGradients_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("heads");
    QTest::addColumn<bool>("causal");
    QTest::addColumn<int>("window");
    QTest::newRow("T1 B1 H1 K1") << 1 << 1 << 1 << 1 << false << 0;
    QTest::newRow("T4 B2 H4 K2") << 4 << 2 << 4 << 2 << false << 0;
    QTest::newRow("T4 B2 H4 K2 causal") << 4 << 2 << 4 << 2 << true << 0;
    QTest::newRow("T5 B2 H6 K3 window 2") << 5 << 2 << 6 << 3 << false << 2;
    QTest::newRow("T5 B2 H6 K3 causal window 2") << 5 << 2 << 6 << 3 << true << 2;
    QTest::newRow("T6 B3 H4 K1 causal window 3") << 6 << 3 << 4 << 1 << true << 3;
    QTest::newRow("T3 B2 H6 K6 window 5") << 3 << 2 << 6 << 6 << false << 5;
    QTest::newRow("T7 B1 H3 K1 causal") << 7 << 1 << 3 << 1 << true << 0;
}

void TestAttentionLayers::selfGradients()
{
    QFETCH(int, steps);
    QFETCH(int, batch);
    QFETCH(int, hidden);
    QFETCH(int, heads);
    QFETCH(bool, causal);
    QFETCH(int, window);
    Rng rng(41);
    SelfAttention att(hidden, heads, causal, window, rng);
    att.resize(steps, batch);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    Mat hs = randomMat(tb, hidden, rng), w = randomMat(batch, hidden, rng), out(batch, hidden);
    Mat dHs(tb, hidden);
    std::vector<ParamRef> ps;
    att.appendParams("attention", ps);
    QCOMPARE(int(ps.size()), 4);
    QCOMPARE(ps[0].name, std::string("attention.w_q"));
    QCOMPARE(ps[3].name, std::string("attention.w_o"));
    const std::string failure = gradientFailure(
        ps, hs, dHs,
        [&] {
            att.forward(hs, out);
            return weightedSum(out, w);
        },
        [&] { att.backward(hs, w, dHs); });
    QVERIFY2(failure.empty(), failure.c_str());
}

void TestAttentionLayers::selfMaps_data()
{
    QTest::addColumn<int>("heads");
    QTest::addColumn<bool>("causal");
    QTest::addColumn<int>("window");
    QTest::newRow("K2 full") << 2 << false << 0;
    QTest::newRow("K2 causal") << 2 << true << 0;
    QTest::newRow("K4 window 2") << 4 << false << 2;
    QTest::newRow("K1 causal window 3") << 1 << true << 3;
    QTest::newRow("K2 window 1") << 2 << false << 1;
}

void TestAttentionLayers::selfMaps()
{
    QFETCH(int, heads);
    QFETCH(bool, causal);
    QFETCH(int, window);
    const int T = 7, B = 3, H = 8;
    Rng rng(51);
    SelfAttention att(H, heads, causal, window, rng);
    att.resize(T, B);
    Mat hs = randomMat(Eigen::Index(T) * B, H, rng, 2.0), out(B, H), map(T, T), mean = Mat::Zero(T, T);
    att.forward(hs, out);
    QCOMPARE(att.headWeights().rows(), Eigen::Index(heads) * B * T);
    QCOMPARE(att.headWeights().cols(), Eigen::Index(T));
    for (int b = 0; b < B; ++b) {
        Mat headSum = Mat::Zero(T, T);
        for (int k = 0; k < heads; ++k) {
            att.headMap(b, k, map);
            // headMap is the documented row block of headWeights().
            QVERIFY(map == att.headWeights().middleRows((Eigen::Index(k) * B + b) * T, T));
            headSum += map;
            for (int t = 0; t < T; ++t) {
                QVERIFY(std::abs(map.row(t).sum() - 1.0) < 1e-12);
                for (int s = 0; s < T; ++s) {
                    const bool visible =
                        (!causal || s <= t) && (window == 0 || std::abs(t - s) < window);
                    if (visible)
                        QVERIFY2(map(t, s) > 0, "a visible key got no weight");
                    else
                        QVERIFY2(map(t, s) == 0.0, "a masked key got weight");
                }
            }
        }
        att.headMap(b, SelfAttention::MeanOfHeads, mean);
        QVERIFY((mean - headSum / heads).cwiseAbs().maxCoeff() < 1e-12);
        // weights() = attention received per key, averaged over queries and heads.
        QVERIFY((att.weights().row(b) - mean.colwise().sum() / T).cwiseAbs().maxCoeff() < 1e-12);
        QVERIFY(std::abs(att.weights().row(b).sum() - 1.0) < 1e-12);
    }
}

void TestAttentionLayers::selfRejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SelfAttention(6, 4, false, 0, rng));
    QCOMPARE(errorOf([&] { SelfAttention(6, 4, false, 0, rng); }),
             std::string("SelfAttention: hidden 6 is not divisible by heads 4"));
    QVERIFY_THROWS_EXCEPTION(ShapeError, SelfAttention(6, 0, false, 0, rng));
    QVERIFY_THROWS_EXCEPTION(ShapeError, SelfAttention(6, 2, true, -1, rng));
    SelfAttention att(4, 2, true, 0, rng);
    Mat hs(10, 4), out(2, 4), dHs(10, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, out)); // no resize yet
    att.resize(5, 2);
    Mat hsBad(10, 3);
    QCOMPARE(errorOf([&] { att.forward(hsBad, out); }),
             std::string("SelfAttention::forward hs: expected 10x4, got 10x3"));
    Mat outBad(2, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(hs, outBad));
    att.forward(hs, out);
    Mat dOutBad(2, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.backward(hs, dOutBad, dHs));
    Mat map(5, 5), mapBad(4, 5);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.headMap(0, 0, mapBad));
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.headMap(2, 0, map));
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.headMap(0, 2, map));
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.headMap(0, -2, map));
}

// ---------------------------------------------------------------------------------------------
// Feature attention

void TestAttentionLayers::featureForwardByHand()
{
    // F = 2, B = 2, W = I, b = [1, 0].
    //   x = (1, 2): z = (2, 2) -> a = (0.5, 0.5) -> out = (0.5, 1)
    //   x = (0, 0): z = (1, 0) -> a = (e / (1 + e), 1 / (1 + e)) = (0.731059, 0.268941) -> out = (0, 0)
    Rng rng(1);
    FeatureAttention att(2, rng);
    att.params().weight.setIdentity();
    att.params().bias << 1, 0;
    att.resize(2);
    Mat x(2, 2), out(2, 2);
    x << 1, 2, 0, 0;
    att.forward(x, out);
    QCOMPARE(att.weights()(0, 0), 0.5);
    QCOMPARE(att.weights()(0, 1), 0.5);
    QCOMPARE(out(0, 0), 0.5);
    QCOMPARE(out(0, 1), 1.0);
    QVERIFY(std::abs(att.weights()(1, 0) - sigmoid(1.0)) < 1e-12);
    QVERIFY(std::abs(att.weights()(1, 0) - 0.731059) < 1e-6);
    QCOMPARE(out(1, 0), 0.0);
    QCOMPARE(out(1, 1), 0.0);
}

void TestAttentionLayers::featureGradients_data()
{
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("features");
    QTest::newRow("B1 F1") << 1 << 1;
    QTest::newRow("B3 F4") << 3 << 4;
    QTest::newRow("B5 F7") << 5 << 7;
    QTest::newRow("B2 F32") << 2 << 32;
}

void TestAttentionLayers::featureGradients()
{
    QFETCH(int, batch);
    QFETCH(int, features);
    Rng rng(61);
    FeatureAttention att(features, rng);
    att.params().bias = randomMat(1, features, rng, 0.5);
    att.resize(batch);
    Mat x = randomMat(batch, features, rng), w = randomMat(batch, features, rng);
    Mat out(batch, features), dX(batch, features);
    std::vector<ParamRef> ps;
    att.appendParams("attention", ps);
    QCOMPARE(int(ps.size()), 2);
    QCOMPARE(ps[0].name, std::string("attention.weight"));
    const std::string failure = gradientFailure(
        ps, x, dX,
        [&] {
            att.forward(x, out);
            return weightedSum(out, w);
        },
        [&] { att.backward(x, w, dX); });
    QVERIFY2(failure.empty(), failure.c_str());
    for (Eigen::Index b = 0; b < batch; ++b)
        QVERIFY(std::abs(att.weights().row(b).sum() - 1.0) < 1e-12);
}

void TestAttentionLayers::featureRejectsBadShapes()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ShapeError, FeatureAttention(0, rng));
    FeatureAttention att(4, rng);
    Mat x(3, 4), out(3, 4), dX(3, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(x, out)); // no resize yet
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.resize(0));
    att.resize(3);
    Mat xBad(3, 5);
    QCOMPARE(errorOf([&] { att.forward(xBad, out); }),
             std::string("FeatureAttention::forward x: expected 3x4, got 3x5"));
    Mat outBad(2, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.forward(x, outBad));
    att.forward(x, out);
    Mat dXBad(3, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, att.backward(x, out, dXBad));
}

// ---------------------------------------------------------------------------------------------
// All layers

void TestAttentionLayers::gradientsAccumulate()
{
    // backward() adds into the gradients (twice = double) and writes the input gradient (twice =
    // same); only zeroGrad() clears.
    Rng rng(71);
    const int T = 4, B = 2, H = 4;
    FeedForwardAttention ff(H, T, rng);
    LocalAttention local(H, 3, 2, rng);
    SelfAttention self(H, 2, true, 2, rng);
    std::vector<ManyToOneAttention *> layers{&ff, &local, &self};
    Mat hs = randomMat(T * B, H, rng), dHs(T * B, H), first(T * B, H);
    for (ManyToOneAttention *att : layers) {
        att->resize(T, B);
        Mat out(B, att->outputs());
        const Mat dOut = randomMat(B, att->outputs(), rng);
        std::vector<ParamRef> ps;
        att->appendParams("attention", ps);
        att->zeroGrad();
        att->forward(hs, out);
        att->backward(hs, dOut, dHs);
        first = dHs;
        std::vector<Mat> once;
        for (const ParamRef &p : ps)
            once.push_back(*p.grad);
        att->backward(hs, dOut, dHs);
        QVERIFY(dHs == first);
        for (std::size_t i = 0; i < ps.size(); ++i) {
            QVERIFY(once[i].norm() > 0);
            QVERIFY((*ps[i].grad - 2 * once[i]).cwiseAbs().maxCoeff() < 1e-12);
        }
        att->zeroGrad();
        for (const ParamRef &p : ps)
            QVERIFY(p.grad->isZero(0));
    }
    FeatureAttention feature(H, rng);
    feature.resize(B);
    Mat x = randomMat(B, H, rng), out(B, H), dX(B, H), dOut = randomMat(B, H, rng);
    feature.forward(x, out);
    feature.backward(x, dOut, dX);
    const Mat once = feature.grads().weight;
    const Mat dXOnce = dX;
    feature.backward(x, dOut, dX);
    QVERIFY(dX == dXOnce);
    QVERIFY((feature.grads().weight - 2 * once).cwiseAbs().maxCoeff() < 1e-12);
    feature.zeroGrad();
    QVERIFY(feature.grads().weight.isZero(0) && feature.grads().bias.isZero(0));
}

void TestAttentionLayers::forwardBackwardDoNotAllocate_data()
{
    QTest::addColumn<QString>("layer");
    QTest::newRow("feed-forward") << "feed-forward";
    QTest::newRow("local") << "local";
    QTest::newRow("self") << "self";
    QTest::newRow("self causal window") << "self causal window";
    QTest::newRow("feature") << "feature";
}

void TestAttentionLayers::forwardBackwardDoNotAllocate()
{
    QFETCH(QString, layer);
    // Sizes of the seed experiments (add task: T = 20, B = 64, H = 100 -> 128), so the large
    // GEMM code paths run, not only the small-product ones.
    const int T = 20, B = 64, H = 128, U = 128, F = 32;
    Rng rng(81);
    std::unique_ptr<ManyToOneAttention> att;
    std::unique_ptr<FeatureAttention> feature;
    if (layer == "feed-forward")
        att = std::make_unique<FeedForwardAttention>(H, T, rng);
    else if (layer == "local")
        att = std::make_unique<LocalAttention>(H, U, 5, rng);
    else if (layer == "self")
        att = std::make_unique<SelfAttention>(H, 4, false, 0, rng);
    else if (layer == "self causal window")
        att = std::make_unique<SelfAttention>(H, 4, true, 6, rng);
    else
        feature = std::make_unique<FeatureAttention>(F, rng);
    const Eigen::Index rows = att ? Eigen::Index(T) * B : B, cols = att ? H : F;
    const Eigen::Index outCols = att ? att->outputs() : F;
    Mat in = randomMat(rows, cols, rng), dIn(rows, cols), out(B, outCols);
    const Mat dOut = randomMat(B, outCols, rng);
    Mat map(T, T);
    auto *self = dynamic_cast<SelfAttention *>(att.get());
    const auto step = [&] {
        if (att) {
            att->forward(in, out);
            att->backward(in, dOut, dIn);
        } else {
            feature->forward(in, out);
            feature->backward(in, dOut, dIn);
        }
        if (self)
            self->headMap(B - 1, SelfAttention::MeanOfHeads, map);
    };
    if (att)
        att->resize(T, B);
    else
        feature->resize(B);
    step(); // warm-up

    const long before = g_allocations.load();
    Eigen::internal::set_is_malloc_allowed(false);
    try {
        step();
        step();
    } catch (const std::exception &e) {
        Eigen::internal::set_is_malloc_allowed(true);
        QFAIL(e.what());
    }
    Eigen::internal::set_is_malloc_allowed(true);
    QCOMPARE(g_allocations.load() - before, 0L);
}

QTEST_APPLESS_MAIN(TestAttentionLayers)
#include "tst_attentionlayers.moc"
