// SPDX-License-Identifier: GPL-3.0-or-later
// Checks every many-to-one attention layer must pass, shared by their unit tests: backward() adds
// into the parameter gradients (twice = double) and writes the input gradient (twice = same),
// only zeroGrad() clears them; forward + backward allocate nothing; and a padding mask gives
// padding exactly zero weight, with gradients that match finite differences. Includes
// tests/allocationcounter.h (which replaces operator new): one source file per test executable.
#pragma once

#include "core/attention/manytooneattention.h"
#include "tests/allocationcounter.h"
#include "tests/gradcheck.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <string>

namespace attn::test {

/// att built for hidden width H; runs forward + backward on T steps of B random sequences.
inline void verifyGradientsAccumulate(ManyToOneAttention &att, int T, int B, int H, Rng &rng)
{
    Mat hs = randomMat(T * B, H, rng), dHs(T * B, H), first(T * B, H);
    att.resize(T, B);
    Mat out(B, att.outputs());
    const Mat dOut = randomMat(B, att.outputs(), rng);
    std::vector<ParamRef> ps;
    att.appendParams("attention", ps);
    att.zeroGrad();
    att.forward(hs, out);
    att.backward(hs, dOut, dHs);
    first = dHs;
    std::vector<Mat> once;
    for (const ParamRef &p : ps)
        once.push_back(*p.grad);
    att.backward(hs, dOut, dHs);
    QVERIFY(dHs == first);
    for (std::size_t i = 0; i < ps.size(); ++i) {
        QVERIFY(once[i].norm() > 0);
        QVERIFY((*ps[i].grad - 2 * once[i]).cwiseAbs().maxCoeff() < 1e-12);
    }
    att.zeroGrad();
    for (const ParamRef &p : ps)
        QVERIFY(p.grad->isZero(0));
}

/// att built for hidden width H and (if it needs it) T steps; forward + backward on B sequences,
/// then extra() (e.g. reading a map for the UI), allocate nothing once warmed up.
inline void verifyForwardBackwardDoNotAllocate(ManyToOneAttention &att, int T, int B, int H,
                                               Rng &rng, const std::function<void()> &extra = {})
{
    Mat hs = randomMat(Eigen::Index(T) * B, H, rng), dHs(Eigen::Index(T) * B, H), out(B, att.outputs());
    const Mat dOut = randomMat(B, att.outputs(), rng);
    const std::function<void()> step = [&] {
        att.forward(hs, out);
        att.backward(hs, dOut, dHs);
        if (extra)
            extra();
    };
    att.resize(T, B);
    step(); // warm-up
    verifyNoAllocation(step);
}

/// att built for hidden width H (and T steps if it needs them). With mixedPaddingMask(T, B) set:
/// padding steps get weight exactly 0; the real steps' weights sum to 1 (weightsSumToOne; local
/// attention's Gaussian leaves them below 1); the finite-difference gradient check passes; and the
/// hidden states of padding steps other than the query step h_T get exactly zero gradient (they
/// do not reach the output). clearMask: afterwards an empty mask restores the unmasked weights.
inline void verifyMaskedAttention(ManyToOneAttention &att, int T, int B, int H, Rng &rng,
                                  bool weightsSumToOne)
{
    const Eigen::Index tb = Eigen::Index(T) * B;
    Mat hs = randomMat(tb, H, rng), dHs(tb, H), out(B, att.outputs());
    const Mat w = randomMat(B, att.outputs(), rng);
    const Mat mask = mixedPaddingMask(T, B);
    att.resize(T, B);
    att.forward(hs, out);
    const Mat unmasked = att.weights();
    att.setMask(mask);
    QVERIFY(att.mask() != nullptr);
    std::vector<ParamRef> ps;
    att.appendParams("attention", ps);
    const std::string failure = gradientFailure(
        ps, hs, dHs,
        [&] {
            att.forward(hs, out);
            return weightedSum(out, w);
        },
        [&] { att.backward(hs, w, dHs); });
    QVERIFY2(failure.empty(), failure.c_str());
    att.forward(hs, out);
    const Mat &a = att.weights();
    for (int b = 0; b < B; ++b) {
        double real = 0;
        for (int t = 0; t < T; ++t) {
            if (mask(b, t) == 0) {
                QCOMPARE(a(b, t), 0.0); // exactly
                if (t < T - 1)
                    QVERIFY(dHs.row(Eigen::Index(t) * B + b).isZero(0));
            } else {
                real += a(b, t);
            }
        }
        if (weightsSumToOne)
            QVERIFY2(std::abs(real - 1.0) < 1e-12, std::to_string(real).c_str());
        else
            QVERIFY(real > 0.0 && real <= 1.0 + 1e-12);
    }
    QVERIFY(!(a.array() == unmasked.array()).all()); // the mask changed something
    att.setMask(Mat());
    QVERIFY(att.mask() == nullptr);
    att.forward(hs, out);
    QVERIFY(att.weights() == unmasked);
}

} // namespace attn::test
