// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of InstanceNormModel (RevIN around a sequence model): the forward by hand from the inner
// model, a forecast that follows a window's level and scale, a double-precision gradient check of
// the parameters and the input through the window statistics, bad configs and padding refused,
// and no allocation in a training step.
#include "core/models/instancenormmodel.h"
#include "core/train/loss.h"
#include "tests/allocationcounter.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestInstanceNormModel : public QObject {
    Q_OBJECT
private slots:
    void forwardByHand();
    void followsLevelAndScale();
    void gradients_data();
    void gradients();
    void rejectsBadConfigs();
    void trainingStepDoesNotAllocate();
};

namespace {

ModelConfig forecastConfig(AttentionKind attention, RecurrentCell cell, int features, int k)
{
    ModelConfig c;
    c.inputs = features;
    c.hidden = 5;
    c.attention = attention;
    c.attentionUnits = 4;
    c.cell = cell;
    c.outputs = 1;
    c.modelWidth = 4;
    c.heads = 2;
    c.feedForwardUnits = 5;
    c.instanceNorm = true;
    c.instanceNormFeature = k;
    return c;
}

void randomize(Model &model, Rng &rng)
{
    for (const ParamRef &p : model.params())
        *p.value = randomMat(p.value->rows(), p.value->cols(), rng, 0.5);
}

} // namespace

void TestInstanceNormModel::forwardByHand()
{
    // The wrapped model and a plain model with the same weights: the plain one fed the windows
    // standardised by hand, its output put back on feature 1's level by hand.
    const int T = 4, B = 3, F = 2;
    ModelConfig cfg = forecastConfig(AttentionKind::Bahdanau, RecurrentCell::Lstm, F, 1);
    Rng rng(4);
    std::unique_ptr<Model> wrapped = makeModel(cfg, rng, 1);
    QVERIFY(dynamic_cast<InstanceNormModel *>(wrapped.get()) != nullptr);
    cfg.instanceNorm = false;
    std::unique_ptr<Model> plain = makeModel(cfg, rng, 1);
    randomize(*wrapped, rng);
    const auto wp = wrapped->params(), pp = plain->params();
    for (std::size_t i = 0; i < wp.size(); ++i)
        *pp[i].value = *wp[i].value;
    wrapped->resize(T, B);
    plain->resize(T, B);
    const Mat x = randomMat(T * B, F, rng, 3.0);
    Mat xn(T * B, F), mean(B, F), sigma(B, F);
    for (int b = 0; b < B; ++b)
        for (int f = 0; f < F; ++f) {
            double s = 0, ss = 0;
            for (int t = 0; t < T; ++t)
                s += x(t * B + b, f);
            mean(b, f) = s / T;
            for (int t = 0; t < T; ++t)
                ss += (x(t * B + b, f) - mean(b, f)) * (x(t * B + b, f) - mean(b, f));
            sigma(b, f) = std::sqrt(ss / T + InstanceNormModel::kEpsilon);
            for (int t = 0; t < T; ++t)
                xn(t * B + b, f) = (x(t * B + b, f) - mean(b, f)) / sigma(b, f);
        }
    const Mat z = plain->forward(xn, false);
    const Mat y = wrapped->forward(x, false);
    for (int b = 0; b < B; ++b)
        QVERIFY(std::abs(y(b, 0) - (z(b, 0) * sigma(b, 1) + mean(b, 1))) < 1e-12);
    QVERIFY((wrapped->attentionWeights() - plain->attentionWeights()).cwiseAbs().maxCoeff() < 1e-12);
}

void TestInstanceNormModel::followsLevelAndScale()
{
    // The point of the normalisation: the same window shape at another level and scale gets
    // the same forecast moved to that level and scale (a x + c -> a y + c, a > 0), to within
    // the epsilon's share of the spread. Without it, the forecast of a window far above the
    // training range is whatever a saturated LSTM says.
    const int T = 6, B = 2;
    Rng rng(8);
    std::unique_ptr<Model> model =
        makeModel(forecastConfig(AttentionKind::Luong, RecurrentCell::Gru, 1, 0), rng, 1);
    randomize(*model, rng);
    model->resize(T, B);
    const Mat x = randomMat(T * B, 1, rng);
    const Mat y = model->forward(x, false);
    for (double a : {0.5, 10.0, 1000.0})
        for (double c : {-3.0, 500.0}) {
            const Mat moved = (a * x.array() + c).matrix();
            const Mat ym = model->forward(moved, false);
            for (int b = 0; b < B; ++b)
                QVERIFY2(std::abs(ym(b, 0) - (a * y(b, 0) + c)) < 1e-4 * a,
                         qPrintable(QString("a %1 c %2 row %3: %4 against %5")
                                        .arg(a).arg(c).arg(b).arg(ym(b, 0)).arg(a * y(b, 0) + c)));
        }
}

void TestInstanceNormModel::gradients_data()
{
    QTest::addColumn<QString>("attention");
    QTest::addColumn<QString>("cell");
    QTest::addColumn<int>("features");
    QTest::addColumn<int>("feature");
    QTest::newRow("lstm luong F1") << "luong" << "lstm" << 1 << 0;
    QTest::newRow("gru bahdanau F3 k2") << "bahdanau" << "gru" << 3 << 2;
    QTest::newRow("lstm none F2 k0") << "none" << "lstm" << 2 << 0;
    QTest::newRow("transformer F2 k1") << "transformer" << "lstm" << 2 << 1;
}

void TestInstanceNormModel::gradients()
{
    QFETCH(QString, attention);
    QFETCH(QString, cell);
    QFETCH(int, features);
    QFETCH(int, feature);
    const ModelConfig cfg = forecastConfig(*attentionKindFromString(attention.toStdString()),
                                           *recurrentCellFromString(cell.toStdString()), features,
                                           feature);
    const int T = 4, B = 3;
    Rng rng(21);
    std::unique_ptr<Model> model = makeModel(cfg, rng, 9);
    model->resize(T, B);
    randomize(*model, rng);
    Mat x = randomMat(T * B, features, rng, 2.0), y = randomMat(B, 1, rng), dPred(B, 1);
    const auto f = [&] { return lossValue(LossKind::Mse, model->forward(x, false), y); };
    model->zeroGrad();
    lossWithGradient(LossKind::Mse, model->forward(x, false), y, dPred);
    model->backward(x, dPred);
    // Five-point differences, as tst_transformermodel: the Transformer's pooling query has
    // gradients ~1e-5, where central differences' error is already 1e-6 of them in some builds.
    for (const ParamRef &p : model->params()) {
        const double err = relativeError(*p.grad, numericGradient5(*p.value, f));
        QVERIFY2(err < 1e-6, (p.name + " relative error " + std::to_string(err)).c_str());
    }
    const Mat dx = model->inputGradient();
    const double err = relativeError(dx, numericGradient5(x, f));
    QVERIFY2(err < 1e-6, ("input relative error " + std::to_string(err)).c_str());
}

void TestInstanceNormModel::rejectsBadConfigs()
{
    Rng rng(1);
    ModelConfig cfg = forecastConfig(AttentionKind::Luong, RecurrentCell::Lstm, 2, 2);
    QVERIFY_THROWS_EXCEPTION(ConfigError, makeModel(cfg, rng, 1)); // feature 2 of 2
    cfg = forecastConfig(AttentionKind::Luong, RecurrentCell::Lstm, 1, 0);
    cfg.outputs = 3;
    QVERIFY_THROWS_EXCEPTION(ConfigError, makeModel(cfg, rng, 1));
    cfg = forecastConfig(AttentionKind::Luong, RecurrentCell::Lstm, 1, 0);
    cfg.vocabulary = 9;
    QVERIFY_THROWS_EXCEPTION(ConfigError, makeModel(cfg, rng, 1));
    cfg = forecastConfig(AttentionKind::Feature, RecurrentCell::Lstm, 4, 0);
    cfg.architecture = ModelArchitecture::Feature;
    QVERIFY_THROWS_EXCEPTION(ConfigError, makeModel(cfg, rng, 1));

    std::unique_ptr<Model> model =
        makeModel(forecastConfig(AttentionKind::Luong, RecurrentCell::Lstm, 1, 0), rng, 1);
    model->resize(4, 3);
    model->setPaddingMask(Mat::Ones(3, 4)); // no padding: accepted
    QVERIFY_THROWS_EXCEPTION(ConfigError, model->setPaddingMask(mixedPaddingMask(4, 3)));
    QVERIFY_THROWS_EXCEPTION(ShapeError, model->forward(Mat::Zero(11, 1), false));
}

void TestInstanceNormModel::trainingStepDoesNotAllocate()
{
    ModelConfig cfg = forecastConfig(AttentionKind::Bahdanau, RecurrentCell::Lstm, 1, 0);
    cfg.hidden = 32;
    cfg.dropout = 0.2;
    Rng rng(5);
    std::unique_ptr<Model> model = makeModel(cfg, rng, 1);
    model->resize(12, 32);
    Mat x = randomMat(12 * 32, 1, rng), y = randomMat(32, 1, rng), dPred(32, 1);
    const auto step = [&] {
        model->zeroGrad();
        lossWithGradient(LossKind::Mse, model->forward(x, true), y, dPred);
        model->backward(x, dPred);
    };
    step();
    verifyNoAllocation(step);
}

QTEST_APPLESS_MAIN(TestInstanceNormModel)
#include "tst_instancenormmodel.moc"
