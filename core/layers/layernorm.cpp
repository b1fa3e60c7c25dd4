// SPDX-License-Identifier: GPL-3.0-or-later
// Layer normalisation (Ba et al. 2016): row statistics, normalise, scale and shift; backward
// through the row mean and variance.
#include "core/layers/layernorm.h"

#include <cmath>

namespace attn {

void normalizeRows(MatRef xhat, MatRef invStd, Scalar eps)
{
    const Scalar invD = Scalar(1) / Scalar(xhat.cols());
    for (Eigen::Index n = 0; n < xhat.rows(); ++n) {
        const Scalar mu = xhat.row(n).sum() * invD;
        xhat.row(n).array() -= mu;
        const Scalar var = xhat.row(n).squaredNorm() * invD;
        invStd(n, 0) = Scalar(1) / std::sqrt(var + eps);
        xhat.row(n) *= invStd(n, 0);
    }
}

void normalizeRowsBackward(MatRef dxhat, const ConstMatRef &xhat, const ConstMatRef &invStd, Mat &rowA,
                           Mat &rowB)
{
    const Scalar invD = Scalar(1) / Scalar(xhat.cols());
    rowA = dxhat.rowwise().sum() * invD;
    rowB = (dxhat.array() * xhat.array()).rowwise().sum().matrix() * invD;
    dxhat.colwise() -= rowA.col(0);
    dxhat.array() -= xhat.array().colwise() * rowB.col(0).array();
    dxhat.array().colwise() *= invStd.col(0).array();
}

LayerNorm::LayerNorm(int width, double eps) : m_eps(Scalar(eps))
{
    if (width < 1)
        throw ConfigError("LayerNorm: width must be >= 1");
    if (!(eps > 0.0))
        throw ConfigError("LayerNorm: eps must be > 0");
    m_params.gamma = Mat::Ones(1, width);
    m_params.beta = Mat::Zero(1, width);
    m_grads.gamma = Mat::Zero(1, width);
    m_grads.beta = Mat::Zero(1, width);
}

void LayerNorm::resize(Eigen::Index rows)
{
    if (rows < 1)
        throw ShapeError("LayerNorm::resize: rows must be >= 1");
    if (m_cache.xhat.rows() == rows)
        return;
    m_cache.xhat.resize(rows, width());
    m_cache.invStd.resize(rows, 1);
    m_dXhat.resize(rows, width());
    m_rowA.resize(rows, 1);
    m_rowB.resize(rows, 1);
}

void LayerNorm::forward(const ConstMatRef &x, MatRef y)
{
    const Eigen::Index N = m_cache.xhat.rows();
    if (N == 0)
        throw ShapeError("LayerNorm::forward: call resize(N) first");
    requireShape(x, N, width(), "LayerNorm::forward x");
    requireShape(y, N, width(), "LayerNorm::forward y");
    Cache &c = m_cache;
    c.xhat = x;
    normalizeRows(c.xhat, c.invStd, m_eps); // eqs. (1)-(2)
    y.array() = c.xhat.array().rowwise() * m_params.gamma.row(0).array(); // eq. (3)
    y.rowwise() += m_params.beta.row(0);
}

void LayerNorm::backward(const ConstMatRef &dy, MatRef dx)
{
    // Differentiates y = xhat gamma + beta, xhat = (x - mu) / sqrt(var + eps), per row:
    //   dgamma += sum_n dy * xhat;  dbeta += sum_n dy;  dxhat = dy * gamma
    //   dx = invStd * (dxhat - mean_j(dxhat) - xhat * mean_j(dxhat * xhat))
    const Eigen::Index N = m_cache.xhat.rows();
    requireShape(dy, N, width(), "LayerNorm::backward dy");
    requireShape(dx, N, width(), "LayerNorm::backward dx");
    const Cache &c = m_cache;
    m_grads.gamma.row(0) += (dy.array() * c.xhat.array()).colwise().sum().matrix();
    m_grads.beta.row(0) += dy.colwise().sum();
    m_dXhat.array() = dy.array().rowwise() * m_params.gamma.row(0).array();
    normalizeRowsBackward(m_dXhat, c.xhat, c.invStd, m_rowA, m_rowB);
    dx = m_dXhat;
}

void LayerNorm::zeroGrad()
{
    m_grads.gamma.setZero();
    m_grads.beta.setZero();
}

void LayerNorm::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".weight", &m_params.gamma, &m_grads.gamma});
    out.push_back({prefix + ".bias", &m_params.beta, &m_grads.beta});
}

} // namespace attn
