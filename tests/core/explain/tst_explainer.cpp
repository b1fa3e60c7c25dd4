// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of Explainer (core/explain/explainer.h) in double precision: gradient, input x gradient,
// leave-one-out and integrated gradients computed by hand on a linear model (regression and
// binary classification); on LSTM/GRU models with attention, number and token inputs, padding
// masked, against independent computations (erase-and-forward, a Riemann sum of central
// differences) and integrated gradients' completeness as the number of steps grows.
#include "core/explain/explainer.h"
#include "core/data/task.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

namespace {

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// A FeatureModel without attention and hidden layer: y = x w^T + b, F = 3, O = 1.
std::unique_ptr<Model> linearModel(const Mat &w, double b)
{
    ModelConfig c{3, 4, AttentionKind::None, 4, 0.0, 1};
    c.architecture = ModelArchitecture::Feature;
    c.baselineUnits = 0;
    Rng rng(1);
    std::unique_ptr<Model> m = makeModel(c, rng, 1);
    for (const ParamRef &p : m->params()) {
        if (p.name == "dense.weight")
            *p.value = w;
        else
            p.value->setConstant(b);
    }
    return m;
}

bool close(const Mat &a, const Mat &b, double tol = 1e-12)
{
    return a.rows() == b.rows() && a.cols() == b.cols() && (a - b).cwiseAbs().maxCoeff() < tol;
}

} // namespace

class TestExplainer : public QObject {
    Q_OBJECT
private slots:
    void linearRegressionByHand();
    void linearClassificationByHand();
    void sequenceModels_data();
    void sequenceModels();
    void integratedGradientsComplete();
    void rejectsBadInput();
};

void TestExplainer::linearRegressionByHand()
{
    // y = 2 x_0 + x_1 - 4 x_2 + 0.5. Row 0: x = (1, -2, 0.5), y = -1.5; row 1: x = (3, 1, -1), y = 11.5.
    Mat w(1, 3), x(2, 3);
    w << 2, 1, -4;
    x << 1, -2, 0.5, /**/ 3, 1, -1;
    auto model = linearModel(w, 0.5);
    Explainer e(*model, LossKind::Mse, 1, x, Mat());
    QCOMPARE(e.rows(), 2);
    QCOMPARE(e.units(), 3);
    QVERIFY(close(e.output(), (Mat(2, 1) << -1.5, 11.5).finished()));
    QCOMPARE(e.attention().size(), Eigen::Index(0));
    Mat gradient, ixg;
    e.gradients(gradient, ixg);
    QVERIFY(close(gradient, (Mat(2, 3) << 2, 1, 4, 2, 1, 4).finished()));       // |w_j|
    QVERIFY(close(ixg, (Mat(2, 3) << 2, -2, -2, 6, 1, 4).finished()));          // x_j w_j
    // Erasing feature j (x_j = 0) moves y by x_j w_j.
    QVERIFY(close(e.leaveOneOut(), (Mat(2, 3) << 2, 2, 2, 6, 1, 4).finished()));
    // A linear model has a constant gradient: IG_j = x_j w_j for every m, complete exactly:
    // sum_j IG_j = y(x) - y(0) = (-2, 11).
    for (int m : {1, 5}) {
        const IntegratedGradients ig = e.integratedGradients(m);
        QVERIFY(close(ig.attributions, ixg));
        QVERIFY(close(ig.delta, (Mat(2, 1) << -2, 11).finished()));
        QVERIFY(ig.gap.cwiseAbs().maxCoeff() < 1e-12);
    }
    // Another neutral value, x' = (1, 0, -1): leave-one-out and IG become |(x_j - x'_j) w_j|
    // and (x_j - x'_j) w_j, complete against y(x) - y(x') = (-2 - (2 + 4), 11 - (2 + 4)).
    e.setNeutralValues((Mat(1, 3) << 1, 0, -1).finished());
    QVERIFY(close(e.leaveOneOut(), (Mat(2, 3) << 0, 2, 6, 4, 1, 0).finished()));
    const IntegratedGradients shifted = e.integratedGradients(3);
    QVERIFY(close(shifted.attributions, (Mat(2, 3) << 0, -2, -6, 4, 1, 0).finished()));
    QVERIFY(close(shifted.delta, (Mat(2, 1) << -8, 5).finished()));
    QVERIFY_THROWS_EXCEPTION(ShapeError, e.setNeutralValues(Mat::Zero(1, 2)));
    QVERIFY(!e.classification());
    QVERIFY_THROWS_EXCEPTION(ConfigError, e.decisionFlips(e.output()));
    QVERIFY_THROWS_EXCEPTION(ConfigError, e.outputWithAttention(Mat::Ones(2, 3)));
    QVERIFY_THROWS_EXCEPTION(ConfigError, e.integratedGradients(0));
}

void TestExplainer::linearClassificationByHand()
{
    // The same model read as one logit z (BCE): the output change is the total variation
    // distance between (p, 1 - p) and (q, 1 - q), |sigmoid(z) - sigmoid(z')|.
    Mat w(1, 3), x(2, 3);
    w << 2, 1, -4;
    x << 1, -2, 0.5, /**/ 3, 1, -1;
    auto model = linearModel(w, 0.5);
    Explainer e(*model, LossKind::BinaryCrossEntropy, 1, x, Mat());
    const double z[2] = {-1.5, 11.5};
    const double xw[2][3] = {{2, -2, -2}, {6, 1, 4}};
    Mat expected(2, 3);
    for (int r = 0; r < 2; ++r)
        for (int j = 0; j < 3; ++j)
            expected(r, j) = std::abs(sigmoid(z[r]) - sigmoid(z[r] - xw[r][j]));
    QVERIFY(close(e.leaveOneOut(), expected));
    // The gradient is that of the logit, as for regression.
    Mat gradient, ixg;
    e.gradients(gradient, ixg);
    QVERIFY(close(ixg, (Mat(2, 3) << 2, -2, -2, 6, 1, 4).finished()));
    QVERIFY(e.classification());
    Mat other(2, 1);
    other << 0.25, 11.0; // row 0's decision flips (z from -1.5 to 0.25), row 1's does not
    QVERIFY(close(e.decisionFlips(other), (Mat(2, 1) << 1, 0).finished()));
    QVERIFY(close(e.outputChange(other),
                  (Mat(2, 1) << std::abs(sigmoid(0.25) - sigmoid(-1.5)),
                   std::abs(sigmoid(11.0) - sigmoid(11.5))).finished()));
}

void TestExplainer::sequenceModels_data()
{
    QTest::addColumn<QString>("attention");
    QTest::addColumn<QString>("cell");
    QTest::addColumn<bool>("tokens");
    QTest::addColumn<bool>("masked");
    QTest::newRow("lstm bahdanau") << "bahdanau" << "lstm" << false << false;
    QTest::newRow("gru luong masked") << "luong" << "gru" << false << true;
    QTest::newRow("lstm self masked") << "self" << "lstm" << false << true;
    QTest::newRow("tokens lstm feed-forward masked") << "feed-forward" << "lstm" << true << true;
    QTest::newRow("tokens gru local") << "local" << "gru" << true << false;
    QTest::newRow("tokens lstm none masked") << "none" << "lstm" << true << true;
    QTest::newRow("gru luong-dot") << "luong-dot" << "gru" << false << false;
    QTest::newRow("lstm local-m masked") << "local-m" << "lstm" << false << true;
    QTest::newRow("transformer masked") << "transformer" << "lstm" << false << true;
    QTest::newRow("tokens transformer masked") << "transformer" << "lstm" << true << true;
}

void TestExplainer::sequenceModels()
{
    QFETCH(QString, attention);
    QFETCH(QString, cell);
    QFETCH(bool, tokens);
    QFETCH(bool, masked);
    const int T = 4, R = 3, V = 6;
    ModelConfig c{tokens ? 1 : 2, 5, *attentionKindFromString(attention.toStdString()), 6, 0.0, 1};
    c.steps = T;
    c.cell = *recurrentCellFromString(cell.toStdString());
    c.baselineUnits = 3;
    if (tokens) {
        c.vocabulary = V;
        c.embeddingDim = 3;
    }
    Rng rng(3);
    std::unique_ptr<Model> model = makeModel(c, rng, 1);
    for (const ParamRef &p : model->params())
        *p.value = randomMat(p.value->rows(), p.value->cols(), rng, 0.5);
    Mat x = randomMat(T * R, c.inputs, rng);
    const Mat mask = masked ? mixedPaddingMask(T, R) : Mat();
    if (tokens)
        for (int t = 0; t < T; ++t)
            for (int r = 0; r < R; ++r)
                x(t * R + r, 0) = masked && mask(r, t) == 0 ? 0 : Scalar(1 + rng.below(V));
    const LossKind loss = tokens ? LossKind::BinaryCrossEntropy : LossKind::Mse;
    Explainer e(*model, loss, T, x, mask);
    if (tokens) // a token is erased to padding, never to a value
        QVERIFY_THROWS_EXCEPTION(ConfigError, e.setNeutralValues(Mat::Zero(1, 1)));
    QCOMPARE(e.units(), T);
    const Mat y0 = e.output();

    // Leave-one-out against erase-and-forward from the ids: a token becomes padding (id 0, and
    // a padding step of the mask unless it is the row's only word), a number becomes 0.
    const Mat loo = e.leaveOneOut();
    for (int t = 0; t < T; ++t) {
        Mat erased = x, erasedMask = mask;
        erased.middleRows(t * R, R).setZero();
        if (tokens && masked)
            for (int r = 0; r < R; ++r)
                if (mask.row(r).sum() > 1)
                    erasedMask(r, t) = 0;
        model->setPaddingMask(erasedMask);
        const Mat y = model->forward(erased, false);
        for (int r = 0; r < R; ++r) {
            const double expected = tokens ? std::abs(sigmoid(y(r, 0)) - sigmoid(y0(r, 0)))
                                           : std::abs(y(r, 0) - y0(r, 0));
            QVERIFY2(std::abs(loo(r, t) - expected) < 1e-12, qPrintable(QString("row %1 step %2").arg(r).arg(t)));
        }
    }
    if (masked) // a padding step changes nothing (row 1's step 0)
        QCOMPARE(loo(1, 0), 0.0);

    // Gradient and input x gradient against central differences in u.
    Mat u(T * R, model->inputWidth()), base(T * R, model->inputWidth());
    model->embedInputs(x, u);
    if (tokens) // the padding id's embedding
        model->embedInputs(Mat::Zero(T * R, 1), base);
    else
        base.setZero();
    model->setPaddingMask(mask);
    Mat point = u;
    auto f = [&] { return model->forwardEmbedded(point).sum(); }; // rows are independent
    const Mat g = numericGradient(point, f, 1e-6);
    Mat gradient, ixg;
    e.gradients(gradient, ixg);
    for (int t = 0; t < T; ++t)
        for (int r = 0; r < R; ++r) {
            QVERIFY(std::abs(gradient(r, t) - g.row(t * R + r).norm()) < 1e-7);
            QVERIFY(std::abs(ixg(r, t) - g.row(t * R + r).dot(u.row(t * R + r))) < 1e-7);
        }

    // Integrated gradients, m = 6: the midpoint Riemann sum of eq. 3 with central differences.
    const int m = 6;
    Mat sum = Mat::Zero(u.rows(), u.cols());
    for (int k = 1; k <= m; ++k) {
        point = base + ((k - 0.5) / m) * (u - base);
        sum += numericGradient(point, f, 1e-6);
    }
    const Mat entries = ((u - base).array() * sum.array() / m).matrix();
    const IntegratedGradients ig = e.integratedGradients(m);
    for (int t = 0; t < T; ++t)
        for (int r = 0; r < R; ++r)
            QVERIFY(std::abs(ig.attributions(r, t) - entries.row(t * R + r).sum()) < 1e-7);
    model->setPaddingMask(mask);
    const Mat yBase = model->forwardEmbedded(base);
    QVERIFY(close(ig.delta, y0 - yBase, 1e-12));
    QVERIFY(close(ig.gap, ig.attributions.rowwise().sum() - ig.delta, 1e-12));
    if (masked)
        QCOMPARE(ig.attributions(1, 0), 0.0);

    // Attention weights reported, overridden outputs, parameter gradients left clear.
    if (c.attention == AttentionKind::None) {
        QCOMPARE(e.attention().size(), Eigen::Index(0));
    } else {
        QCOMPARE(e.attention().cols(), Eigen::Index(T));
        // (Self-attention gives every query the pooled weights, which is another function.)
        if (c.attention != AttentionKind::SelfAttention)
            QVERIFY(close(e.outputWithAttention(e.attention()), y0, 1e-12));
    }
    for (const ParamRef &p : model->params())
        QCOMPARE(p.grad->cwiseAbs().maxCoeff(), 0.0);
}

void TestExplainer::integratedGradientsComplete()
{
    // Completeness (Sundararajan et al. 2017, Prop. 1): the gap of the midpoint Riemann sum
    // shrinks roughly as 1/m^2 on a nonlinear model.
    ModelConfig c{1, 5, AttentionKind::Bahdanau, 6, 0.0, 1};
    c.steps = 5;
    Rng rng(4);
    std::unique_ptr<Model> model = makeModel(c, rng, 1);
    for (const ParamRef &p : model->params())
        *p.value = randomMat(p.value->rows(), p.value->cols(), rng, 0.5);
    const Mat x = randomMat(5 * 4, 1, rng, 2.0);
    Explainer e(*model, LossKind::Mse, 5, x, Mat());
    const IntegratedGradients coarse = e.integratedGradients(4);
    const IntegratedGradients fine = e.integratedGradients(256);
    const double coarseGap = coarse.gap.cwiseAbs().maxCoeff();
    const double fineGap = fine.gap.cwiseAbs().maxCoeff();
    qInfo("max |gap|: m = 4: %g, m = 256: %g (max |delta| %g)", coarseGap, fineGap,
          fine.delta.cwiseAbs().maxCoeff());
    QVERIFY(coarseGap > 0);
    QVERIFY(fineGap < coarseGap / 256);
    QVERIFY(fineGap < 1e-3 * fine.delta.cwiseAbs().maxCoeff());
}

void TestExplainer::rejectsBadInput()
{
    Mat w(1, 3);
    w << 1, 2, 3;
    auto model = linearModel(w, 0);
    QVERIFY_THROWS_EXCEPTION(ShapeError, Explainer(*model, LossKind::Mse, 1, Mat::Zero(2, 2), Mat()));
    QVERIFY_THROWS_EXCEPTION(ShapeError, Explainer(*model, LossKind::Mse, 2, Mat::Zero(2, 3), Mat()));
    ModelConfig c{1, 4, AttentionKind::Luong, 4, 0.0, 1};
    c.steps = 3;
    Rng rng(1);
    auto seq = makeModel(c, rng, 1);
    QVERIFY_THROWS_EXCEPTION(ShapeError, Explainer(*seq, LossKind::Mse, 3, Mat::Zero(7, 1), Mat()));
    QVERIFY_THROWS_EXCEPTION(ShapeError, Explainer(*seq, LossKind::Mse, 3, Mat::Zero(6, 1), Mat::Ones(2, 2)));
}

QTEST_APPLESS_MAIN(TestExplainer)
#include "tst_explainer.moc"
