// SPDX-License-Identifier: GPL-3.0-or-later
// Position-wise feed-forward sublayer: Dense -> ReLU -> Dense over preallocated buffers.
#include "core/layers/feedforward.h"

namespace attn {

FeedForward::FeedForward(int width, int inner, Rng &rng)
    : m_linear1(width, inner, true, rng), m_linear2(inner, width, true, rng)
{
}

void FeedForward::resize(Eigen::Index rows)
{
    if (rows < 1)
        throw ShapeError("FeedForward::resize: rows must be >= 1");
    if (m_cache.hidden.rows() == rows)
        return;
    m_cache.hidden.resize(rows, inner());
    m_dHidden.resize(rows, inner());
}

void FeedForward::forward(const ConstMatRef &x, MatRef y)
{
    const Eigen::Index N = m_cache.hidden.rows();
    if (N == 0)
        throw ShapeError("FeedForward::forward: call resize(N) first");
    requireShape(x, N, width(), "FeedForward::forward x");
    requireShape(y, N, width(), "FeedForward::forward y");
    m_linear1.forward(x, m_cache.hidden);                            // eq. (1)
    m_cache.hidden = m_cache.hidden.cwiseMax(Scalar(0));             // eq. (2)
    m_linear2.forward(m_cache.hidden, y);                            // eq. (3)
}

void FeedForward::backward(const ConstMatRef &x, const ConstMatRef &dy, Mat &dx)
{
    // Differentiates y = max(0, x W_1^T + b_1) W_2^T + b_2:
    //   dW_2 += dy^T r;  db_2 += sum dy;  dr = dy W_2;  du = dr * [r > 0]
    //   dW_1 += du^T x;  db_1 += sum du;  dx = du W_1
    m_linear2.backward(m_cache.hidden, dy, &m_dHidden);
    m_dHidden.array() *= (m_cache.hidden.array() > Scalar(0)).cast<Scalar>();
    m_linear1.backward(x, m_dHidden, &dx);
}

void FeedForward::zeroGrad()
{
    m_linear1.zeroGrad();
    m_linear2.zeroGrad();
}

void FeedForward::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    m_linear1.appendParams(prefix + ".linear1", out);
    m_linear2.appendParams(prefix + ".linear2", out);
}

} // namespace attn
