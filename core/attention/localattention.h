// SPDX-License-Identifier: GPL-3.0-or-later
// Many-to-one local attention, Luong's "local-p" variant: the layer predicts a centre position p
// from the query h_T and multiplies the general-score weights by a Gaussian around p
// (Luong, Pham & Manning 2015, "Effective Approaches to Attention-based NMT", eqs. 9-10 with the
// general score of eq. 8):
//   (1) p = T * sigmoid(v_p^T tanh(W_p h_T))          W_p (A, H), v_p (1, A), A = H; p (B, 1)
//       with a padding mask: p = first + L * sigmoid(...), over the L real steps from the first
//       real step (0-based index `first`); padding steps get content weight exactly 0 in (2)
//   (2) w_s = softmax_s(h_T^T W_a h_s)                 W_a (H, H), content weights w (B, T)
//   (3) a_s = w_s * exp(-(s - p)^2 / (2 sigma^2)), sigma = D / 2, a (B, T)
//   (4) c = sum_s a_s h_s;  out = tanh([c; h_T] W_c^T)  (see attentionreadout.h)
// Positions s are numbered 1..T as in the paper (time step j = 0..T-1 has s = j + 1), so the
// centre p in (0, T) can sit on any step. The Gaussian is applied over all T steps (no hard cut
// at p +- D): at |s - p| = D it has fallen to exp(-2); the layer stays differentiable in p.
// NOT renormalised, exactly as in the paper: the weights of (3) are what the context of (4) uses
// and what weights() returns, so for THIS layer the rows of weights() sum to a value in (0, 1]
// (1 only when the Gaussian is 1 wherever w has mass), not to 1 as the interface states
// for the other layers.
#pragma once

#include "core/attention/attentionreadout.h"
#include "core/attention/manytooneattention.h"

namespace attn {

class LocalAttention : public ManyToOneAttention {
public:
    struct Params {
        Mat wP;    // (A, H) W_p of eq. (1)
        Mat vP;    // (1, A) v_p of eq. (1)
        Mat wA;    // (H, H) W_a of eq. (2)
    };
    using Grads = Params;
    struct Cache {
        Mat positionHidden; // (B, A) tanh(h_T W_p^T)
        Mat centre;         // (B, 1) p of eq. (1)
        Mat queryW;         // (B, H) h_T^T W_a
        Mat scores;         // (B, T) h_T^T W_a h_s
        Mat contentWeights; // (B, T) w of eq. (2)
        Mat gauss;          // (B, T) exp(-(s - p)^2 / (2 sigma^2))
        Mat weights;        // (B, T) a of eq. (3)
    };

    /// hidden H, units U of the output, window half-width D (sigma = D / 2). Glorot-uniform
    /// W_p, v_p, W_a and W_c. Throws ConfigError if hidden, units or halfWidth < 1.
    LocalAttention(int hidden, int units, int halfWidth, Rng &rng);

    /// Allocates caches and workspaces for T steps of B sequences. Throws ShapeError if < 1.
    void resize(int steps, int batch) override;
    /// hs (T*B, H) -> out (B, U), eqs. (1)-(4). Throws ShapeError on a mismatch or before resize().
    void forward(const ConstMatRef &hs, MatRef out) override;
    /// dOut (B, U) -> writes dL/dhs (T*B, H) into dHs (through the context, the score and the
    /// predicted centre p); adds the parameter gradients.
    void backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs) override;
    /// a of eq. (3), (B, T): NOT renormalised, each row sums to a value in (0, 1] (see above).
    const Mat &weights() const override { return m_cache.weights; }
    /// The predicted centres p of eq. (1), (B, 1), on the 1..T position scale.
    const Mat &centres() const { return m_cache.centre; }
    void zeroGrad() override;
    /// Appends "<prefix>.w_p", "<prefix>.v_p", "<prefix>.w_a" and the readout's "<prefix>.weight_c".
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out) override;
    int outputs() const override { return m_readout.units(); }
    int halfWidth() const { return m_halfWidth; }

    Params &params() { return m_params; }
    const Grads &grads() const { return m_grads; }

private:
    int m_hidden;
    int m_inner;
    int m_halfWidth;
    Scalar m_sigma;
    int m_steps = 0;
    int m_batch = 0;
    Params m_params;
    Grads m_grads;
    Cache m_cache;
    AttentionReadout m_readout;
    Mat m_positions;      // (1, T) 1, 2, ..., T
    Mat m_positionLogit;  // (B, 1) v_p^T tanh(W_p h_T)
    Mat m_offset;         // (B, 1) index of the first real step (0 unmasked)
    Mat m_length;         // (B, 1) L, the number of real steps (T unmasked)
    Mat m_dWeights;       // (B, T) dL/da
    Mat m_dContentWeights; // (B, T) dL/dw
    Mat m_dScores;        // (B, T) dL/de
    Mat m_dQueryW;        // (B, H)
    Mat m_dLogit;         // (B, 1) dL/d(v_p^T tanh(W_p h_T))
    Mat m_dPositionPre;   // (B, A) dL/d(W_p h_T)
};

} // namespace attn
