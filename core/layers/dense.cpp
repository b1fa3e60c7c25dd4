// SPDX-License-Identifier: GPL-3.0-or-later
// Fully connected layer: forward and backward as single GEMMs over all N rows.
#include "core/layers/dense.h"

#include "core/tensor/init.h"

namespace attn {

Dense::Dense(int inputs, int outputs, bool useBias, Rng &rng)
{
    if (inputs < 1 || outputs < 1)
        throw ConfigError("Dense: inputs and outputs must be >= 1");
    m_params.weight.resize(outputs, inputs);
    glorotUniform(m_params.weight, inputs, outputs, rng);
    if (useBias)
        m_params.bias = Mat::Zero(1, outputs);
    m_grads.weight = Mat::Zero(outputs, inputs);
    m_grads.bias = Mat::Zero(m_params.bias.rows(), m_params.bias.cols());
}

void Dense::forward(const ConstMatRef &x, MatRef y) const
{
    requireShape(x, x.rows(), inputs(), "Dense::forward x");
    requireShape(y, x.rows(), outputs(), "Dense::forward y");
    y.noalias() = x * m_params.weight.transpose();
    if (m_params.bias.size() > 0)
        y.rowwise() += m_params.bias.row(0);
}

void Dense::backward(const ConstMatRef &x, const ConstMatRef &dy, Mat *dx)
{
    // Differentiates y = x W^T + b:  dW += dy^T x,  db += sum_n dy[n],  dx = dy W.
    requireShape(x, x.rows(), inputs(), "Dense::backward x");
    requireShape(dy, x.rows(), outputs(), "Dense::backward dy");
    m_grads.weight.noalias() += dy.transpose() * x;
    if (m_grads.bias.size() > 0)
        m_grads.bias.row(0) += dy.colwise().sum();
    if (dx) {
        requireShape(*dx, x.rows(), inputs(), "Dense::backward dx");
        dx->noalias() = dy * m_params.weight;
    }
}

void Dense::zeroGrad()
{
    m_grads.weight.setZero();
    m_grads.bias.setZero();
}

void Dense::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".weight", &m_params.weight, &m_grads.weight});
    if (m_params.bias.size() > 0)
        out.push_back({prefix + ".bias", &m_params.bias, &m_grads.bias});
}

} // namespace attn
