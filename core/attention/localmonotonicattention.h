// SPDX-License-Identifier: GPL-3.0-or-later
// Many-to-one local attention, Luong's "local-m" (monotonic) variant: the window is fixed by the
// position of the query, not predicted (Luong, Pham & Manning 2015, "Effective Approaches to
// Attention-based NMT", sec. 3.2, with the general score of eq. 8). For target step t local-m
// sets p_t = t; a many-to-one model has one target, at the last step, so p = T - 1 (0-based)
// and the window is [p - D, p], cut at the first step:
//   (1) e_s = h_T^T W_a h_s                             W_a (H, H); e (B, T)
//   (2) a = softmax over the window of e: steps s with p - D <= s <= p; a_s = 0 outside  (B, T)
//   (3) c = sum_s a_s h_s;  out = tanh([c; h_T] W_c^T)  (see attentionreadout.h)
// Inside the window the weights are the plain softmax of (2) (local-m has no Gaussian), so each
// row sums to 1. With a padding mask the window is the last D + 1 REAL steps of each row (the
// recurrent layer carries its state through padding, so h_T is the last real step's state);
// padding steps get exactly 0. It is LuongAttention (general score) with the window as its mask.
#pragma once

#include "core/attention/luongattention.h"

namespace attn {

class LocalMonotonicAttention : public ManyToOneAttention {
public:
    /// hidden H, units U of the output, window D (the window holds the last D + 1 steps).
    /// Glorot-uniform W_a and W_c. Throws ConfigError if hidden, units or window < 1.
    LocalMonotonicAttention(int hidden, int units, int window, Rng &rng);

    /// Allocates caches and workspaces for T steps of B sequences. Throws ShapeError if < 1.
    void resize(int steps, int batch) override;
    /// hs (T*B, H) -> out (B, U), eqs. (1)-(3). Throws ShapeError on a mismatch or before resize().
    void forward(const ConstMatRef &hs, MatRef out) override;
    /// dOut (B, U) -> writes dL/dhs (T*B, H) into dHs; adds the gradients of W_a and W_c.
    void backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs) override;
    /// a of eq. (2), (B, T): 0 outside the window and on padding; each row sums to 1.
    const Mat &weights() const override { return m_inner.weights(); }
    /// The window of the last forward, (B, T): 1 inside [p - D, p] (real steps), 0 elsewhere.
    const Mat &window() const { return m_window; }
    void zeroGrad() override { m_inner.zeroGrad(); }
    /// Appends "<prefix>.weight" (W_a) and the readout's "<prefix>.weight_c".
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out) override;
    int outputs() const override { return m_inner.outputs(); }
    int windowSize() const { return m_windowD; }

private:
    /// Writes the window of eq. (2) for the current padding mask into m_window.
    void buildWindow();

    int m_hidden;
    int m_windowD; // D
    int m_steps = 0;
    int m_batch = 0;
    LuongAttention m_inner; // general score and readout; its mask is the window
    Mat m_window;           // (B, T) 1 inside the window, 0 elsewhere
};

} // namespace attn
