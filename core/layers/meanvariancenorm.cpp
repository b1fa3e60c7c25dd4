// SPDX-License-Identifier: GPL-3.0-or-later
// Mean-variance normalisation per row (LayerNorm without gain and bias): forward keeps the
// normalised output, backward runs through the row mean and variance.
#include "core/layers/meanvariancenorm.h"

#include <cmath>

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
    const Scalar invD = Scalar(1) / Scalar(m_width);
    Cache &c = m_cache;
    c.y = x; // eqs. (1)-(2), row by row in the cache (y may alias x)
    for (Eigen::Index n = 0; n < N; ++n) {
        const Scalar mu = c.y.row(n).sum() * invD;
        c.y.row(n).array() -= mu;
        const Scalar var = c.y.row(n).squaredNorm() * invD;
        c.invStd(n, 0) = Scalar(1) / std::sqrt(var + m_eps);
        c.y.row(n) *= c.invStd(n, 0);
    }
    y = c.y;
}

void MeanVarianceNorm::backward(const ConstMatRef &dy, MatRef dx)
{
    // Differentiates y = (x - mu) / sqrt(var + eps) per row (LayerNorm's backward with gamma = 1):
    //   dx = invStd * (dy - mean_j(dy) - y * mean_j(dy * y))
    const Eigen::Index N = m_cache.y.rows();
    requireShape(dy, N, m_width, "MeanVarianceNorm::backward dy");
    requireShape(dx, N, m_width, "MeanVarianceNorm::backward dx");
    const Scalar invD = Scalar(1) / Scalar(m_width);
    const Cache &c = m_cache;
    m_rowA = dy.rowwise().sum() * invD;
    m_rowB = (dy.array() * c.y.array()).rowwise().sum().matrix() * invD;
    dx = dy; // dx may alias dy: both row sums are taken already
    dx.colwise() -= m_rowA.col(0);
    dx.array() -= c.y.array().colwise() * m_rowB.col(0).array();
    dx.array().colwise() *= c.invStd.col(0).array();
}

} // namespace attn
