// SPDX-License-Identifier: GPL-3.0-or-later
// Tied decoder layer: forward and backward as single GEMMs with the encoder's weight.
#include "core/layers/tieddense.h"

namespace attn {

TiedDense::TiedDense(Dense &encoder)
    : m_encoder(encoder), m_bias(Mat::Zero(1, encoder.inputs())),
      m_biasGrad(Mat::Zero(1, encoder.inputs()))
{
}

void TiedDense::forward(const ConstMatRef &x, MatRef y) const
{
    requireShape(x, x.rows(), inputs(), "TiedDense::forward x");
    requireShape(y, x.rows(), outputs(), "TiedDense::forward y");
    y.noalias() = x * m_encoder.params().weight;
    y.rowwise() += m_bias.row(0);
}

void TiedDense::backward(const ConstMatRef &x, const ConstMatRef &dy, Mat *dx)
{
    // Differentiates y = x W + c:  dW += x^T dy (into the encoder's gradient),  dc += sum_n dy[n],
    // dx = dy W^T.
    requireShape(x, x.rows(), inputs(), "TiedDense::backward x");
    requireShape(dy, x.rows(), outputs(), "TiedDense::backward dy");
    m_encoder.grads().weight.noalias() += x.transpose() * dy;
    m_biasGrad.row(0) += dy.colwise().sum();
    if (dx) {
        requireShape(*dx, x.rows(), inputs(), "TiedDense::backward dx");
        dx->noalias() = dy * m_encoder.params().weight.transpose();
    }
}

void TiedDense::zeroGrad()
{
    m_biasGrad.setZero();
}

void TiedDense::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".bias", &m_bias, &m_biasGrad});
}

} // namespace attn
