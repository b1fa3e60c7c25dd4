// SPDX-License-Identifier: GPL-3.0-or-later
// Sinusoidal positional encoding added to the inputs of a Transformer encoder (Vaswani et al.
// 2017, "Attention Is All You Need", sec. 3.5), time step t = 0..T-1 as the position:
//   (1) PE[t, 2i] = sin(t / 10000^(2i / D)),  PE[t, 2i + 1] = cos(t / 10000^(2i / D))   PE (T, D)
//   (2) y_t = x_t + PE[t]        x, y (T*B, D) time-major: row t*B + b is step t of sequence b
// No parameters; the backward is the identity, dx = dy.
#pragma once

#include "core/tensor/tensor.h"

namespace attn {

class PositionalEncoding {
public:
    /// width D. Throws ConfigError if width < 1.
    explicit PositionalEncoding(int width);
    /// Builds the (T, D) table of eq. (1) for T steps of B sequences. ShapeError if < 1.
    void resize(int steps, int batch);
    /// x (T*B, D) -> y (T*B, D), eq. (2); y may alias x. ShapeError on a mismatch or before resize.
    void forward(const ConstMatRef &x, MatRef y) const;
    /// dy (T*B, D) -> dx (T*B, D) = dy; dx may alias dy.
    void backward(const ConstMatRef &dy, MatRef dx) const;
    /// The table PE (T, D) of eq. (1).
    const Mat &table() const { return m_table; }
    int width() const { return m_width; }

private:
    int m_width;
    int m_batch = 0;
    Mat m_table; // (T, D)
};

} // namespace attn
