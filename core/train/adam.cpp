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

void Adam::step(const std::vector<ParamRef> &params, long long step)
{
    if (params.size() != m_m.size())
        throw ShapeError("Adam::step: parameter list changed since construction");
    const Scalar b1 = Scalar(m_beta1), b2 = Scalar(m_beta2);
    const Scalar c1 = Scalar(1.0 / (1.0 - std::pow(m_beta1, double(step))));
    const Scalar c2 = Scalar(1.0 / (1.0 - std::pow(m_beta2, double(step))));
    const Scalar lr = Scalar(m_learningRate), eps = Scalar(m_epsilon);
    for (std::size_t k = 0; k < params.size(); ++k) {
        const Mat &g = *params[k].grad;
        m_m[k].array() = b1 * m_m[k].array() + (Scalar(1) - b1) * g.array();
        m_v[k].array() = b2 * m_v[k].array() + (Scalar(1) - b2) * g.array().square();
        // eps is added after the square root, as in the paper, so it bounds the step size.
        params[k].value->array() -=
            lr * (m_m[k].array() * c1) / ((m_v[k].array() * c2).sqrt() + eps);
    }
}

} // namespace attn
