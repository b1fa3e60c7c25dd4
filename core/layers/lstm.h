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

#include <string>
#include <vector>

namespace attn {

class Lstm : public RecurrentLayer {
public:
    struct Params {
        Mat weightIh; // (4H, F)
        Mat weightHh; // (4H, H)
        Mat biasIh;   // (1, 4H)
        Mat biasHh;   // (1, 4H)
    };
    using Grads = Params;
    struct Cache {
        Mat gates;    // (T*B, 4H) activated gates i, f, g, o of eq. (2)
        Mat cell;     // (T*B, H) c_t of eq. (3)
        Mat tanhCell; // (T*B, H) tanh(c_t)
        Mat maskX;    // (B, F) m_x of the last training forward (empty if inputDropout = 0)
        Mat maskH;    // (B, H) m_h of the last training forward (empty if recurrentDropout = 0)
        Mat xDropped; // (T*B, F) x_t * m_x (empty if inputDropout = 0)
        Mat hDropped; // (T*B, H) h_t * m_h (empty if recurrentDropout = 0; the last step unused)
    };

    /// inputs F, hidden H, dropout rates p_x (inputs) and p_h (recurrent state), each in [0, 1).
    /// Throws ShapeError if inputs or hidden < 1 or a rate is outside [0, 1).
    Lstm(int inputs, int hidden, Rng &rng, double inputDropout = 0.0, double recurrentDropout = 0.0);

    /// Allocates the cache and workspaces for T steps of B sequences (no-op if unchanged).
    void resize(int steps, int batch) override;

    /// x (T*B, F) time-major -> h (T*B, H), all hidden states. Requires resize(T, B) first.
    /// With dropoutRng (training) the dropout masks are drawn from it. Throws ShapeError on a
    /// shape mismatch.
    void forward(const ConstMatRef &x, MatRef h, Rng *dropoutRng = nullptr) override;
    /// x (T*B, F) and h (T*B, H) from forward; dh (T*B, H) = dL/dh_t for every t (including the
    /// paths through attention). Adds parameter gradients; writes dL/dx (T*B, F) if dx != null.
    void backward(const ConstMatRef &x, const ConstMatRef &h, const ConstMatRef &dh,
                  Mat *dx) override;

    void zeroGrad() override;
    /// "<prefix>.weight_ih_l0" (4H, F), "<prefix>.weight_hh_l0" (4H, H), "<prefix>.bias_ih_l0",
    /// "<prefix>.bias_hh_l0" (1, 4H): torch.nn.LSTM's state_dict names.
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out) override;
    int inputs() const override { return int(m_params.weightIh.cols()); }
    int hidden() const override { return m_hidden; }
    double inputDropout() const { return m_inputDropout; }
    double recurrentDropout() const { return m_recurrentDropout; }

    Params &params() { return m_params; }
    const Grads &grads() const { return m_grads; }
    const Cache &cache() const { return m_cache; }

private:
    int m_hidden;
    double m_inputDropout;
    double m_recurrentDropout;
    bool m_maskedX = false; // the last forward applied m_x
    bool m_maskedH = false; // the last forward applied m_h
    int m_steps = 0;
    int m_batch = 0;
    Params m_params;
    Grads m_grads;
    Cache m_cache;
    // Backward workspaces.
    Mat m_dGates;  // (T*B, 4H) dL/dz_t
    Mat m_dhNext;  // (B, H) dL/dh_t arriving from step t+1
    Mat m_dcNext;  // (B, H) dL/dc_t arriving from step t+1
    Mat m_dhStep;  // (B, H) total dL/dh_t
    Mat m_dcStep;  // (B, H) total dL/dc_t
};

} // namespace attn
