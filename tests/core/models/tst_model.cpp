// SPDX-License-Identifier: GPL-3.0-or-later
// Whole-model tests in double precision (makeModel, SequenceModel, FeatureModel): finite-
// difference gradient check of [Embedding ->] LSTM/GRU -> attention (or the no-attention
// baseline) -> dropout -> dense, and of the feature model, through the loss for every attention
// kind; parameter names; the plain baseline; config rejection. The baseline's width rule:
// tst_baselinewidth.
#include "core/data/task.h"
#include "core/models/featuremodel.h"
#include "core/models/sequencemodel.h"
#include "core/train/loss.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

namespace {

// The model variants of the gradient check: T = 4 steps, B = 3, F = 2, H = 5 (6 for two heads),
// U = 6, O = 2, dropout 0.2 (the identity in evaluation mode).
ModelConfig variantConfig(const std::string &variant)
{
    ModelConfig c{2, 5, AttentionKind::Luong, 6, 0.2, 2};
    c.steps = 4;
    if (auto kind = attentionKindFromString(variant)) {
        c.attention = *kind;
    } else if (variant == "self K2 causal window 2") {
        c.attention = AttentionKind::SelfAttention;
        c.hidden = 6;
        c.heads = 2;
        c.causal = true;
        c.window = 2;
    } else if (variant == "none W0") {
        c.attention = AttentionKind::None;
        c.baselineUnits = 0;
    } else if (variant == "none W3") {
        c.attention = AttentionKind::None;
        c.baselineUnits = 3;
    } else if (variant == "gru bahdanau") {
        c.cell = RecurrentCell::Gru;
        c.attention = AttentionKind::Bahdanau;
    } else if (variant == "tokens feed-forward") {
        c.inputs = 1;
        c.vocabulary = 7;
        c.embeddingDim = 3;
        c.attention = AttentionKind::FeedForward;
    } else if (variant == "tokens plain dropouts") {
        // The published sentiment recipe's dropouts, plus embedding dropout (keras-imdb).
        c.inputs = 1;
        c.vocabulary = 7;
        c.embeddingDim = 3;
        c.attention = AttentionKind::Plain;
        c.embeddingDropout = 0.5;
        c.inputDropout = 0.3;
        c.recurrentDropout = 0.2;
    } else if (variant == "tokens feed-forward dropouts") {
        c.inputs = 1;
        c.vocabulary = 7;
        c.embeddingDim = 3;
        c.attention = AttentionKind::FeedForward;
        c.normalAttentionInit = true;
        c.embeddingDropout = 0.5;
        c.inputDropout = 0.3;
        c.recurrentDropout = 0.2;
    } else if (variant == "tokens gru none") {
        c.inputs = 1;
        c.vocabulary = 7;
        c.embeddingDim = 3;
        c.cell = RecurrentCell::Gru;
        c.attention = AttentionKind::None;
        c.baselineUnits = 4;
    } else if (variant == "feature model") {
        c.architecture = ModelArchitecture::Feature;
        c.attention = AttentionKind::Feature;
        c.inputs = 6;
        c.denseUnits = 4;
    } else if (variant == "feature model none W3") {
        c.architecture = ModelArchitecture::Feature;
        c.attention = AttentionKind::None;
        c.inputs = 6;
        c.denseUnits = 4;
        c.baselineUnits = 3;
    } else {
        throw std::invalid_argument("unknown variant " + variant);
    }
    return c;
}

} // namespace

class TestModel : public QObject {
    Q_OBJECT
private slots:
    void modelGradients_data();
    void modelGradients();
    void inputGradients_data();
    void inputGradients();
    void attentionOverride_data();
    void attentionOverride();
    void parameterNames();
    void trainingGradientsWithDropouts_data();
    void trainingGradientsWithDropouts();
    void plainIsTheLastStateIntoDense();
    void rejectsBadConfigs();
};

void TestModel::modelGradients_data()
{
    QTest::addColumn<QString>("variant");
    QTest::addColumn<int>("loss");
    for (const char *a : {"luong", "luong-dot", "bahdanau", "feed-forward", "local", "self",
                          "self K2 causal window 2", "none W0", "none W3", "plain", "gru bahdanau",
                          "tokens feed-forward", "tokens gru none", "feature model",
                          "feature model none W3"}) {
        QTest::newRow((std::string(a) + " mse").c_str()) << a << int(LossKind::Mse);
        QTest::newRow((std::string(a) + " bce").c_str()) << a << int(LossKind::BinaryCrossEntropy);
    }
}

void TestModel::modelGradients()
{
    QFETCH(QString, variant);
    QFETCH(int, loss);
    const ModelConfig cfg = variantConfig(variant.toStdString());
    const bool featureModel = cfg.architecture == ModelArchitecture::Feature;
    const int T = featureModel ? 1 : 4, B = 3;
    Rng rng(21);
    std::unique_ptr<Model> model = makeModel(cfg, rng, 99);
    model->resize(T, B);
    // Larger weights than the Keras init (embedding U(-0.05, 0.05) gives tiny hidden states and
    // gradients of 1e-5, where the finite differences' rounding error dominates the comparison).
    for (const ParamRef &p : model->params())
        *p.value = randomMat(p.value->rows(), p.value->cols(), rng, 0.5);
    Mat x = randomMat(T * B, cfg.inputs, rng), y = randomMat(B, 2, rng), dPred(B, 2);
    if (cfg.vocabulary > 0) // token ids, padding (0) included
        for (Eigen::Index r = 0; r < x.rows(); ++r)
            x(r, 0) = Scalar(rng.below(std::uint64_t(cfg.vocabulary) + 1));
    if (LossKind(loss) == LossKind::BinaryCrossEntropy)
        y = (y.array() > 0).cast<Scalar>();
    // Evaluation mode (dropout is the identity) so every forward pass is the same function.
    auto f = [&] { return lossValue(LossKind(loss), model->forward(x, false), y); };
    model->zeroGrad();
    lossWithGradient(LossKind(loss), model->forward(x, false), y, dPred);
    model->backward(x, dPred);
    const std::vector<ParamRef> ps = model->params();
    QVERIFY(ps.size() >= 3);
    for (const ParamRef &p : ps) {
        // h = 1e-5: the self-attention projections' gradients are ~1e-4, where the rounding
        // error of h = 1e-6 (~1e-10 / h) would already be 1e-6 of them.
        const double err = relativeError(*p.grad, numericGradient(*p.value, f, 1e-5));
        QVERIFY2(err < 1e-6, (p.name + " relative error " + std::to_string(err)).c_str());
        QVERIFY2(p.grad->cwiseAbs().maxCoeff() > 0, (p.name + " has no gradient").c_str());
    }
    if (isBaseline(cfg.attention)) {
        QCOMPARE(model->attentionWeights().size(), Eigen::Index(0));
    } else {
        QCOMPARE(model->attentionWeights().rows(), Eigen::Index(B));
        QCOMPARE(model->attentionWeights().cols(), Eigen::Index(featureModel ? cfg.inputs : T));
    }
}

void TestModel::inputGradients_data()
{
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("cell");
    QTest::addColumn<bool>("masked");
    for (const char *a : {"luong", "luong-dot", "bahdanau", "feed-forward", "local", "self",
                          "self K2 causal window 2", "none W0", "none W3", "plain",
                          "tokens feed-forward", "tokens gru none", "tokens plain dropouts"})
        for (const char *cell : {"lstm", "gru"})
            for (bool masked : {false, true})
                QTest::newRow((std::string(a) + " " + cell + (masked ? " masked" : "")).c_str())
                    << a << cell << masked;
    for (const char *a : {"feature model", "feature model none W3", "feature model none W0"})
        QTest::newRow(a) << a << "lstm" << false;
}

void TestModel::inputGradients()
{
    // dL/du (u = x, or the embedding output for token ids) of a weighted sum of the outputs
    // against central differences of forwardEmbedded(u), with and without a padding mask.
    QFETCH(QString, variant);
    QFETCH(QString, cell);
    QFETCH(bool, masked);
    const std::string name = variant.toStdString();
    ModelConfig cfg = variantConfig(name == "feature model none W0" ? "feature model none W3" : name);
    if (name == "feature model none W0")
        cfg.baselineUnits = 0;
    cfg.cell = *recurrentCellFromString(cell.toStdString());
    const bool featureModel = cfg.architecture == ModelArchitecture::Feature;
    const int T = featureModel ? 1 : 4, B = 3;
    Rng rng(5);
    std::unique_ptr<Model> model = makeModel(cfg, rng, 99);
    model->resize(T, B);
    for (const ParamRef &p : model->params())
        *p.value = randomMat(p.value->rows(), p.value->cols(), rng, 0.5);
    Mat x = randomMat(T * B, cfg.inputs, rng);
    if (cfg.vocabulary > 0)
        for (Eigen::Index r = 0; r < x.rows(); ++r)
            x(r, 0) = Scalar(1 + rng.below(std::uint64_t(cfg.vocabulary)));
    if (masked)
        model->setPaddingMask(mixedPaddingMask(T, B));
    const Mat w = randomMat(B, cfg.outputs, rng); // L = sum(out * w), so dL/dout = w
    QCOMPARE(model->inputWidth(), cfg.vocabulary > 0 ? cfg.embeddingDim : cfg.inputs);
    Mat u(T * B, model->inputWidth());
    model->embedInputs(x, u);
    auto f = [&] { return weightedSum(model->forwardEmbedded(u), w); };
    model->zeroGrad();
    const Mat out = model->forward(x, false);
    QVERIFY((model->forwardEmbedded(u) - out).cwiseAbs().maxCoeff() == 0); // same function
    model->forward(x, false);
    model->backward(x, w);
    const Mat fromIds = model->inputGradient();
    QCOMPARE(fromIds.rows(), Eigen::Index(T * B));
    QCOMPARE(fromIds.cols(), Eigen::Index(model->inputWidth()));
    f();
    model->backward(u, w);
    QVERIFY((model->inputGradient() - fromIds).cwiseAbs().maxCoeff() == 0);
    const double err = relativeError(fromIds, numericGradient(u, f, 1e-5));
    QVERIFY2(err < 1e-6, ("input relative error " + std::to_string(err)).c_str());
    QVERIFY(fromIds.cwiseAbs().maxCoeff() > 0);
    if (masked) // masked: a padding step's input reaches nothing (row 1's first step is padding)
        QCOMPARE(fromIds.row(1).cwiseAbs().maxCoeff(), Scalar(0));
}

void TestModel::attentionOverride_data()
{
    QTest::addColumn<QString>("variant");
    QTest::addColumn<bool>("masked");
    for (const char *a : {"luong", "luong-dot", "bahdanau", "feed-forward", "local", "self",
                          "self K2 causal window 2", "feature model"})
        for (bool masked : {false, true})
            if (!masked || std::string(a) != "feature model")
                QTest::newRow((std::string(a) + (masked ? " masked" : "")).c_str()) << a << masked;
}

void TestModel::attentionOverride()
{
    // Overriding the attention with the weights the model computes changes nothing; other
    // weights change the output and are what attentionWeights() reports; clearing restores.
    QFETCH(QString, variant);
    QFETCH(bool, masked);
    const ModelConfig cfg = variantConfig(variant.toStdString());
    const bool featureModel = cfg.architecture == ModelArchitecture::Feature;
    const int T = featureModel ? 1 : 4, B = 3;
    Rng rng(8);
    std::unique_ptr<Model> model = makeModel(cfg, rng, 99);
    model->resize(T, B);
    for (const ParamRef &p : model->params())
        *p.value = randomMat(p.value->rows(), p.value->cols(), rng, 0.5);
    const Mat x = randomMat(T * B, cfg.inputs, rng);
    if (masked)
        model->setPaddingMask(mixedPaddingMask(T, B));
    const Mat out = model->forward(x, false);
    const Mat computed = model->attentionWeights();
    model->setAttentionOverride(computed);
    // Self-attention gives every query the pooled weights (selfattention.h): not its own map.
    if (cfg.attention != AttentionKind::SelfAttention)
        QVERIFY((model->forward(x, false) - out).cwiseAbs().maxCoeff() < 1e-12);
    Mat other = computed;
    for (Eigen::Index r = 0; r < B; ++r) // the weights in reverse order
        other.row(r) = computed.row(r).reverse();
    model->setAttentionOverride(other);
    const Mat changed = model->forward(x, false);
    QCOMPARE(model->attentionWeights(), other);
    QVERIFY((changed - out).cwiseAbs().maxCoeff() > 1e-6);
    QVERIFY_THROWS_EXCEPTION(ConfigError, model->backward(x, changed));
    model->setAttentionOverride(Mat(1, 1)); // the wrong shape: refused by forward
    QVERIFY_THROWS_EXCEPTION(ShapeError, model->forward(x, false));
    model->setAttentionOverride(Mat());
    QVERIFY((model->forward(x, false) - out).cwiseAbs().maxCoeff() == 0);
    QCOMPARE(model->attentionWeights(), computed);
    // The baseline has no attention to override.
    ModelConfig none = cfg;
    none.attention = AttentionKind::None;
    QVERIFY_THROWS_EXCEPTION(ConfigError, makeModel(none, rng, 1)->setAttentionOverride(computed));
}

void TestModel::parameterNames()
{
    auto names = [](const ModelConfig &c) {
        Rng rng(1);
        std::vector<std::string> out;
        for (const ParamRef &p : makeModel(c, rng, 1)->params())
            out.push_back(p.name);
        return out;
    };
    using Names = std::vector<std::string>;
    QCOMPARE(names(variantConfig("tokens gru none")),
             (Names{"embedding.weight", "gru.weight_ih_l0", "gru.weight_hh_l0", "gru.bias_ih_l0",
                    "gru.bias_hh_l0", "baseline.weight", "baseline.bias", "dense.weight", "dense.bias"}));
    QCOMPARE(names(variantConfig("feed-forward")),
             (Names{"lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
                    "attention.weight", "attention.bias", "dense.weight", "dense.bias"}));
    QCOMPARE(names(variantConfig("feature model")),
             (Names{"attention.weight", "attention.bias", "hidden.weight", "hidden.bias",
                    "dense.weight", "dense.bias"}));
    // Feed-forward and self-attention output H: the final Dense takes H inputs.
    Rng rng(1);
    ModelConfig c = variantConfig("self K2 causal window 2");
    SequenceModel self(c, rng, 1);
    QCOMPARE(self.featureWidth(), 6);
    c = variantConfig("feed-forward");
    SequenceModel ff(c, rng, 1);
    QCOMPARE(ff.featureWidth(), 5);
    c = variantConfig("local");
    SequenceModel local(c, rng, 1);
    QCOMPARE(local.featureWidth(), 6);
}

void TestModel::trainingGradientsWithDropouts_data()
{
    QTest::addColumn<QString>("variant");
    QTest::newRow("plain") << "tokens plain dropouts";
    QTest::newRow("feed-forward") << "tokens feed-forward dropouts";
}

void TestModel::trainingGradientsWithDropouts()
{
    // Training mode: the embedding, input, recurrent and output dropout masks enter backward.
    // A model rebuilt with the same dropout seed draws the same masks in its first forward, so
    // the loss of a fresh copy with the perturbed weights is the function the masks define.
    QFETCH(QString, variant);
    ModelConfig cfg = variantConfig(variant.toStdString());
    const int T = 4, B = 3;
    Rng rng(8);
    std::unique_ptr<Model> model = makeModel(cfg, rng, 99);
    model->resize(T, B);
    for (const ParamRef &p : model->params())
        *p.value = randomMat(p.value->rows(), p.value->cols(), rng, 0.5);
    Mat x(T * B, 1);
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        x(r, 0) = Scalar(rng.below(std::uint64_t(cfg.vocabulary) + 1));
    Mat y = (randomMat(B, 2, rng).array() > 0).cast<Scalar>(), dPred(B, 2);
    const std::vector<ParamRef> ps = model->params();
    auto f = [&] {
        Rng scratch(1);
        std::unique_ptr<Model> copy = makeModel(cfg, scratch, 99);
        copy->resize(T, B);
        const std::vector<ParamRef> cs = copy->params();
        for (std::size_t i = 0; i < ps.size(); ++i)
            *cs[i].value = *ps[i].value;
        return lossValue(LossKind::BinaryCrossEntropy, copy->forward(x, true), y);
    };
    model->zeroGrad();
    const Mat pred = model->forward(x, true);
    QVERIFY(std::abs(lossValue(LossKind::BinaryCrossEntropy, pred, y) - f()) == 0); // same masks
    // The masks matter: evaluation gives another output.
    Rng other(1);
    std::unique_ptr<Model> evaluation = makeModel(cfg, other, 99);
    evaluation->resize(T, B);
    for (std::size_t i = 0; i < ps.size(); ++i)
        *evaluation->params()[i].value = *ps[i].value;
    QVERIFY((evaluation->forward(x, false) - pred).cwiseAbs().maxCoeff() > 1e-6);
    lossWithGradient(LossKind::BinaryCrossEntropy, pred, y, dPred);
    model->backward(x, dPred);
    for (const ParamRef &p : ps) {
        const double err = relativeError(*p.grad, numericGradient(*p.value, f, 1e-5));
        QVERIFY2(err < 1e-6, (p.name + " relative error " + std::to_string(err)).c_str());
    }
}

void TestModel::plainIsTheLastStateIntoDense()
{
    // "plain": LSTM -> h_T -> Dense(O), whatever the reference mechanism (the blog's plain
    // LSTM); the same layers as "none" with W = 0, so the same weights give the same outputs.
    ModelConfig plain = variantConfig("plain");
    plain.baselineReference = AttentionKind::Bahdanau; // "none" would add a hidden Dense here
    ModelConfig none = plain;
    none.attention = AttentionKind::None;
    QVERIFY(baselineWidth(none) > 0);
    none.baselineUnits = 0;
    Rng r1(3), r2(3);
    std::unique_ptr<Model> a = makeModel(plain, r1, 5), b = makeModel(none, r2, 5);
    QCOMPARE(a->parameterCount(), b->parameterCount());
    std::vector<std::string> names;
    for (const ParamRef &p : a->params())
        names.push_back(p.name);
    QCOMPARE(names, (std::vector<std::string>{"lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0",
                                              "lstm.bias_hh_l0", "dense.weight", "dense.bias"}));
    QCOMPARE(a->params()[4].value->cols(), Eigen::Index(plain.hidden)); // Dense(H -> O)
    a->resize(4, 3);
    b->resize(4, 3);
    Rng data(4);
    const Mat x = randomMat(12, plain.inputs, data);
    QVERIFY((a->forward(x, false) - b->forward(x, false)).cwiseAbs().maxCoeff() == 0);
    QCOMPARE(a->attentionWeights().size(), Eigen::Index(0));
    QCOMPARE(parameterCount(plain), a->parameterCount());
    QVERIFY_THROWS_EXCEPTION(ConfigError, a->setAttentionOverride(Mat::Ones(3, 4)));
}

void TestModel::rejectsBadConfigs()
{
    Rng rng(1);
    auto message = [&](const ModelConfig &c) {
        try {
            makeModel(c, rng, 1);
        } catch (const ConfigError &e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    ModelConfig c = variantConfig("feed-forward");
    c.steps = 0;
    QCOMPARE(message(c), std::string("SequenceModel: feed-forward attention needs the number of "
                                     "steps T (ModelConfig::steps)"));
    c = variantConfig("luong");
    c.attention = AttentionKind::Feature;
    QCOMPARE(message(c), std::string("SequenceModel: feature attention works on the FeatureModel only"));
    c = variantConfig("feature model");
    c.attention = AttentionKind::Luong;
    QCOMPARE(message(c), std::string("FeatureModel: attention must be feature or none, got luong"));
    c = variantConfig("tokens feed-forward");
    c.inputs = 2;
    QCOMPARE(message(c), std::string("SequenceModel: token inputs need inputs = 1 (one id per "
                                     "step), got 2"));
    c = variantConfig("self");
    c.heads = 2; // H = 5
    QCOMPARE(message(c), std::string("SelfAttention: hidden 5 is not divisible by heads 2"));
    c = variantConfig("luong");
    c.embeddingDropout = 0.5;
    QCOMPARE(message(c), std::string("SequenceModel: embedding dropout needs token inputs (vocabulary > 0)"));
    c = variantConfig("tokens plain dropouts");
    c.embeddingDropout = 1.0;
    QCOMPARE(message(c), std::string("Dropout: rate must be in [0, 1)"));
    c = variantConfig("luong");
    c.recurrentDropout = 1.0;
    QCOMPARE(message(c), std::string("Lstm: recurrent dropout must be in [0, 1)"));
    // A feed-forward model built for T = 4 rejects other lengths.
    c = variantConfig("feed-forward");
    std::unique_ptr<Model> m = makeModel(c, rng, 1);
    QVERIFY_THROWS_EXCEPTION(ShapeError, m->resize(5, 2));
    // The feature model takes one step per sample.
    m = makeModel(variantConfig("feature model"), rng, 1);
    QVERIFY_THROWS_EXCEPTION(ShapeError, m->resize(2, 3));
    Mat map(1, 1);
    QVERIFY_THROWS_EXCEPTION(ShapeError, m->attentionHeadMap(0, 0, map));
}

QTEST_APPLESS_MAIN(TestModel)
#include "tst_model.moc"
