// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the Adam optimizer (Kingma & Ba 2015): the first two bias-corrected steps worked out
// by hand, and a step in parts equal to the whole step.
#include "core/train/adam.h"

#include <QTest>
#include <cmath>

using namespace attn;

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
    // Three parts, one after the other, update every element exactly once, as one whole step
    // does (core/train/batchslices.h runs them on threads); a bad part is refused.
    Mat a = Mat::Random(7, 5), b = Mat::Random(1, 2), ga = Mat::Random(7, 5), gb = Mat::Random(1, 2);
    const Mat a0 = a;
    Mat a2 = a, b2 = b;
    std::vector<ParamRef> ps{{"a", &a, &ga}, {"b", &b, &gb}}, qs{{"a", &a2, &ga}, {"b", &b2, &gb}};
    Adam opt(ps, 0.01), whole(qs, 0.01);
    for (long long t = 1; t <= 3; ++t) {
        for (int part : {2, 0, 1})
            opt.stepPart(ps, t, part, 3);
        whole.step(qs, t);
        QVERIFY((a - a2).cwiseAbs().maxCoeff() <= 1e-15);
        QVERIFY((b - b2).cwiseAbs().maxCoeff() <= 1e-15);
    }
    QVERIFY(((a - a0).array() != 0).all()); // every element of a moved
    QVERIFY_THROWS_EXCEPTION(ConfigError, opt.stepPart(ps, 4, 3, 3));
    QVERIFY_THROWS_EXCEPTION(ConfigError, opt.stepPart(ps, 4, 0, 0));
}

QTEST_APPLESS_MAIN(TestAdam)
#include "tst_adam.moc"
