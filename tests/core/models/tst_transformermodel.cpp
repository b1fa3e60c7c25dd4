// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of TransformerModel (the "transformer" mechanism): a double-precision whole-model
// finite-difference gradient check (number and token inputs, post/pre-norm, padding mask) through
// the loss functions, the pooling weights as the model's (B, T) attention with padding exactly 0,
// every layer's and head's map, PyTorch names, bad configs, and no allocation in a training step.
#include "core/models/modellimits.h"
#include "core/models/transformermodel.h"
#include "core/train/loss.h"
#include "tests/allocationcounter.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestTransformerModel : public QObject {
    Q_OBJECT
private slots:
    void gradients_data();
    void gradients();
    void attentionAndHeadMaps();
    void parameterNames();
    void rejectsBadConfigs();
    void trainingStepDoesNotAllocate();
};

namespace {

ModelConfig transformerConfig(int width, int heads, int layers, bool pre, int vocabulary)
{
    ModelConfig c;
    c.attention = AttentionKind::Transformer;
    c.inputs = vocabulary > 0 ? 1 : 2;
    c.outputs = 2;
    c.modelWidth = width;
    c.heads = heads;
    c.encoderLayers = layers;
    c.feedForwardUnits = 5;
    c.preNorm = pre;
    c.vocabulary = vocabulary;
    return c;
}

} // namespace

void TestTransformerModel::gradients_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("heads");
    QTest::addColumn<int>("layers");
    QTest::addColumn<bool>("preNorm");
    QTest::addColumn<int>("vocabulary");
    QTest::addColumn<bool>("masked");
    QTest::newRow("D4 K2 N2 post numbers") << 4 << 2 << 2 << false << 0 << false;
    QTest::newRow("D4 K1 N1 pre numbers") << 4 << 1 << 1 << true << 0 << false;
    QTest::newRow("D6 K3 N2 post tokens masked") << 6 << 3 << 2 << false << 7 << true;
    QTest::newRow("D4 K2 N3 pre tokens masked") << 4 << 2 << 3 << true << 5 << true;
}

void TestTransformerModel::gradients()
{
    QFETCH(int, width);
    QFETCH(int, heads);
    QFETCH(int, layers);
    QFETCH(bool, preNorm);
    QFETCH(int, vocabulary);
    QFETCH(bool, masked);
    const ModelConfig cfg = transformerConfig(width, heads, layers, preNorm, vocabulary);
    const int T = 4, B = 3;
    Rng rng(21);
    std::unique_ptr<Model> model = makeModel(cfg, rng, 99);
    QVERIFY(dynamic_cast<TransformerModel *>(model.get()) != nullptr);
    model->resize(T, B);
    for (const ParamRef &p : model->params())
        *p.value = randomMat(p.value->rows(), p.value->cols(), rng, 0.5);
    Mat x = randomMat(T * B, cfg.inputs, rng), y = randomMat(B, 2, rng), dPred(B, 2);
    if (vocabulary > 0)
        for (Eigen::Index r = 0; r < x.rows(); ++r)
            x(r, 0) = Scalar(1 + rng.below(std::uint64_t(vocabulary)));
    if (masked)
        model->setPaddingMask(mixedPaddingMask(T, B));
    const auto f = [&] { return lossValue(LossKind::Mse, model->forward(x, false), y); };
    model->zeroGrad();
    lossWithGradient(LossKind::Mse, model->forward(x, false), y, dPred);
    model->backward(x, dPred);
    // Five-point differences: after two LayerNorms the pooling query's gradient is ~1e-5, where
    // central differences' rounding (h = 1e-5) or truncation (h = 1e-4) error is already 1e-6 of
    // it, depending on the build's floating-point order; the O(h^4) stencil at h = 1e-3 is not.
    for (const ParamRef &p : model->params()) {
        const double err = relativeError(*p.grad, numericGradient5(*p.value, f));
        QVERIFY2(err < 1e-6, (p.name + " relative error " + std::to_string(err)).c_str());
    }
    if (vocabulary == 0) { // the input gradient (the attributions of core/explain read it)
        const Mat dx = model->inputGradient();
        const double err = relativeError(dx, numericGradient5(x, f));
        QVERIFY2(err < 1e-6, ("input relative error " + std::to_string(err)).c_str());
    }
}

void TestTransformerModel::attentionAndHeadMaps()
{
    const ModelConfig cfg = transformerConfig(8, 2, 3, false, 9);
    const int T = 6, B = 4;
    Rng rng(3);
    std::unique_ptr<Model> model = makeModel(cfg, rng, 1);
    model->resize(T, B);
    Mat x(T * B, 1);
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        x(r, 0) = Scalar(1 + rng.below(9));
    const Mat mask = mixedPaddingMask(T, B);
    model->setPaddingMask(mask);
    model->forward(x, false);
    const Mat &a = model->attentionWeights();
    QCOMPARE(a.rows(), Eigen::Index(B));
    QCOMPARE(a.cols(), Eigen::Index(T));
    for (int b = 0; b < B; ++b) {
        QVERIFY(std::abs(a.row(b).sum() - 1.0) < 1e-12);
        for (int t = 0; t < T; ++t)
            if (mask(b, t) == 0)
                QCOMPARE(a(b, t), 0.0); // exactly
    }
    QCOMPARE(model->attentionLayers(), 3);
    QCOMPARE(model->attentionHeads(), 6); // N K, layer-major
    Mat map(T, T);
    for (int h = 0; h < 6; ++h) {
        model->attentionHeadMap(1, h, map);
        for (int t = 0; t < T; ++t) {
            QVERIFY(std::abs(map.row(t).sum() - 1.0) < 1e-12);
            QCOMPARE(map(t, 0), 0.0); // row 1 is pre-padded: step 0 is padding
        }
    }
    QVERIFY_THROWS_EXCEPTION(ShapeError, model->attentionHeadMap(0, 6, map));
}

void TestTransformerModel::parameterNames()
{
    Rng rng(1);
    ModelConfig cfg = transformerConfig(4, 2, 2, true, 0);
    std::unique_ptr<Model> model = makeModel(cfg, rng, 1);
    std::vector<std::string> names;
    for (const ParamRef &p : model->params())
        names.push_back(p.name);
    QCOMPARE(names.front(), std::string("input_projection.weight"));
    QCOMPARE(names[2], std::string("encoder.layers.0.self_attn.in_proj_weight"));
    QCOMPARE(names[14], std::string("encoder.layers.1.self_attn.in_proj_weight"));
    QCOMPARE(names[26], std::string("encoder.norm.weight"));
    QCOMPARE(names[28], std::string("pooling.query"));
    QCOMPARE(names.back(), std::string("dense.bias"));
    QCOMPARE(int(names.size()), 31);
    cfg.vocabulary = 10;
    cfg.inputs = 1;
    cfg.preNorm = false;
    model = makeModel(cfg, rng, 1);
    QCOMPARE(model->params().front().name, std::string("embedding.weight"));
    QCOMPARE(int(model->params().size()), 2 * 12 + 1 + 1 + 2);
    QVERIFY(model->parameterCount() <= estimateModelSize(cfg).parameters);
}

void TestTransformerModel::rejectsBadConfigs()
{
    Rng rng(1);
    ModelConfig cfg = transformerConfig(6, 4, 2, false, 0);
    QVERIFY_THROWS_EXCEPTION(ConfigError, makeModel(cfg, rng, 1)); // K does not divide D
    cfg = transformerConfig(4, 2, 0, false, 0);
    QVERIFY_THROWS_EXCEPTION(ConfigError, makeModel(cfg, rng, 1));
    cfg = transformerConfig(4, 2, 2, false, 0);
    cfg.encoderDropout = 1.0;
    QVERIFY_THROWS_EXCEPTION(ConfigError, makeModel(cfg, rng, 1));
    cfg = transformerConfig(4, 2, 2, false, 5);
    cfg.inputs = 2;
    QVERIFY_THROWS_EXCEPTION(ConfigError, makeModel(cfg, rng, 1));
    cfg = transformerConfig(4, 2, 2, false, 0);
    std::unique_ptr<Model> model = makeModel(cfg, rng, 1);
    Mat x(8, 2);
    QVERIFY_THROWS_EXCEPTION(ShapeError, model->forward(x, false)); // before resize
    model->resize(4, 2);
    Mat bad(8, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, model->forward(bad, false));
}

void TestTransformerModel::trainingStepDoesNotAllocate()
{
    for (bool pre : {false, true}) {
        ModelConfig cfg = transformerConfig(32, 4, 2, pre, 50);
        cfg.encoderDropout = 0.1;
        cfg.dropout = 0.1;
        Rng rng(5);
        std::unique_ptr<Model> model = makeModel(cfg, rng, 1);
        model->resize(10, 64);
        Mat x(640, 1), y = randomMat(64, 2, rng), dPred(64, 2);
        for (Eigen::Index r = 0; r < x.rows(); ++r)
            x(r, 0) = Scalar(1 + rng.below(50));
        model->setPaddingMask(mixedPaddingMask(10, 64));
        const auto step = [&] {
            model->zeroGrad();
            lossWithGradient(LossKind::Mse, model->forward(x, true), y, dPred);
            model->backward(x, dPred);
        };
        step();
        verifyNoAllocation(step);
    }
}

QTEST_APPLESS_MAIN(TestTransformerModel)
#include "tst_transformermodel.moc"
