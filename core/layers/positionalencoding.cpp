// SPDX-License-Identifier: GPL-3.0-or-later
// The sinusoidal positional encoding table (Vaswani et al. 2017, sec. 3.5) and its addition to
// every time step of a time-major batch.
#include "core/layers/positionalencoding.h"

#include <cmath>

namespace attn {

PositionalEncoding::PositionalEncoding(int width) : m_width(width)
{
    if (width < 1)
        throw ConfigError("PositionalEncoding: width must be >= 1");
}

void PositionalEncoding::resize(int steps, int batch)
{
    if (steps < 1 || batch < 1)
        throw ShapeError("PositionalEncoding::resize: steps and batch must be >= 1");
    m_batch = batch;
    if (m_table.rows() == steps)
        return;
    m_table.resize(steps, m_width);
    for (int t = 0; t < steps; ++t)
        for (int j = 0; j < m_width; ++j) {
            const int i2 = j - j % 2; // 2i of eq. (1)
            const double angle = double(t) / std::pow(10000.0, double(i2) / double(m_width));
            m_table(t, j) = Scalar(j % 2 == 0 ? std::sin(angle) : std::cos(angle));
        }
}

void PositionalEncoding::forward(const ConstMatRef &x, MatRef y) const
{
    if (m_batch == 0)
        throw ShapeError("PositionalEncoding::forward: call resize(T, B) first");
    const Eigen::Index T = m_table.rows(), B = m_batch;
    requireShape(x, T * B, m_width, "PositionalEncoding::forward x");
    requireShape(y, T * B, m_width, "PositionalEncoding::forward y");
    for (Eigen::Index t = 0; t < T; ++t)
        y.middleRows(t * B, B) = x.middleRows(t * B, B).rowwise() + m_table.row(t);
}

void PositionalEncoding::backward(const ConstMatRef &dy, MatRef dx) const
{
    // Differentiates y_t = x_t + PE[t]: the table is a constant, so dx = dy.
    const Eigen::Index rows = m_table.rows() * m_batch;
    requireShape(dy, rows, m_width, "PositionalEncoding::backward dy");
    requireShape(dx, rows, m_width, "PositionalEncoding::backward dx");
    if (dx.data() != dy.data())
        dx = dy;
}

} // namespace attn
