// SPDX-License-Identifier: GPL-3.0-or-later
// Multi-head scaled dot-product self-attention over a whole sequence, one output per time step:
// the attention sublayer of a Transformer encoder (Vaswani et al. 2017, "Attention Is All You
// Need", eq. 1 and sec. 3.2.2), with torch.nn.MultiheadAttention's packed parameters
// (in_proj_weight = [W_q; W_k; W_v], in_proj_bias, out_proj) and key_padding_mask:
//   (1) [Q K V] = x W_in^T + b_in           W_in (3D, D), b_in (1, 3D); Q, K, V (T*B, D) each
//   (2) per sequence b and head k (columns k d_k .. (k+1) d_k - 1 of Q, K, V; d_k = D / K):
//       A = softmax_rows(Q_k K_k^T / sqrt(d_k))   A (T, T): row t = query t, column s = key s;
//       padding keys (setMask) are left out: weight exactly 0
//   (3) C_t = concat_k (A V_k)_t                C (T*B, D)
//   (4) y = C W_o^T + b_o                       W_o (D, D), b_o (1, D); y (T*B, D)
// Unlike selfattention.h it does not pool: it maps (T*B, D) to (T*B, D).
#pragma once

#include "core/tensor/rng.h"
#include "core/tensor/tensor.h"

#include <string>
#include <vector>

namespace attn {

class MultiHeadAttention {
public:
    struct Params {
        Mat inWeight;  // (3D, D) W_in of eq. (1): rows [W_q; W_k; W_v]
        Mat inBias;    // (1, 3D) b_in
        Mat outWeight; // (D, D) W_o of eq. (4)
        Mat outBias;   // (1, D) b_o
    };
    using Grads = Params;
    struct Cache {
        Mat qkv;         // (T*B, 3D) [Q K V] of eq. (1), time-major
        Mat headWeights; // (K*B*T, T) A of eq. (2); row (k*B + b)*T + t = head k, sequence b, query t
        Mat concat;      // (T*B, D) C of eq. (3)
    };

    /// width D, heads K (d_k = D / K). Glorot-uniform W_in (over D and 3D, as PyTorch's
    /// xavier_uniform_) and W_o, zero biases. Throws ConfigError if D or K < 1 or K does not divide D.
    MultiHeadAttention(int width, int heads, Rng &rng);

    /// Allocates caches and workspaces for T steps of B sequences. ShapeError if < 1.
    void resize(int steps, int batch);
    /// Key padding mask (B, T), 1 = real step, 0 = padding, or an empty matrix (every step real).
    /// Each row needs at least one real step. Shape checked by forward (ShapeError).
    void setMask(const ConstMatRef &mask);
    /// x (T*B, D) -> y (T*B, D), eqs. (1)-(4). ShapeError on a mismatch or before resize().
    void forward(const ConstMatRef &x, MatRef y);
    /// dy (T*B, D) -> writes dL/dx (T*B, D) into dx; adds the gradients of W_in, b_in, W_o, b_o.
    void backward(const ConstMatRef &x, const ConstMatRef &dy, MatRef dx);
    /// Copies the (T, T) map of head `head` (0..K-1) for sequence `sequence` of the last forward
    /// into out. ShapeError if out is not (T, T) or an index is out of range.
    void headMap(int sequence, int head, MatRef out) const;
    void zeroGrad();
    /// Appends "<prefix>.in_proj_weight", ".in_proj_bias", ".out_proj.weight", ".out_proj.bias".
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out);
    int width() const { return m_width; }
    int heads() const { return m_heads; }

    Params &params() { return m_params; }
    const Grads &grads() const { return m_grads; }
    const Cache &cache() const { return m_cache; }

private:
    int m_width;
    int m_heads;
    int m_headDim; // d_k
    int m_steps = 0;
    int m_batch = 0;
    Params m_params;
    Grads m_grads;
    Cache m_cache;
    Mat m_mask;       // (B, T) key padding mask, empty = none
    Mat m_seqVisible; // (T, T) sequence b's visible keys (every row the same)
    Mat m_dA;         // (T, T) dL/dA for one head and sequence
    Mat m_dScores;    // (T, T)
    Mat m_dConcat;    // (T*B, D)
    Mat m_dQkv;       // (T*B, 3D)
};

} // namespace attn
