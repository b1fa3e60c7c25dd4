// SPDX-License-Identifier: GPL-3.0-or-later
// Mean-variance normalisation per row (LayerNorm without gain and bias): forward keeps the
// normalised output, backward runs through the row mean and variance.
#include "core/layers/meanvariancenorm.h"

#include "core/layers/layernorm.h"

namespace attn {

MeanVarianceNorm::MeanVarianceNorm(int width, double eps) : m_width(width), m_eps(Scalar(eps))
{
    if (width < 1)
        throw ConfigError("MeanVarianceNorm: width must be >= 1");
    if (!(eps > 0.0))
        throw ConfigError("MeanVarianceNorm: eps must be > 0");
}

void MeanVarianceNorm::resize(Eigen::Index rows)
{
    if (rows < 1)
        throw ShapeError("MeanVarianceNorm::resize: rows must be >= 1");
    if (m_cache.y.rows() == rows)
        return;
    m_cache.y.resize(rows, m_width);
    m_cache.invStd.resize(rows, 1);
    m_rowA.resize(rows, 1);
    m_rowB.resize(rows, 1);
}

void MeanVarianceNorm::forward(const ConstMatRef &x, MatRef y)
{
    const Eigen::Index N = m_cache.y.rows();
    if (N == 0)
        throw ShapeError("MeanVarianceNorm::forward: call resize(N) first");
    requireShape(x, N, m_width, "MeanVarianceNorm::forward x");
    requireShape(y, N, m_width, "MeanVarianceNorm::forward y");
    Cache &c = m_cache;
    c.y = x; // normalised in the cache, then copied out (y may alias x)
    normalizeRows(c.y, c.invStd, m_eps); // eqs. (1)-(2), layernorm.h
    y = c.y;
}

void MeanVarianceNorm::backward(const ConstMatRef &dy, MatRef dx)
{
    // Differentiates y = (x - mu) / sqrt(var + eps) per row (LayerNorm's backward with gamma = 1):
    //   dx = invStd * (dy - mean_j(dy) - y * mean_j(dy * y))
    const Eigen::Index N = m_cache.y.rows();
    requireShape(dy, N, m_width, "MeanVarianceNorm::backward dy");
    requireShape(dx, N, m_width, "MeanVarianceNorm::backward dx");
    dx = dy; // dx may alias dy
    normalizeRowsBackward(dx, m_cache.y, m_cache.invStd, m_rowA, m_rowB); // layernorm.h
}

} // namespace attn
