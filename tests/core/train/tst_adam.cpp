// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the Adam optimizer (Kingma & Ba 2015): the first two bias-corrected steps worked out
// by hand, and a step in parts equal to the whole step.
#include "core/train/adam.h"
#include "tests/optimizerchecks.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestAdam : public QObject {
    Q_OBJECT
private slots:
    void partsMakeTheWholeStep();
    void stepByHand();
};

void TestAdam::stepByHand()
{
    Mat w(1, 1), g(1, 1);
    w << 1.0;
    g << 0.5;
    std::vector<ParamRef> ps{{"w", &w, &g}};
    Adam adam(ps, 0.1);
    adam.step(ps, 1);
    // First step: m_hat = g, v_hat = g^2, so w -= lr * g / (|g| + eps) = 1 - 0.1 * (0.5 / (0.5 + 1e-7)).
    QVERIFY(std::abs(w(0, 0) - (1.0 - 0.1 * 0.5 / (0.5 + 1e-7))) < 1e-12);
    adam.step(ps, 2);
    QVERIFY(std::abs(w(0, 0) - (1.0 - 0.2 * 0.5 / (0.5 + 1e-7))) < 1e-9);
}

void TestAdam::partsMakeTheWholeStep()
{
    verifyPartsMakeTheWholeStep([](const std::vector<ParamRef> &ps) { return std::make_unique<Adam>(ps, 0.01); });
}

QTEST_APPLESS_MAIN(TestAdam)
#include "tst_adam.moc"
