// SPDX-License-Identifier: GPL-3.0-or-later
// Keras-style L2 regularisation term and its gradient (l2penalty.h).
#include "core/train/l2penalty.h"

#include <algorithm>
#include <cmath>

namespace attn {

L2Penalty::L2Penalty(double rate, const std::vector<ParamRef> &params,
                     const std::vector<std::string> &names)
    : m_rate(rate)
{
    if (!(rate >= 0.0) || !std::isfinite(rate))
        throw ConfigError("L2 regularisation: the rate must be a finite number >= 0, got " +
                          std::to_string(rate));
    if (rate == 0.0)
        return;
    for (const ParamRef &p : params)
        if (std::find(names.begin(), names.end(), p.name) != names.end())
            m_params.push_back(p);
}

double L2Penalty::value() const
{
    double sum = 0.0;
    for (const ParamRef &p : m_params)
        sum += double(p.value->squaredNorm());
    return m_rate * sum;
}

double L2Penalty::addGradient() const
{
    // d/dw (l sum w^2) = 2 l w, eq. (2).
    const Scalar factor = Scalar(2.0 * m_rate);
    for (const ParamRef &p : m_params)
        p.grad->array() += factor * p.value->array();
    return value();
}

} // namespace attn
