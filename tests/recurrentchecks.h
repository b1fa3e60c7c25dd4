// SPDX-License-Identifier: GPL-3.0-or-later
// Padding-mask checks shared by the LSTM and GRU tests: the state is carried through padding as
// Keras does (h_t = h_{t-1}, c_t = c_{t-1}), every real step equals a run on the real steps alone,
// padding inputs get no gradient, and backward matches finite differences.
#pragma once

#include "core/layers/recurrentlayer.h"
#include "tests/gradcheck.h"

#include <QTest>

#include <functional>
#include <memory>

namespace attn::test {

/// make() builds a fresh layer (same weights each call) with F inputs and H hidden units.
inline void verifyMaskedRecurrent(const std::function<std::unique_ptr<RecurrentLayer>()> &make,
                                  int T, int B, int F, Rng &rng)
{
    std::unique_ptr<RecurrentLayer> l = make();
    const int H = l->hidden();
    const Eigen::Index tb = Eigen::Index(T) * B;
    const Mat mask = mixedPaddingMask(T, B);
    Mat x = randomMat(tb, F, rng), w = randomMat(tb, H, rng), h(tb, H), dx(tb, F);
    l->resize(T, B);
    l->setMask(mask);
    l->forward(x, h);
    for (int b = 0; b < B; ++b) {
        // The real steps alone, as one sequence without padding.
        std::vector<int> real;
        for (int t = 0; t < T; ++t)
            if (mask(b, t) > 0)
                real.push_back(t);
        std::unique_ptr<RecurrentLayer> alone = make();
        const int L = int(real.size());
        Mat xa(L, F), ha(L, H);
        for (int i = 0; i < L; ++i)
            xa.row(i) = x.row(Eigen::Index(real[std::size_t(i)]) * B + b);
        alone->resize(L, 1);
        alone->forward(xa, ha);
        int done = 0; // real steps so far
        for (int t = 0; t < T; ++t) {
            const Mat row = h.row(Eigen::Index(t) * B + b);
            if (mask(b, t) > 0) {
                QVERIFY((row - ha.row(done)).cwiseAbs().maxCoeff() < 1e-12);
                ++done;
            } else if (done == 0) {
                QVERIFY(row.isZero(0)); // padding before the first real step: the zero state
            } else {
                QVERIFY(row == h.row(Eigen::Index(t - 1) * B + b)); // carried exactly
            }
        }
    }
    std::vector<ParamRef> ps;
    l->appendParams("rnn", ps);
    auto loss = [&] {
        l->forward(x, h);
        return weightedSum(h, w);
    };
    loss();
    l->zeroGrad();
    l->backward(x, h, w, &dx);
    for (const ParamRef &p : ps) {
        const double err = relativeError(*p.grad, numericGradient(*p.value, loss));
        QVERIFY2(err < 1e-6, (p.name + " relative error " + std::to_string(err)).c_str());
    }
    const double err = relativeError(dx, numericGradient(x, loss));
    QVERIFY2(err < 1e-6, ("dx relative error " + std::to_string(err)).c_str());
    for (int b = 0; b < B; ++b)
        for (int t = 0; t < T; ++t)
            if (mask(b, t) == 0)
                QVERIFY(dx.row(Eigen::Index(t) * B + b).isZero(0)); // padding input is never read
}

} // namespace attn::test
