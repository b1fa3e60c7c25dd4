// SPDX-License-Identifier: GPL-3.0-or-later
// Single-layer LSTM returning every hidden state, PyTorch conventions (gate order i, f, g, o;
// weight_ih (4H x F), weight_hh (4H x H), bias_ih, bias_hh) so weights load into torch.nn.LSTM.
// Keras default init: Glorot-uniform input kernel, orthogonal recurrent kernel, forget bias 1.
// Equations (Hochreiter & Schmidhuber 1997 with forget gate, Gers et al. 2000; PyTorch docs):
//   (1) z_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh            z_t (B, 4H), h_{-1} = 0
//   (2) i = sigmoid(z[:, 0:H]), f = sigmoid(z[:, H:2H]), g = tanh(z[:, 2H:3H]), o = sigmoid(z[:, 3H:4H])
//   (3) c_t = f * c_{t-1} + i * g                                    c_{-1} = 0
//   (4) h_t = o * tanh(c_t)
// Optional dropout (Gal & Ghahramani 2016, "A Theoretically Grounded Application of Dropout in
// Recurrent Neural Networks", sec. 4; Keras' dropout / recurrent_dropout): in training, eq. (1)
// reads x_t * m_x and h_{t-1} * m_h, with masks m_x (B, F) and m_h (B, H) of inverted-dropout
// factors (0 or 1/(1-p)) drawn once per sequence and shared by every step and all four gates.
#pragma once

#include "core/layers/recurrentlayer.h"
#include "core/tensor/rng.h"
#include "core/tensor/tensor.h"

namespace attn {

class Lstm : public RecurrentLayer {
public:
    /// The cell's own cache; the activated gates i, f, g, o of eq. (2) are
    /// cache().gateActivations (T*B, 4H).
    struct CellCache {
        Mat cell;     // (T*B, H) c_t of eq. (3)
        Mat tanhCell; // (T*B, H) tanh(c_t)
    };

    /// inputs F, hidden H, dropout rates p_x (inputs) and p_h (recurrent state), each in [0, 1).
    /// Throws ConfigError if inputs or hidden < 1 or a rate is outside [0, 1).
    Lstm(int inputs, int hidden, Rng &rng, double inputDropout = 0.0, double recurrentDropout = 0.0);

    const CellCache &cellCache() const { return m_cellCache; }

protected:
    void resizeCell(Eigen::Index rows, Eigen::Index batch) override;
    /// Eqs. (1)-(4) for step t; the input part of eq. (1) is already in the activations.
    void stepForward(Eigen::Index t, MatRef h) override;
    /// Differentiates eqs. (1)-(4) at step t; dz_t goes to m_dInput (one buffer: z = a + u).
    void stepBackward(Eigen::Index t, const ConstMatRef &h, const ConstMatRef &dhStep,
                      Mat &dhPrev) override;
    /// Padding: c_t = c_{t-1} (0 at t = 0) for row b.
    void carryCellState(Eigen::Index t, Eigen::Index b) override;

private:
    CellCache m_cellCache;
    // Backward workspaces.
    Mat m_dcNext; // (B, H) dL/dc_t arriving from step t+1
    Mat m_dcStep; // (B, H) total dL/dc_t
    Mat m_dcCarry; // (B, H) the part of dL/dc_t carried to c_{t-1} through padding
};

} // namespace attn
