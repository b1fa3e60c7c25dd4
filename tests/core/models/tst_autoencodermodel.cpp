// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of AutoencoderModel (the dense autoencoder with attention): a forward pass by hand
// (tied decoder, both normalisations, the attention carried back to the inputs), a
// double-precision whole-model gradient check through the reconstruction MSE over a table of
// sizes and both placements, PyTorch-style names, bad configs and shapes, and no allocation in a
// training step.
#include "core/models/autoencodermodel.h"
#include "core/train/loss.h"
#include "tests/allocationcounter.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestAutoencoderModel : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void attentionCarriedToInputs();
    void gradients_data();
    void gradients();
    void attentionNoiseOnlyInTraining();
    void parameterNames();
    void rejectsBadConfigs();
    void trainingStepDoesNotAllocate();
};

namespace {

ModelConfig autoencoderConfig(int F, int H1, int H2, AttentionKind kind, bool onInputs)
{
    ModelConfig c;
    c.architecture = ModelArchitecture::Autoencoder;
    c.attention = kind;
    c.inputs = F;
    c.outputs = F;
    c.hidden = H1;
    c.codeUnits = H2;
    c.attentionOnInputs = onInputs;
    c.inputDropout = 0.2;
    c.dropout = 0.5;
    return c;
}

Mat &param(Model &m, const std::string &name)
{
    for (const ParamRef &p : m.params())
        if (p.name == name)
            return *p.value;
    throw std::runtime_error("no parameter " + name);
}

} // namespace

void TestAutoencoderModel::forwardByHand()
{
    // F = H1 = H2 = 2, no attention. x = [1, 3], W1 = I, b1 = 0: r1 = [1, 3]; MVN: mu 2, var 1,
    // n1 = [-s, s], s = 1/sqrt(1 + 1e-5). W2 = [[1, 0], [0, 2]], b2 = 0: relu([-s, 2s]) = [0, 2s];
    // MVN: mu s, var s^2, n2 = [-t, t], t = s / sqrt(s^2 + 1e-5). Decoder 2 (W2 transposed):
    // n2 W2 = [-t, 2t], + c2 [0.5, 0], relu: [0, 2t] (t ~ 1). Decoder 1: [0, 2t] W1 + c1 [1, -1] = [1, 2t - 1].
    Rng rng(1);
    AutoencoderModel m(autoencoderConfig(2, 2, 2, AttentionKind::None, false), rng, 0);
    m.resize(1, 1);
    param(m, "encoder1.weight") << 1, 0, 0, 1;
    param(m, "encoder2.weight") << 1, 0, 0, 2;
    param(m, "decoder2.bias") << 0.5, 0;
    param(m, "decoder1.bias") << 1, -1;
    Mat x(1, 2);
    x << 1, 3;
    const Mat out = m.forward(x, false);
    const double s = 1.0 / std::sqrt(1.0 + 1e-5), t = s / std::sqrt(s * s + 1e-5);
    QVERIFY(std::abs(out(0, 0) - 1.0) < 1e-12);
    QVERIFY(std::abs(out(0, 1) - (2 * t - 1)) < 1e-12);
    QVERIFY(m.attentionWeights().size() == 0);
    QVERIFY(m.hiddenAttention().size() == 0);
}

void TestAutoencoderModel::attentionCarriedToInputs()
{
    // After the first layer: W1 = [[1, 3], [2, 2]] gives the hidden units' input shares
    // [0.25, 0.75] and [0.5, 0.5]. W_a = 0, b_a = [ln 3, 0]: a = [0.75, 0.25] whatever r1, so
    // the input attention is 0.75 [0.25, 0.75] + 0.25 [0.5, 0.5] = [0.3125, 0.6875].
    Rng rng(2);
    AutoencoderModel m(autoencoderConfig(2, 2, 2, AttentionKind::Feature, false), rng, 0);
    m.resize(1, 3);
    param(m, "encoder1.weight") << 1, 3, 2, 2;
    param(m, "attention.weight").setZero();
    param(m, "attention.bias") << std::log(3.0), 0;
    const Mat x = randomMat(3, 2, rng);
    m.forward(x, false);
    QCOMPARE(m.hiddenAttention().rows(), Eigen::Index(3));
    QCOMPARE(m.hiddenAttention().cols(), Eigen::Index(2));
    QVERIFY(std::abs(m.hiddenAttention()(1, 0) - 0.75) < 1e-12);
    const Mat &e = m.attentionWeights(); // (B, F)
    QCOMPARE(e.cols(), Eigen::Index(2));
    for (Eigen::Index r = 0; r < 3; ++r) {
        QVERIFY(std::abs(e(r, 0) - 0.3125) < 1e-12);
        QVERIFY(std::abs(e(r, 1) - 0.6875) < 1e-12);
    }
    QVERIFY_THROWS_EXCEPTION(ConfigError, m.setAttentionOverride(e));

    // On the inputs, the weights are the softmax over the F inputs themselves: rows sum to 1.
    AutoencoderModel in(autoencoderConfig(5, 4, 3, AttentionKind::Feature, true), rng, 0);
    in.resize(1, 3);
    in.forward(randomMat(3, 5, rng), false);
    QCOMPARE(in.attentionWeights().cols(), Eigen::Index(5));
    QVERIFY(in.hiddenAttention().size() == 0);
    for (Eigen::Index r = 0; r < 3; ++r)
        QVERIFY(std::abs(in.attentionWeights().row(r).sum() - 1.0) < 1e-12);
}

void TestAutoencoderModel::gradients_data()
{
    QTest::addColumn<int>("features");
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("batch");
    QTest::addColumn<QString>("attention"); // none, hidden, inputs
    // Widths of at least 5: a normalisation over two units (or over one live ReLU unit) has a
    // constant output, and nothing behind it would get a gradient to check.
    QTest::newRow("F3 H6 C5 B2 none") << 3 << 6 << 5 << 2 << "none";
    QTest::newRow("F3 H6 C5 B2 after the first layer") << 3 << 6 << 5 << 2 << "hidden";
    QTest::newRow("F3 H6 C5 B2 on the inputs") << 3 << 6 << 5 << 2 << "inputs";
    QTest::newRow("F6 H5 C6 B4 after the first layer") << 6 << 5 << 6 << 4 << "hidden";
    QTest::newRow("F6 H5 C6 B4 on the inputs") << 6 << 5 << 6 << 4 << "inputs";
    QTest::newRow("F2 H9 C7 B3 on the inputs") << 2 << 9 << 7 << 3 << "inputs";
}

void TestAutoencoderModel::gradients()
{
    QFETCH(int, features);
    QFETCH(int, first);
    QFETCH(int, code);
    QFETCH(int, batch);
    QFETCH(QString, attention);
    const ModelConfig cfg = autoencoderConfig(
        features, first, code, attention == "none" ? AttentionKind::None : AttentionKind::Feature,
        attention == "inputs");
    Rng rng(31);
    std::unique_ptr<Model> model = makeModel(cfg, rng, 5);
    QVERIFY(dynamic_cast<AutoencoderModel *>(model.get()) != nullptr);
    model->resize(1, batch);
    for (const ParamRef &p : model->params())
        *p.value = randomMat(p.value->rows(), p.value->cols(), rng, 0.5);
    Mat x = randomMat(batch, features, rng), dPred(batch, features);
    const Mat y = x; // the reconstruction target is the input
    // Evaluation mode (dropout is the identity): the masks of a training forward would be
    // redrawn by every finite-difference evaluation.
    const auto f = [&] { return lossValue(LossKind::Mse, model->forward(x, false), y); };
    model->zeroGrad();
    lossWithGradient(LossKind::Mse, model->forward(x, false), y, dPred);
    model->backward(x, dPred);
    // Five-point differences: behind two normalisations some gradients are ~1e-5 of the loss
    // (as in tst_transformermodel); h = 1e-4 keeps the stencil off the ReLUs' kinks.
    for (const ParamRef &p : model->params()) {
        const double err = relativeError(*p.grad, numericGradient5(*p.value, f, 1e-4));
        QVERIFY2(err < 1e-6, (p.name + " relative error " + std::to_string(err)).c_str());
        QVERIFY2(p.grad->norm() > 0, (p.name + " has no gradient").c_str());
    }
    const Mat dx = model->inputGradient();
    const double err = relativeError(dx, numericGradient5(x, f, 1e-4));
    QVERIFY2(err < 1e-6, ("input relative error " + std::to_string(err)).c_str());
}

void TestAutoencoderModel::attentionNoiseOnlyInTraining()
{
    for (bool onInputs : {false, true}) {
        ModelConfig c = autoencoderConfig(6, 5, 3, AttentionKind::Feature, onInputs);
        c.inputDropout = 0.0;
        c.dropout = 0.0;
        Rng rng(8);
        AutoencoderModel quiet(c, rng, 1);
        quiet.resize(1, 4);
        const Mat x = randomMat(4, 6, rng);
        const Mat eval = quiet.forward(x, false);
        QVERIFY((quiet.forward(x, true) - eval).cwiseAbs().maxCoeff() == 0.0); // no noise, no dropout
        c.attentionNoise = 2.0;
        Rng same(8);
        AutoencoderModel noisy(c, same, 1);
        noisy.resize(1, 4);
        QVERIFY((noisy.forward(x, false) - eval).cwiseAbs().maxCoeff() == 0.0); // evaluation: none
        QVERIFY((noisy.forward(x, true) - eval).cwiseAbs().maxCoeff() > 1e-3);
    }
    ModelConfig bad = autoencoderConfig(6, 5, 3, AttentionKind::Feature, true);
    bad.attentionNoise = -1.0;
    Rng rng(9);
    QVERIFY_THROWS_EXCEPTION(ConfigError, AutoencoderModel(bad, rng, 0));
}

void TestAutoencoderModel::parameterNames()
{
    Rng rng(4);
    AutoencoderModel m(autoencoderConfig(32, 256, 128, AttentionKind::Feature, false), rng, 0);
    std::vector<std::string> names;
    for (const ParamRef &p : m.params())
        names.push_back(p.name);
    const std::vector<std::string> expected{"attention.weight", "attention.bias", "encoder1.weight",
                                            "encoder1.bias",    "encoder2.weight", "encoder2.bias",
                                            "decoder2.bias",    "decoder1.bias"};
    QVERIFY(names == expected);
    QCOMPARE(param(m, "attention.weight").rows(), Eigen::Index(256)); // after the first layer
    QCOMPARE(param(m, "encoder1.weight").rows(), Eigen::Index(256));
    QCOMPARE(param(m, "encoder1.weight").cols(), Eigen::Index(32));
    QCOMPARE(param(m, "decoder1.bias").cols(), Eigen::Index(32));
    // 256*32 + 256 (attention) + 32*256 + 256 + 128*256 + 128 + 256 + 32.
    QCOMPARE(m.parameterCount(), 256LL * 256 + 256 + 32 * 256 + 256 + 128 * 256 + 128 + 256 + 32);
    AutoencoderModel in(autoencoderConfig(32, 256, 128, AttentionKind::Feature, true), rng, 0);
    QCOMPARE(param(in, "attention.weight").rows(), Eigen::Index(32));
}

void TestAutoencoderModel::rejectsBadConfigs()
{
    Rng rng(6);
    ModelConfig c = autoencoderConfig(4, 5, 3, AttentionKind::Feature, false);
    ModelConfig luong = c;
    luong.attention = AttentionKind::Luong;
    QVERIFY_THROWS_EXCEPTION(ConfigError, AutoencoderModel(luong, rng, 0));
    ModelConfig outputs = c;
    outputs.outputs = 1;
    QVERIFY_THROWS_EXCEPTION(ConfigError, AutoencoderModel(outputs, rng, 0));
    ModelConfig sequence = c;
    sequence.architecture = ModelArchitecture::Sequence;
    QVERIFY_THROWS_EXCEPTION(ConfigError, AutoencoderModel(sequence, rng, 0));
    ModelConfig noCode = c;
    noCode.codeUnits = 0;
    QVERIFY_THROWS_EXCEPTION(ConfigError, makeModel(noCode, rng, 0));
    ModelConfig badDropout = c;
    badDropout.dropout = 1.0;
    QVERIFY_THROWS_EXCEPTION(ConfigError, AutoencoderModel(badDropout, rng, 0));
    AutoencoderModel m(c, rng, 0);
    QVERIFY_THROWS_EXCEPTION(ShapeError, m.resize(2, 3)); // T must be 1
    QVERIFY_THROWS_EXCEPTION(ShapeError, m.resize(1, 0));
    m.resize(1, 3);
    QCOMPARE(errorOf([&] { m.forward(Mat(3, 5), false); }),
             std::string("AutoencoderModel::forward x: expected 3x4, got 3x5"));
    m.forward(Mat::Zero(3, 4), false);
    QVERIFY_THROWS_EXCEPTION(ShapeError, m.backward(Mat(3, 4), Mat(3, 2)));
}

void TestAutoencoderModel::trainingStepDoesNotAllocate()
{
    for (bool onInputs : {false, true}) {
        const ModelConfig cfg = autoencoderConfig(32, 256, 128, AttentionKind::Feature, onInputs);
        Rng rng(5);
        std::unique_ptr<Model> model = makeModel(cfg, rng, 1);
        model->resize(1, 64);
        const Mat x = randomMat(64, 32, rng);
        Mat dPred(64, 32);
        const auto step = [&] {
            model->zeroGrad();
            lossWithGradient(LossKind::Mse, model->forward(x, true), x, dPred);
            model->backward(x, dPred);
        };
        step();
        verifyNoAllocation(step);
    }
}

QTEST_APPLESS_MAIN(TestAutoencoderModel)
#include "tst_autoencodermodel.moc"
