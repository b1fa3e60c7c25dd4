// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the loss functions (MSE, MAE, binary cross-entropy on logits, softmax cross-entropy):
// hand-computed values and gradients (a saturated logit stays finite and the step allocates
// nothing), a double-precision finite-difference check of every gradient (softmax
// cross-entropy also over batch and class counts and with soft targets), and bad shapes rejected.
#include "core/train/loss.h"
#include "tests/gradcheck.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestLoss : public QObject {
    Q_OBJECT
private slots:
    void byHand();
    void softmaxCrossEntropyByHand();
    void softmaxCrossEntropySaturated();
    void softmaxCrossEntropyGradient_data();
    void softmaxCrossEntropyGradient();
    void gradients_data();
    void gradients();
    void rejectsBadShapes();
};

void TestLoss::byHand()
{
    Mat p(2, 1), y(2, 1), d(2, 1);
    p << 1, 3;
    y << 0, 1;
    QCOMPARE(lossWithGradient(LossKind::Mse, p, y, d), (1.0 + 4.0) / 2);
    QCOMPARE(d(1, 0), 2.0 * 2 / 2);
    QCOMPARE(lossWithGradient(LossKind::Mae, p, y, d), (1.0 + 2.0) / 2);
    QCOMPARE(d(0, 0), 0.5);
    p << 0, 100; // BCE on logits: log 2, and a saturated logit that must not overflow
    const double bce = lossWithGradient(LossKind::BinaryCrossEntropy, p, y, d);
    QVERIFY(std::abs(bce - std::log(2.0) / 2) < 1e-12);
    QVERIFY(std::isfinite(bce));
    QVERIFY(std::abs(d(0, 0) - 0.25) < 1e-12);
}

void TestLoss::softmaxCrossEntropyByHand()
{
    // z = [0, ln 3], y = [0, 1]: softmax(z) = [1/4, 3/4]; loss = log(1 + 3) - ln 3 = ln(4/3)
    // = 0.287682; dL/dz = softmax(z) - y = [0.25, -0.25] (one row: the batch mean divides by 1).
    Mat z(1, 2), y(1, 2), d(1, 2);
    z << 0, std::log(3.0);
    y << 0, 1;
    const double l = lossWithGradient(LossKind::SoftmaxCrossEntropy, z, y, d);
    QVERIFY(std::abs(l - std::log(4.0 / 3.0)) < 1e-12);
    QVERIFY(std::abs(l - 0.287682) < 1e-6);
    QVERIFY(std::abs(lossValue(LossKind::SoftmaxCrossEntropy, z, y) - l) < 1e-15);
    QVERIFY(std::abs(d(0, 0) - 0.25) < 1e-12);
    QVERIFY(std::abs(d(0, 1) + 0.25) < 1e-12);
}

void TestLoss::softmaxCrossEntropySaturated()
{
    // Row 1: z = (0, 0), class 0: L = log 2, dL/dz = (1/2 - 1, 1/2) / B.
    // Row 2: z = (1000, 0), class 1: L = 1000 (finite despite exp(1000)), dL/dz = (1, -1) / B.
    Mat z(2, 2), y(2, 2), d(2, 2);
    z << 0, 0, 1000, 0;
    y << 1, 0, 0, 1;
    Eigen::internal::set_is_malloc_allowed(false); // the training step must not allocate
    const double loss = lossWithGradient(LossKind::SoftmaxCrossEntropy, z, y, d);
    Eigen::internal::set_is_malloc_allowed(true);
    QVERIFY(std::abs(loss - (std::log(2.0) + 1000.0) / 2) < 1e-12);
    QCOMPARE(lossValue(LossKind::SoftmaxCrossEntropy, z, y), loss);
    QVERIFY(std::abs(d(0, 0) - (-0.25)) < 1e-15);
    QVERIFY(std::abs(d(0, 1) - 0.25) < 1e-15);
    QVERIFY(std::abs(d(1, 0) - 0.5) < 1e-15);
    QVERIFY(std::abs(d(1, 1) - (-0.5)) < 1e-15);
    Mat wrong(2, 3);
    QVERIFY_THROWS_EXCEPTION(ShapeError, lossValue(LossKind::SoftmaxCrossEntropy, z, wrong));
}

void TestLoss::softmaxCrossEntropyGradient_data()
{
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("classes");
    QTest::addColumn<bool>("soft");
    QTest::newRow("B1 C2 one-hot") << 1 << 2 << false;
    QTest::newRow("B4 C3 one-hot") << 4 << 3 << false;
    QTest::newRow("B5 C7 one-hot") << 5 << 7 << false;
    QTest::newRow("B3 C4 soft targets") << 3 << 4 << true;
}

void TestLoss::softmaxCrossEntropyGradient()
{
    QFETCH(int, batch);
    QFETCH(int, classes);
    QFETCH(bool, soft);
    Rng rng(11);
    Mat z = randomMat(batch, classes, rng, 2.0);
    Mat y = Mat::Zero(batch, classes);
    for (int r = 0; r < batch; ++r) {
        if (soft)
            for (int c = 0; c < classes; ++c)
                y(r, c) = rng.uniform();
        else
            y(r, Eigen::Index(rng.below(std::uint64_t(classes)))) = 1;
    }
    Mat d(batch, classes);
    lossWithGradient(LossKind::SoftmaxCrossEntropy, z, y, d);
    const Mat numeric =
        numericGradient(z, [&] { return lossValue(LossKind::SoftmaxCrossEntropy, z, y); });
    const double err = relativeError(d, numeric);
    QVERIFY2(err < 1e-6, QByteArray::number(err));
}

void TestLoss::gradients_data()
{
    QTest::addColumn<int>("loss");
    QTest::newRow("mse") << int(LossKind::Mse);
    QTest::newRow("mae") << int(LossKind::Mae);
    QTest::newRow("bce") << int(LossKind::BinaryCrossEntropy);
    QTest::newRow("softmax-ce") << int(LossKind::SoftmaxCrossEntropy);
}

void TestLoss::gradients()
{
    QFETCH(int, loss);
    Rng rng(2);
    Mat p = randomMat(5, 3, rng), y = randomMat(5, 3, rng), d(5, 3);
    if (LossKind(loss) == LossKind::BinaryCrossEntropy)
        y = (y.array() > 0).cast<Scalar>();
    if (LossKind(loss) == LossKind::SoftmaxCrossEntropy) // one-hot targets
        for (Eigen::Index r = 0; r < y.rows(); ++r) {
            Eigen::Index c = 0;
            y.row(r).maxCoeff(&c);
            y.row(r).setZero();
            y(r, c) = 1;
        }
    lossWithGradient(LossKind(loss), p, y, d);
    auto f = [&] { return lossValue(LossKind(loss), p, y); };
    QVERIFY(relativeError(d, numericGradient(p, f)) < 1e-6);
}

void TestLoss::rejectsBadShapes()
{
    Mat p(2, 3), y(2, 3), d(2, 3), yBad(3, 2), dBad(2, 2), empty(2, 0);
    p.setZero();
    y.setZero();
    for (LossKind k : {LossKind::Mse, LossKind::Mae, LossKind::BinaryCrossEntropy,
                       LossKind::SoftmaxCrossEntropy}) {
        QVERIFY_THROWS_EXCEPTION(ShapeError, lossValue(k, p, yBad));
        QVERIFY_THROWS_EXCEPTION(ShapeError, lossWithGradient(k, p, yBad, d));
        QVERIFY_THROWS_EXCEPTION(ShapeError, lossWithGradient(k, p, y, dBad));
    }
    QVERIFY_THROWS_EXCEPTION(ShapeError, lossValue(LossKind::SoftmaxCrossEntropy, empty, empty));
}

QTEST_APPLESS_MAIN(TestLoss)
#include "tst_loss.moc"
