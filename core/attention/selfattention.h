// SPDX-License-Identifier: GPL-3.0-or-later
// Multi-head scaled dot-product self-attention over the hidden states of each sequence, with
// optional causal (history-only) mask and window, pooled to one vector per sequence for the
// many-to-one tasks (Vaswani et al. 2017, "Attention Is All You Need", eq. 1 and section 3.2.2;
// the causal and window options of keras-self-attention):
//   (1) Q = hs W_q^T, K = hs W_k^T, V = hs W_v^T       W_q, W_k, W_v (H, H), no biases; (T*B, H)
//   (2) per sequence b and head k (columns k d_k .. (k+1) d_k - 1 of Q, K, V; d_k = H / K):
//       A = softmax_rows(Q_k K_k^T / sqrt(d_k) + M)    A (T, T): row t = query t, column s = key s
//       M[t, s] = 0 where key s is visible to query t, "minus infinity" elsewhere:
//         causal: s <= t;   window w > 0: |t - s| < w (with causal: t - w < s <= t);  the
//         diagonal is always visible, so no row is fully masked and masked weights are exactly 0
//   (3) C_t = concat_k (A V_k)_t                        C (T*B, H)
//   (4) y_t = C_t W_o^T                                 W_o (H, H), no bias
//   (5) out = (1/T) sum_t y_t = ((1/T) sum_t C_t) W_o^T  out (B, H): mean pooling over time
//       (pooled before the product with W_o, which is the same number and T times cheaper)
// weights() (B, T) is the attention each key position receives, averaged over queries and heads:
//   w[b, s] = 1/(K T) sum_k sum_t A_{b,k}[t, s], so each row sums to 1.
// With a padding mask (setMask, Keras mask_zero / PyTorch key_padding_mask): padding keys are
// invisible to every query (weight exactly 0), and the pooling of (5) and the average of
// weights() run over the L real query steps only: (1/L) sum_{real t}.
// A weight override w (setWeightOverride, counterfactual attention in core/explain) replaces
// every row of every head's map: A_{b,k}[t, :] = w[b, :] for every query t and head k, so that
// weights() is w again and out = (w V) W_o; the causal and window masks are not applied to it.
#pragma once

#include "core/attention/manytooneattention.h"
#include "core/tensor/rng.h"

namespace attn {

class SelfAttention : public ManyToOneAttention {
public:
    struct Params {
        Mat wQ; // (H, H) W_q of eq. (1)
        Mat wK; // (H, H) W_k of eq. (1)
        Mat wV; // (H, H) W_v of eq. (1)
        Mat wO; // (H, H) W_o of eq. (4)
    };
    using Grads = Params;
    struct Cache {
        Mat query;       // (T*B, H) Q of eq. (1), time-major
        Mat key;         // (T*B, H) K
        Mat value;       // (T*B, H) V
        Mat headWeights; // (K*B*T, T) A of eq. (2); row (k*B + b)*T + t = head k, sequence b, query t
        Mat concat;      // (T*B, H) C of eq. (3)
        Mat pooled;      // (B, H) (1/T) sum_t C_t
        Mat weights;     // (B, T) key weights averaged over queries and heads
    };
    /// Pass as `head` to headMap() for the mean over all heads.
    static constexpr int MeanOfHeads = -1;

    /// hidden H, heads K (d_k = H / K), causal mask on/off, window width w (0 = no window).
    /// Glorot-uniform W_q, W_k, W_v, W_o. Throws ConfigError (a std::invalid_argument) if
    /// hidden or heads < 1, window < 0, or H is not divisible by K.
    SelfAttention(int hidden, int heads, bool causal, int window, Rng &rng);

    /// Allocates caches and workspaces for T steps of B sequences and builds the (T, T) mask.
    /// Throws ShapeError if steps or batch < 1.
    void resize(int steps, int batch) override;
    /// hs (T*B, H) -> out (B, H), eqs. (1)-(5). Throws ShapeError on a mismatch or before resize().
    void forward(const ConstMatRef &hs, MatRef out) override;
    /// dOut (B, H) -> writes dL/dhs (T*B, H) into dHs; adds the gradients of W_q, W_k, W_v, W_o.
    void backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs) override;
    /// (B, T): attention received by each key position, mean over queries and heads; rows sum to 1.
    const Mat &weights() const override { return m_cache.weights; }
    /// Every head's T x T map for every sequence of the last forward, (K*B*T, T): the map of head
    /// k for sequence b is the row block starting at (k*B + b)*T; each row sums to 1.
    const Mat &headWeights() const { return m_cache.headWeights; }
    /// Copies the (T, T) map of head `head` (0..K-1, or MeanOfHeads for the mean over heads) for
    /// sequence `sequence` (0..B-1) of the last forward into out. Throws ShapeError if out is not
    /// (T, T) or sequence / head is out of range.
    void headMap(int sequence, int head, MatRef out) const;
    void zeroGrad() override;
    /// Appends "<prefix>.w_q", "<prefix>.w_k", "<prefix>.w_v", "<prefix>.w_o".
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out) override;
    int outputs() const override { return m_hidden; }
    int heads() const { return m_heads; }
    bool causal() const { return m_causal; }
    int window() const { return m_window; }

    Params &params() { return m_params; }
    const Grads &grads() const { return m_grads; }

private:
    int m_hidden;
    int m_heads;
    int m_headDim; // d_k
    bool m_causal;
    int m_window;
    int m_steps = 0;
    int m_batch = 0;
    Params m_params;
    Grads m_grads;
    Cache m_cache;
    Mat m_visible; // (T, T) 1 where M is 0, else 0; empty when nothing is masked
    Mat m_seqVisible; // (T, T) m_visible times sequence b's key padding mask
    Mat m_queryMask;  // (1, T) sequence b's real query steps (all 1 unmasked)
    Mat m_invLength;  // (B, 1) 1 / L, L = number of real steps (T unmasked)
    Mat m_dA;      // (T, T) dL/dA for one head and sequence
    Mat m_dScores; // (T, T) dL/d(scores)
    Mat m_dPooled; // (B, H)
    Mat m_dConcat; // (T*B, H)
    Mat m_dQuery;  // (T*B, H)
    Mat m_dKey;    // (T*B, H)
    Mat m_dValue;  // (T*B, H)
};

} // namespace attn
