// SPDX-License-Identifier: GPL-3.0-or-later
// A check shared by the optimizer tests: a step taken in parts (Optimizer::stepPart, as the
// batch slices' threads take it) updates every element once and equals the whole step.
#pragma once

#include "core/train/optimizer.h"

#include <QTest>

#include <functional>
#include <memory>

namespace attn::test {

/// make(params) builds a fresh optimizer over params (the same hyperparameters each call).
inline void verifyPartsMakeTheWholeStep(
    const std::function<std::unique_ptr<Optimizer>(const std::vector<ParamRef> &)> &make)
{
    Mat a = Mat::Random(7, 5), b = Mat::Random(1, 2), ga = Mat::Random(7, 5), gb = Mat::Random(1, 2);
    const Mat a0 = a;
    Mat a2 = a, b2 = b;
    std::vector<ParamRef> ps{{"a", &a, &ga}, {"b", &b, &gb}}, qs{{"a", &a2, &ga}, {"b", &b2, &gb}};
    const std::unique_ptr<Optimizer> parts = make(ps), whole = make(qs);
    for (long long t = 1; t <= 3; ++t) {
        for (int part : {2, 0, 1})
            parts->stepPart(ps, t, part, 3);
        whole->step(qs, t);
        QVERIFY((a - a2).cwiseAbs().maxCoeff() <= 1e-15);
        QVERIFY((b - b2).cwiseAbs().maxCoeff() <= 1e-15);
    }
    QVERIFY(((a - a0).array() != 0).all()); // every element of a moved
    QVERIFY_THROWS_EXCEPTION(ConfigError, parts->stepPart(ps, 4, 3, 3));
    QVERIFY_THROWS_EXCEPTION(ConfigError, parts->stepPart(ps, 4, 0, 0));
}

} // namespace attn::test
