// SPDX-License-Identifier: GPL-3.0-or-later
// SGD update with optional momentum, state laid out like the parameters.
#include "core/train/sgd.h"

namespace attn {

Sgd::Sgd(const std::vector<ParamRef> &params, double lr, double momentum)
    : Optimizer(lr), m_momentum(momentum)
{
    for (const ParamRef &p : params)
        m_velocity.push_back(Mat::Zero(p.value->rows(), p.value->cols()));
}

void Sgd::step(const std::vector<ParamRef> &params, long long)
{
    if (params.size() != m_velocity.size())
        throw ShapeError("Sgd::step: parameter list changed since construction");
    const Scalar lr = Scalar(m_learningRate), mu = Scalar(m_momentum);
    for (std::size_t k = 0; k < params.size(); ++k) {
        m_velocity[k] = mu * m_velocity[k] + *params[k].grad;
        *params[k].value -= lr * m_velocity[k];
    }
}

} // namespace attn
