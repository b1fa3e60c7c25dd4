// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of ModelConfig::init (pytorchinit.h): with PyTorch every parameter of every model kind
// comes from torch.nn's default rule for its module (the bound, the spread and the mean of
// large tensors against the formula, exact zeros and ones), each parameter is covered, the
// draw is seeded; with Keras makeModel gives exactly the weights the layers draw.
#include "core/models/pytorchinit.h"
#include "core/models/sequencemodel.h"

#include <QTest>
#include <cmath>
#include <map>
#include <stdexcept>

using namespace attn;

namespace {

// What a parameter should hold: U(-bound, bound), N(0, 1), all 0 or all 1.
struct Expect {
    enum Kind { Uniform, Normal, Zeros, Ones } kind;
    double bound = 0.0;
};
Expect uniform(double bound) { return {Expect::Uniform, bound}; }
Expect linear(int fanIn) { return uniform(1.0 / std::sqrt(double(fanIn))); } // nn.Linear
Expect xavier(int fanIn, int fanOut) { return uniform(std::sqrt(6.0 / double(fanIn + fanOut))); }

using Expectations = std::map<std::string, Expect>;

// Checks one tensor against its rule. The spread and mean are checked on tensors of at least
// 1000 values: the sample std of U(-b, b) (b / sqrt(3)) then lies within 2% of it (3 standard
// errors), the mean within 4 standard errors of 0, and the largest |w| above 0.98 b.
void checkParam(const ParamRef &p, const Expect &e)
{
    const Mat &w = *p.value;
    const double n = double(w.size());
    const double mean = w.cast<double>().mean();
    const double sd = std::sqrt((w.cast<double>().array() - mean).square().sum() / n);
    const double largest = w.cwiseAbs().maxCoeff();
    const QByteArray name = QByteArray::fromStdString(p.name);
    switch (e.kind) {
    case Expect::Zeros: QVERIFY2(w.isZero(0.0), name); return;
    case Expect::Ones: QVERIFY2((w.array() == Scalar(1)).all(), name); return;
    case Expect::Uniform:
        QVERIFY2(largest <= e.bound * (1 + 1e-6), name + " exceeds " + QByteArray::number(e.bound));
        QVERIFY2(n < 2 || sd > 0.0, name + " is constant");
        if (n >= 1000) {
            QVERIFY2(std::abs(sd / (e.bound / std::sqrt(3.0)) - 1) < 0.05,
                     name + ": std " + QByteArray::number(sd) + " for bound " + QByteArray::number(e.bound));
            QVERIFY2(std::abs(mean) < 4 * sd / std::sqrt(n), name + ": mean " + QByteArray::number(mean));
            QVERIFY2(largest > 0.98 * e.bound, name + ": does not fill its range");
        }
        return;
    case Expect::Normal:
        QVERIFY2(n >= 1000, name);
        QVERIFY2(std::abs(sd - 1) < 0.05, name + ": std " + QByteArray::number(sd));
        QVERIFY2(std::abs(mean) < 4 / std::sqrt(n), name + ": mean " + QByteArray::number(mean));
        QVERIFY2(largest > 3.0, name + ": no tail");
        return;
    }
}

// Builds config with PyTorch's initialisation and checks that its parameters are exactly the
// expected names, each drawn by its rule.
void checkModel(ModelConfig config, const Expectations &expected)
{
    config.init = WeightInit::PyTorch;
    Rng rng(5);
    std::unique_ptr<Model> model = makeModel(config, rng, 1);
    std::vector<ParamRef> params = model->params();
    QCOMPARE(params.size(), expected.size());
    for (const ParamRef &p : params) {
        const auto it = expected.find(p.name);
        QVERIFY2(it != expected.end(), ("unexpected parameter " + p.name).c_str());
        checkParam(p, it->second);
        if (QTest::currentTestFailed())
            return;
    }
}

// The sizes of the sequence cases: F = 3, H = 256, U = 128, T = 10, O = 2.
ModelConfig sequenceConfig(AttentionKind kind, RecurrentCell cell = RecurrentCell::Lstm)
{
    ModelConfig c{3, 256, kind, 128, 0.0, 2};
    c.cell = cell;
    c.steps = 10;
    return c;
}

// torch.nn.LSTM / GRU (fan_in = H) under prefix, and the final Dense on `width` features.
void addRecurrent(Expectations &e, const std::string &prefix, int hidden)
{
    for (const char *n : {".weight_ih_l0", ".weight_hh_l0", ".bias_ih_l0", ".bias_hh_l0"})
        e[prefix + n] = linear(hidden);
}
void addLinear(Expectations &e, const std::string &prefix, int in)
{
    e[prefix + ".weight"] = linear(in);
    e[prefix + ".bias"] = linear(in);
}

} // namespace

class TestPytorchInit : public QObject {
    Q_OBJECT
private slots:
    void namesRoundTrip();
    void luongLstm();
    void bahdanauGru();
    void feedForwardWithEmbedding();
    void local();
    void selfAttention();
    void baseline();
    void transformer();
    void featureModel();
    void autoencoder();
    void instanceNormWrapperIsRedrawn();
    void kerasIsWhatTheLayersDraw();
    void seededAndUnlikeKeras();
};

void TestPytorchInit::namesRoundTrip()
{
    for (WeightInit i : {WeightInit::Keras, WeightInit::PyTorch})
        QVERIFY(weightInitFromString(toString(i)) == i);
    QCOMPARE(toString(WeightInit::PyTorch), std::string("pytorch"));
    QVERIFY(!weightInitFromString("torch"));
    QVERIFY(ModelConfig{}.init == WeightInit::Keras);
}

void TestPytorchInit::luongLstm()
{
    Expectations e;
    addRecurrent(e, "lstm", 256);
    e["attention.weight"] = linear(256);   // (H, H)
    e["attention.weight_c"] = linear(512); // (U, 2H)
    addLinear(e, "dense", 128);
    checkModel(sequenceConfig(AttentionKind::Luong), e);
}

void TestPytorchInit::bahdanauGru()
{
    Expectations e;
    addRecurrent(e, "gru", 256);
    e["attention.w1"] = linear(256); // (U, H)
    e["attention.w2"] = linear(256);
    e["attention.v"] = linear(128);  // (1, U)
    e["attention.weight_c"] = linear(512);
    addLinear(e, "dense", 128);
    checkModel(sequenceConfig(AttentionKind::Bahdanau, RecurrentCell::Gru), e);
}

void TestPytorchInit::feedForwardWithEmbedding()
{
    ModelConfig c = sequenceConfig(AttentionKind::FeedForward);
    c.inputs = 1;
    c.vocabulary = 299; // Embedding(300, 32): 9600 values
    c.embeddingDim = 32;
    c.normalAttentionInit = true; // no effect with PyTorch
    Expectations e;
    e["embedding.weight"] = {Expect::Normal};
    addRecurrent(e, "lstm", 256);
    e["attention.weight"] = linear(256); // (H, 1): Linear(H, 1)
    e["attention.bias"] = linear(256);   // (1, T): that Linear's bias, one per step
    addLinear(e, "dense", 256);
    checkModel(c, e);
}

void TestPytorchInit::local()
{
    for (AttentionKind kind : {AttentionKind::Local, AttentionKind::LocalMonotonic}) {
        Expectations e;
        addRecurrent(e, "lstm", 256);
        if (kind == AttentionKind::Local) {
            e["attention.w_p"] = linear(256); // (U, H)
            e["attention.v_p"] = linear(128); // (1, U)
            e["attention.w_a"] = linear(256); // (H, H)
        } else { // local-m: luong's general score in a fixed window
            e["attention.weight"] = linear(256); // (H, H)
        }
        e["attention.weight_c"] = linear(512);
        addLinear(e, "dense", 128);
        checkModel(sequenceConfig(kind), e);
    }
}

void TestPytorchInit::selfAttention()
{
    ModelConfig c = sequenceConfig(AttentionKind::SelfAttention);
    c.heads = 4;
    Expectations e;
    addRecurrent(e, "lstm", 256);
    for (const char *n : {"attention.w_q", "attention.w_k", "attention.w_v"})
        e[n] = xavier(256, 3 * 256); // thirds of nn.MultiheadAttention's packed in_proj
    e["attention.w_o"] = linear(256);
    addLinear(e, "dense", 256);
    checkModel(c, e);
}

void TestPytorchInit::baseline()
{
    ModelConfig c = sequenceConfig(AttentionKind::None);
    c.baselineUnits = 300;
    Expectations e;
    addRecurrent(e, "lstm", 256);
    addLinear(e, "baseline", 256);
    addLinear(e, "dense", 300);
    checkModel(c, e);
}

void TestPytorchInit::transformer()
{
    ModelConfig c = sequenceConfig(AttentionKind::Transformer);
    c.modelWidth = 64;
    c.heads = 4;
    c.encoderLayers = 2;
    c.feedForwardUnits = 128;
    c.preNorm = true;
    Expectations e;
    addLinear(e, "input_projection", 3);
    for (const std::string l : {"encoder.layers.0.", "encoder.layers.1."}) {
        e[l + "self_attn.in_proj_weight"] = xavier(64, 192);
        e[l + "self_attn.in_proj_bias"] = {Expect::Zeros};
        e[l + "self_attn.out_proj.weight"] = linear(64);
        e[l + "self_attn.out_proj.bias"] = {Expect::Zeros};
        addLinear(e, l + "linear1", 64);
        addLinear(e, l + "linear2", 128);
        for (const char *n : {"norm1", "norm2"}) {
            e[l + n + ".weight"] = {Expect::Ones};
            e[l + n + ".bias"] = {Expect::Zeros};
        }
    }
    e["encoder.norm.weight"] = {Expect::Ones};
    e["encoder.norm.bias"] = {Expect::Zeros};
    e["pooling.query"] = linear(64); // (1, D)
    addLinear(e, "dense", 64);
    checkModel(c, e);
}

void TestPytorchInit::featureModel()
{
    ModelConfig c{40, 100, AttentionKind::Feature, 128, 0.0, 2};
    c.architecture = ModelArchitecture::Feature;
    c.denseUnits = 64;
    Expectations e;
    addLinear(e, "attention", 40); // (F, F)
    addLinear(e, "hidden", 40);
    addLinear(e, "dense", 64);
    checkModel(c, e);
}

void TestPytorchInit::autoencoder()
{
    ModelConfig c{50, 64, AttentionKind::Feature, 128, 0.0, 50};
    c.architecture = ModelArchitecture::Autoencoder;
    c.codeUnits = 32;
    Expectations e;
    addLinear(e, "attention", 64); // after the first encoder layer: (H1, H1)
    addLinear(e, "encoder1", 50);
    addLinear(e, "encoder2", 64);
    e["decoder2.bias"] = linear(32); // tied Linear(H2 -> H1)
    e["decoder1.bias"] = linear(64); // tied Linear(H1 -> F)
    checkModel(c, e);
}

void TestPytorchInit::instanceNormWrapperIsRedrawn()
{
    ModelConfig c = sequenceConfig(AttentionKind::Luong);
    c.instanceNorm = true; // a forecast: one output
    c.outputs = 1;
    Expectations e;
    addRecurrent(e, "lstm", 256);
    e["attention.weight"] = linear(256);
    e["attention.weight_c"] = linear(512);
    addLinear(e, "dense", 128);
    checkModel(c, e);
}

void TestPytorchInit::kerasIsWhatTheLayersDraw()
{
    // The Keras path draws nothing after the layers: makeModel's weights are those of the
    // model built directly, and the forget-gate bias is Keras' 1.
    const ModelConfig c = sequenceConfig(AttentionKind::Bahdanau);
    Rng a(11), b(11);
    std::unique_ptr<Model> viaFactory = makeModel(c, a, 1);
    SequenceModel direct(c, b, 1);
    std::vector<ParamRef> p = viaFactory->params(), q = direct.params();
    QCOMPARE(p.size(), q.size());
    for (std::size_t i = 0; i < p.size(); ++i)
        QVERIFY2(*p[i].value == *q[i].value, p[i].name.c_str());
    QCOMPARE(a.next(), b.next()); // the same number of draws
    QCOMPARE(double((*p[2].value)(0, 256)), 1.0); // lstm.bias_ih_l0, forget gate
}

void TestPytorchInit::seededAndUnlikeKeras()
{
    ModelConfig c = sequenceConfig(AttentionKind::Luong);
    c.init = WeightInit::PyTorch;
    Rng a(3), b(3), k(3);
    std::unique_ptr<Model> first = makeModel(c, a, 1), second = makeModel(c, b, 1);
    c.init = WeightInit::Keras;
    std::unique_ptr<Model> keras = makeModel(c, k, 1);
    std::vector<ParamRef> p = first->params(), q = second->params(), r = keras->params();
    for (std::size_t i = 0; i < p.size(); ++i) {
        QVERIFY2(*p[i].value == *q[i].value, p[i].name.c_str());
        QVERIFY2(*p[i].value != *r[i].value, p[i].name.c_str());
    }
}

QTEST_APPLESS_MAIN(TestPytorchInit)
#include "tst_pytorchinit.moc"
