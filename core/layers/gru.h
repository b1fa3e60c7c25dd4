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

#include <string>
#include <vector>

namespace attn {

class Gru : public RecurrentLayer {
public:
    struct Params {
        Mat weightIh; // (3H, F)
        Mat weightHh; // (3H, H)
        Mat biasIh;   // (1, 3H)
        Mat biasHh;   // (1, 3H)
    };
    using Grads = Params;
    struct Cache {
        Mat gates;    // (T*B, 3H) activated r, z, n of eqs. (3)-(4)
        Mat recurrentN; // (T*B, H) u_n of eq. (2), needed for dL/dr
        Mat maskX;    // (B, F) m_x of the last training forward (empty if inputDropout = 0)
        Mat maskH;    // (B, H) m_h of the last training forward (empty if recurrentDropout = 0)
        Mat xDropped; // (T*B, F) x_t * m_x (empty if inputDropout = 0)
        Mat hDropped; // (T*B, H) h_t * m_h (empty if recurrentDropout = 0; the last step unused)
    };

    /// inputs F, hidden H, dropout rates p_x (inputs) and p_h (recurrent state), each in [0, 1).
    /// Throws ShapeError if inputs or hidden < 1 or a rate is outside [0, 1).
    Gru(int inputs, int hidden, Rng &rng, double inputDropout = 0.0, double recurrentDropout = 0.0);

    /// Allocates the cache and workspaces for T steps of B sequences. Throws ShapeError if < 1.
    void resize(int steps, int batch) override;
    /// x (T*B, F) time-major -> h (T*B, H), eqs. (1)-(5). Requires resize(T, B) first. With
    /// dropoutRng (training) the dropout masks are drawn from it. Throws ShapeError on a mismatch.
    void forward(const ConstMatRef &x, MatRef h, Rng *dropoutRng = nullptr) override;
    /// x (T*B, F) and h (T*B, H) from forward; dh (T*B, H) = dL/dh_t for every t. Adds parameter
    /// gradients; writes dL/dx (T*B, F) if dx != null.
    void backward(const ConstMatRef &x, const ConstMatRef &h, const ConstMatRef &dh,
                  Mat *dx) override;

    void zeroGrad() override;
    /// "<prefix>.weight_ih_l0" (3H, F), "<prefix>.weight_hh_l0" (3H, H), "<prefix>.bias_ih_l0",
    /// "<prefix>.bias_hh_l0" (1, 3H): torch.nn.GRU's state_dict names.
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
    Mat m_recurrentStep; // (B, 3H) u_t of eq. (2)
    // Backward workspaces.
    Mat m_dInput;     // (T*B, 3H) dL/da_t
    Mat m_dRecurrent; // (T*B, 3H) dL/du_t
    Mat m_dhNext;     // (B, H) dL/dh_t arriving from step t+1
    Mat m_dhStep;     // (B, H) total dL/dh_t
    Mat m_dnPre;      // (B, H) dL/d(a_n + r * u_n)
};

} // namespace attn
