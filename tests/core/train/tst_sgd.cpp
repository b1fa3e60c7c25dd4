// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of SGD with momentum: two steps worked out by hand, the velocity (momentum 0.9) carrying
// over from the first step to the second.
#include "core/train/sgd.h"

#include <QTest>
#include <cmath>

using namespace attn;

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
    // Three parts, one after the other, update every element exactly once, as one whole step
    // does (core/train/batchslices.h runs them on threads); a bad part is refused.
    Mat a = Mat::Random(7, 5), b = Mat::Random(1, 2), ga = Mat::Random(7, 5), gb = Mat::Random(1, 2);
    const Mat a0 = a;
    Mat a2 = a, b2 = b;
    std::vector<ParamRef> ps{{"a", &a, &ga}, {"b", &b, &gb}}, qs{{"a", &a2, &ga}, {"b", &b2, &gb}};
    Sgd opt(ps, 0.01, 0.9), whole(qs, 0.01, 0.9);
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

QTEST_APPLESS_MAIN(TestSgd)
#include "tst_sgd.moc"
