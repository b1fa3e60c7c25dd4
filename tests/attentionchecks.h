// SPDX-License-Identifier: GPL-3.0-or-later
// Checks every many-to-one attention layer must pass, shared by their unit tests: backward() adds
// into the parameter gradients (twice = double) and writes the input gradient (twice = same),
// only zeroGrad() clears them; and forward + backward allocate nothing. Includes
// tests/allocationcounter.h (which replaces operator new): one source file per test executable.
#pragma once

#include "core/attention/manytooneattention.h"
#include "tests/allocationcounter.h"
#include "tests/gradcheck.h"

#include <QTest>

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

} // namespace attn::test
