// SPDX-License-Identifier: GPL-3.0-or-later
// Adam update over every parameter, state laid out like the parameters.
#include "core/train/adam.h"

#include <cmath>

namespace attn {

Adam::Adam(const std::vector<ParamRef> &params, double lr, double beta1, double beta2,
           double epsilon)
    : Optimizer(lr), m_beta1(beta1), m_beta2(beta2), m_epsilon(epsilon)
{
    for (const ParamRef &p : params) {
        m_m.push_back(Mat::Zero(p.value->rows(), p.value->cols()));
        m_v.push_back(Mat::Zero(p.value->rows(), p.value->cols()));
    }
}

void Adam::stepPart(const std::vector<ParamRef> &params, long long step, int part, int parts)
{
    if (params.size() != m_m.size())
        throw ShapeError("Adam::step: parameter list changed since construction");
    const Scalar b1 = Scalar(m_beta1), b2 = Scalar(m_beta2);
    const Scalar c1 = Scalar(1.0 / (1.0 - std::pow(m_beta1, double(step))));
    const Scalar c2 = Scalar(1.0 / (1.0 - std::pow(m_beta2, double(step))));
    const Scalar lr = Scalar(m_learningRate), eps = Scalar(m_epsilon);
    for (std::size_t k = 0; k < params.size(); ++k) {
        const auto [begin, end] = partRange(m_m[k].size(), part, parts);
        const auto g = flatPart(*params[k].grad, begin, end);
        auto m = flatPart(m_m[k], begin, end), v = flatPart(m_v[k], begin, end);
        m = b1 * m + (Scalar(1) - b1) * g;
        v = b2 * v + (Scalar(1) - b2) * g.square();
        // eps is added after the square root, as in the paper, so it bounds the step size.
        flatPart(*params[k].value, begin, end) -= lr * (m * c1) / ((v * c2).sqrt() + eps);
    }
}

} // namespace attn
