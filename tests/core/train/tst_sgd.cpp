// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of SGD with momentum: two steps worked out by hand, the velocity (momentum 0.9) carrying
// over from the first step to the second.
#include "core/train/sgd.h"
#include "tests/optimizerchecks.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace attn::test;

class TestSgd : public QObject {
    Q_OBJECT
private slots:
    void partsMakeTheWholeStep();
    void stepByHand();
};

void TestSgd::stepByHand()
{
    Mat w(1, 2), g(1, 2);
    w << 1, 2;
    g << 0.5, -1;
    std::vector<ParamRef> ps{{"w", &w, &g}};
    Sgd sgd(ps, 0.1, 0.9);
    sgd.step(ps, 1);
    QVERIFY(std::abs(w(0, 1) - 2.1) < 1e-12);
    sgd.step(ps, 2); // velocity 0.9 * -1 + -1 = -1.9
    QVERIFY(std::abs(w(0, 1) - 2.29) < 1e-12);
}

void TestSgd::partsMakeTheWholeStep()
{
    verifyPartsMakeTheWholeStep([](const std::vector<ParamRef> &ps) { return std::make_unique<Sgd>(ps, 0.01, 0.9); });
}

QTEST_APPLESS_MAIN(TestSgd)
#include "tst_sgd.moc"
