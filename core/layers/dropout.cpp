// SPDX-License-Identifier: GPL-3.0-or-later
// Inverted dropout with a mask drawn from the model's seeded Rng.
#include "core/layers/dropout.h"

namespace attn {

Dropout::Dropout(double rate) : m_rate(rate)
{
    if (!(rate >= 0.0 && rate < 1.0))
        throw ConfigError("Dropout: rate must be in [0, 1)");
}

void Dropout::resize(Eigen::Index rows, Eigen::Index cols) { m_cache.mask.resize(rows, cols); }

void Dropout::forward(const ConstMatRef &x, MatRef y, Rng &rng, bool training)
{
    requireShape(x, m_cache.mask.rows(), m_cache.mask.cols(), "Dropout::forward x");
    requireShape(y, x.rows(), x.cols(), "Dropout::forward y");
    m_lastTraining = training && m_rate > 0.0;
    if (!m_lastTraining) {
        y = x;
        return;
    }
    const Scalar keep = Scalar(1.0 / (1.0 - m_rate));
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index c = 0; c < x.cols(); ++c)
            m_cache.mask(r, c) = rng.uniform() < m_rate ? Scalar(0) : keep;
    y.array() = x.array() * m_cache.mask.array();
}

void Dropout::backward(const ConstMatRef &dy, MatRef dx) const
{
    // Differentiates y = x * m:  dx = dy * m (dx = dy at evaluation time).
    requireShape(dy, m_cache.mask.rows(), m_cache.mask.cols(), "Dropout::backward dy");
    if (m_lastTraining)
        dx.array() = dy.array() * m_cache.mask.array();
    else
        dx = dy;
}

} // namespace attn
