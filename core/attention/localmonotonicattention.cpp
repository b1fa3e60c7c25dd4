// SPDX-License-Identifier: GPL-3.0-or-later
// Luong local-m attention: the window [T-1-D, T-1] (the last D + 1 real steps when masked) as the
// mask of a general-score Luong attention.
#include "core/attention/localmonotonicattention.h"

namespace attn {

LocalMonotonicAttention::LocalMonotonicAttention(int hidden, int units, int window, Rng &rng)
    : m_hidden(hidden), m_windowD(window),
      m_inner((hidden < 1 || units < 1 || window < 1)
                  ? throw ConfigError("LocalMonotonicAttention: hidden, units and window D must be >= 1")
                  : hidden,
              units, LuongAttention::Score::General, rng)
{
}

void LocalMonotonicAttention::resize(int steps, int batch)
{
    if (steps < 1 || batch < 1)
        throw ShapeError("LocalMonotonicAttention::resize: steps and batch must be >= 1");
    m_inner.resize(steps, batch);
    m_steps = steps;
    m_batch = batch;
    m_window.resize(batch, steps);
}

void LocalMonotonicAttention::buildWindow()
{
    const Mat *padding = mask();
    m_window.setZero();
    for (Eigen::Index b = 0; b < m_batch; ++b) {
        // Walk back from the last step, counting real steps until D + 1 are in the window.
        int taken = 0;
        for (Eigen::Index s = m_steps - 1; s >= 0 && taken <= m_windowD; --s) {
            if (padding && padding->coeff(b, s) <= Scalar(0))
                continue;
            m_window(b, s) = Scalar(1);
            ++taken;
        }
        if (taken == 0) // a row without real steps: the last step alone, as the softmax needs one
            m_window(b, m_steps - 1) = Scalar(1);
    }
}

void LocalMonotonicAttention::forward(const ConstMatRef &hs, MatRef out)
{
    if (m_batch == 0)
        throw ShapeError("LocalMonotonicAttention::forward: call resize(T, B) first");
    requireShape(hs, Eigen::Index(m_steps) * m_batch, m_hidden, "LocalMonotonicAttention::forward hs");
    requireShape(out, m_batch, outputs(), "LocalMonotonicAttention::forward out");
    requireMask(m_steps, m_batch, "LocalMonotonicAttention::forward mask");
    buildWindow();
    m_inner.setMask(m_window); // eq. (2): the softmax runs over the window only
    if (const Mat *w = weightOverride())
        m_inner.setWeightOverride(*w);
    else
        m_inner.setWeightOverride(ConstMatRef(Mat()));
    m_inner.forward(hs, out);
}

void LocalMonotonicAttention::backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs)
{
    // Differentiates out = tanh([c; h_T] W_c^T), c = sum_s a_s h_s, a = softmax over the window
    // of e_s = h_T^T W_a h_s: the window is a constant mask, so this is Luong's backward with the
    // window as its mask (steps outside it get gradient only through nothing: a_s = 0 there).
    m_inner.backward(hs, dOut, dHs);
}

void LocalMonotonicAttention::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    m_inner.appendParams(prefix, out);
}

} // namespace attn
