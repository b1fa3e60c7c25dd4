// SPDX-License-Identifier: GPL-3.0-or-later
// The position-wise feed-forward sublayer of a Transformer encoder (Vaswani et al. 2017,
// sec. 3.3, eq. 2), applied to every row alike; torch.nn.TransformerEncoderLayer's linear1 and
// linear2 (Glorot-uniform weights here, zero biases as in dense.h):
//   (1) u = x W_1^T + b_1            W_1 (F', D), b_1 (1, F'); u (N, F'), F' the inner width
//   (2) r = max(0, u)                ReLU
//   (3) y = r W_2^T + b_2            W_2 (D, F'), b_2 (1, D); y (N, D)
#pragma once

#include "core/layers/dense.h"

namespace attn {

class FeedForward {
public:
    struct Cache {
        Mat hidden; // (N, F') r of eq. (2)
    };
    /// width D, inner width F'. Throws ConfigError if either < 1.
    FeedForward(int width, int inner, Rng &rng);
    /// Allocates the cache and workspaces for N rows (no-op if unchanged). ShapeError if N < 1.
    void resize(Eigen::Index rows);
    /// x (N, D) -> y (N, D), eqs. (1)-(3). ShapeError on a mismatch or before resize().
    void forward(const ConstMatRef &x, MatRef y);
    /// dy (N, D) -> writes dL/dx (N, D) into dx; adds the gradients of W_1, b_1, W_2, b_2.
    void backward(const ConstMatRef &x, const ConstMatRef &dy, Mat &dx);
    void zeroGrad();
    /// Appends "<prefix>.linear1.weight", ".linear1.bias", ".linear2.weight", ".linear2.bias".
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out);
    int width() const { return m_linear2.outputs(); }
    int inner() const { return m_linear1.outputs(); }
    Dense &linear1() { return m_linear1; }
    Dense &linear2() { return m_linear2; }

private:
    Dense m_linear1;
    Dense m_linear2;
    Cache m_cache;
    Mat m_dHidden; // (N, F')
};

} // namespace attn
