// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of counterfactual attention (core/explain/counterfactual.h) on a constructed feature
// model whose attention is one-hot: the output changes under permuted and uniform weights
// computed by hand, for regression and classification (total variation, decision flips).
#include "core/explain/counterfactual.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

namespace {

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// Feature attention -> Dense(3, identity) -> Dense(1, weights 1): out = sum_f x_f a_f, with
// a = softmax(x 0 + (50, 0, 0)) = (1, e^-50, e^-50) / (1 + 2 e^-50): one-hot on feature 0 to
// double precision (the other weights are 2e-22).
std::unique_ptr<Model> oneHotModel()
{
    ModelConfig c{3, 4, AttentionKind::Feature, 4, 0.0, 1};
    c.architecture = ModelArchitecture::Feature;
    c.denseUnits = 3;
    Rng rng(1);
    std::unique_ptr<Model> m = makeModel(c, rng, 1);
    for (const ParamRef &p : m->params()) {
        if (p.name == "attention.bias")
            *p.value = (Mat(1, 3) << 50, 0, 0).finished();
        else if (p.name == "hidden.weight")
            *p.value = Mat::Identity(3, 3);
        else if (p.name == "dense.weight")
            p.value->setOnes();
        else
            p.value->setZero();
    }
    return m;
}

// Row 0: x = (1, 3, 3), out = 1; the one moved to feature 1 or 2 gives 3, uniform 7/3.
// Row 1: x = (-2, 2, 2), out = -2; moved: 2, uniform 2/3.
Mat inputs()
{
    return (Mat(2, 3) << 1, 3, 3, /**/ -2, 2, 2).finished();
}

} // namespace

class TestCounterfactual : public QObject {
    Q_OBJECT
private slots:
    void regressionByHand();
    void classificationByHand();
    void medianOfValues();
    void baselineRefused();
};

void TestCounterfactual::regressionByHand()
{
    auto model = oneHotModel();
    Explainer e(*model, LossKind::Mse, 1, inputs(), Mat());
    QCOMPARE(e.attention()(0, 0), 1.0);
    QVERIFY(std::abs(e.output()(0, 0) - 1) < 1e-15 && std::abs(e.output()(1, 0) + 2) < 1e-15);
    // A permutation keeps the one on feature 0 with probability 1/3 (change 0) and moves it
    // to feature 1 or 2 otherwise (change 2 in row 0, 4 in row 1): over 101 draws the median
    // of each row is the moved change.
    Rng rng(5);
    const CounterfactualChange permuted = permutedAttentionChange(e, 101, rng);
    QVERIFY(std::abs(permuted.change(0, 0) - 2) < 1e-12);
    QVERIFY(std::abs(permuted.change(1, 0) - 4) < 1e-12);
    QVERIFY(std::abs(permuted.medianChange - 3) < 1e-12); // the median of (2, 4)
    QVERIFY(!permuted.flipShare);
    // Uniform: |7/3 - 1| = 4/3 and |2/3 + 2| = 8/3, median 2.
    const CounterfactualChange uniform = uniformAttentionChange(e);
    QVERIFY(std::abs(uniform.change(0, 0) - 4.0 / 3) < 1e-12);
    QVERIFY(std::abs(uniform.change(1, 0) - 8.0 / 3) < 1e-12);
    QVERIFY(std::abs(uniform.medianChange - 2) < 1e-12);
    // The model's own attention is back after the counterfactuals.
    model->forward(inputs(), false);
    QCOMPARE(model->attentionWeights()(0, 0), 1.0);
}

void TestCounterfactual::classificationByHand()
{
    // The same outputs read as logits: the change is |sigmoid(z') - sigmoid(z)|; row 0 (z = 1)
    // never flips, row 1 (z = -2) flips whenever the one moves (z' = 2) and under uniform
    // weights (z' = 2/3).
    auto model = oneHotModel();
    Explainer e(*model, LossKind::BinaryCrossEntropy, 1, inputs(), Mat());
    Rng rng(5);
    const CounterfactualChange permuted = permutedAttentionChange(e, 101, rng);
    const double row0 = sigmoid(3) - sigmoid(1), row1 = sigmoid(2) - sigmoid(-2);
    QVERIFY(std::abs(permuted.change(0, 0) - row0) < 1e-12);
    QVERIFY(std::abs(permuted.change(1, 0) - row1) < 1e-12);
    QVERIFY(std::abs(permuted.medianChange - (row0 + row1) / 2) < 1e-12);
    // Row 1 flips in the draws that move the one (2/3 of them, in expectation): the share over
    // both rows is about 1/3, and more than the draws of row 1 that keep it cannot reach.
    QVERIFY(permuted.flipShare);
    qInfo("permutation flip share %g (expected about 1/3)", *permuted.flipShare);
    QVERIFY(*permuted.flipShare > 0.2 && *permuted.flipShare < 0.5);
    const CounterfactualChange uniform = uniformAttentionChange(e);
    QVERIFY(std::abs(uniform.change(0, 0) - (sigmoid(7.0 / 3) - sigmoid(1))) < 1e-12);
    QVERIFY(std::abs(uniform.change(1, 0) - (sigmoid(2.0 / 3) - sigmoid(-2))) < 1e-12);
    QVERIFY(uniform.flipShare && std::abs(*uniform.flipShare - 0.5) < 1e-12);
}

void TestCounterfactual::medianOfValues()
{
    QCOMPARE(median({}), 0.0);
    QCOMPARE(median({3}), 3.0);
    QCOMPARE(median({5, 1, 3}), 3.0);
    QCOMPARE(median({4, 1, 3, 2}), 2.5);
}

void TestCounterfactual::baselineRefused()
{
    ModelConfig c{3, 4, AttentionKind::None, 4, 0.0, 1};
    c.architecture = ModelArchitecture::Feature;
    c.baselineUnits = 0;
    Rng rng(1);
    auto model = makeModel(c, rng, 1);
    Explainer e(*model, LossKind::Mse, 1, inputs(), Mat());
    QVERIFY_THROWS_EXCEPTION(ConfigError, permutedAttentionChange(e, 3, rng));
    QVERIFY_THROWS_EXCEPTION(ConfigError, uniformAttentionChange(e));
    auto attending = oneHotModel();
    Explainer f(*attending, LossKind::Mse, 1, inputs(), Mat());
    QVERIFY_THROWS_EXCEPTION(ConfigError, permutedAttentionChange(f, 0, rng));
}

QTEST_APPLESS_MAIN(TestCounterfactual)
#include "tst_counterfactual.moc"
