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

void Sgd::stepPart(const std::vector<ParamRef> &params, long long, int part, int parts)
{
    if (params.size() != m_velocity.size())
        throw ShapeError("Sgd::step: parameter list changed since construction");
    const Scalar lr = Scalar(m_learningRate), mu = Scalar(m_momentum);
    for (std::size_t k = 0; k < params.size(); ++k) {
        const auto [begin, end] = partRange(m_velocity[k].size(), part, parts);
        auto u = flatPart(m_velocity[k], begin, end);
        u = mu * u + flatPart(*params[k].grad, begin, end);
        flatPart(*params[k].value, begin, end) -= lr * u;
    }
}

} // namespace attn
