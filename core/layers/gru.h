// SPDX-License-Identifier: GPL-3.0-or-later
// Single-layer GRU returning every hidden state, PyTorch conventions (gate order r, z, n;
// weight_ih (3H x F), weight_hh (3H x H), bias_ih, bias_hh) so weights load into torch.nn.GRU.
// Keras-style init like the LSTM's: Glorot-uniform input kernel, orthogonal recurrent kernel,
// zero biases (Keras' GRU with reset_after=True has the same two-bias form).
// Equations (Cho et al. 2014, "Learning Phrase Representations using RNN Encoder-Decoder",
// eqs. 5-8, in the reset-after form of the PyTorch docs):
//   (1) a_t = x_t W_ih^T + b_ih                   (B, 3H): [a_r, a_z, a_n]
//   (2) u_t = h_{t-1} W_hh^T + b_hh               (B, 3H): [u_r, u_z, u_n],  h_{-1} = 0
//   (3) r = sigmoid(a_r + u_r),  z = sigmoid(a_z + u_z)
//   (4) n = tanh(a_n + r * u_n)
//   (5) h_t = (1 - z) * n + z * h_{t-1}
// Optional dropout (Gal & Ghahramani 2016, as in lstm.h): in training, eq. (1) reads x_t * m_x
// and eq. (2) reads h_{t-1} * m_h (masks drawn once per sequence); eq. (5) keeps h_{t-1} itself.
#pragma once

#include "core/layers/recurrentlayer.h"
#include "core/tensor/rng.h"
#include "core/tensor/tensor.h"

namespace attn {

class Gru : public RecurrentLayer {
public:
    /// The cell's own cache; the activated r, z, n of eqs. (3)-(4) are
    /// cache().gateActivations (T*B, 3H).
    struct CellCache {
        Mat recurrentN; // (T*B, H) u_n of eq. (2), needed for dL/dr
    };

    /// inputs F, hidden H, dropout rates p_x (inputs) and p_h (recurrent state), each in [0, 1).
    /// Throws ConfigError if inputs or hidden < 1 or a rate is outside [0, 1).
    Gru(int inputs, int hidden, Rng &rng, double inputDropout = 0.0, double recurrentDropout = 0.0);

    const CellCache &cellCache() const { return m_cellCache; }

protected:
    void resizeCell(Eigen::Index rows, Eigen::Index batch) override;
    /// Eqs. (2)-(5) for step t; a_t of eq. (1) is already in the activations.
    void stepForward(Eigen::Index t, MatRef h) override;
    /// Differentiates eqs. (1)-(5) at step t into m_dInput (da_t) and m_dRecurrent (du_t).
    void stepBackward(Eigen::Index t, const ConstMatRef &h, const ConstMatRef &dhStep,
                      Mat &dhPrev) override;

private:
    CellCache m_cellCache;
    Mat m_recurrentStep; // (B, 3H) u_t of eq. (2)
    Mat m_dnPre;         // (B, H) backward workspace: dL/d(a_n + r * u_n)
};

} // namespace attn
