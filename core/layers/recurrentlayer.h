// SPDX-License-Identifier: GPL-3.0-or-later
// Base of the recurrent layers (LSTM, GRU): a time-major batch of inputs in, every hidden state
// out, with optional input and recurrent dropout drawn once per sequence (Gal & Ghahramani 2016).
// The base owns what every cell shares (parameters, the input GEMM over all steps, the dropout
// masks, the time loop, the weight-gradient GEMMs); a cell implements one step forward and one
// step backward. SequenceModel holds one of them without knowing which.
#pragma once

#include "core/tensor/rng.h"
#include "core/tensor/tensor.h"

#include <string>
#include <vector>

namespace attn {

class RecurrentLayer {
public:
    /// PyTorch's layout for a cell of G gates (gate blocks stacked along the rows).
    struct Params {
        Mat weightIh; // (G*H, F)
        Mat weightHh; // (G*H, H)
        Mat biasIh;   // (1, G*H)
        Mat biasHh;   // (1, G*H)
    };
    using Grads = Params;
    struct Cache {
        Mat gateActivations; // (T*B, G*H) the input projection, activated in place by each step
        Mat maskX;    // (B, F) m_x of the last training forward (empty if inputDropout = 0)
        Mat maskH;    // (B, H) m_h of the last training forward (empty if recurrentDropout = 0)
        Mat xDropped; // (T*B, F) x_t * m_x (empty if inputDropout = 0)
        Mat hDropped; // (T*B, H) h_t * m_h (empty if recurrentDropout = 0; the last step unused)
    };

    virtual ~RecurrentLayer() = default;

    /// Allocates caches and workspaces for T steps of B sequences.
    /// Throws ShapeError if steps or batch < 1.
    void resize(int steps, int batch);
    /// x (T*B, F) time-major -> h (T*B, H), all hidden states. Requires resize(T, B) first.
    /// dropoutRng: null = evaluation (no dropout); otherwise the input/recurrent dropout masks
    /// (if their rates are > 0) are drawn from it, one (B, F) and one (B, H) mask for the whole
    /// sequence. Throws ShapeError on a shape mismatch.
    void forward(const ConstMatRef &x, MatRef h, Rng *dropoutRng = nullptr);
    /// x (T*B, F) and h (T*B, H) from forward; dh (T*B, H) = dL/dh_t for every t (including the
    /// paths through attention). Adds the parameter gradients; writes dL/dx (T*B, F) if
    /// dx != null. Uses the masks of the last forward.
    void backward(const ConstMatRef &x, const ConstMatRef &h, const ConstMatRef &dh, Mat *dx);
    void zeroGrad();
    /// Padding mask (B, T) for the following forward/backward passes: 1 = real step, 0 =
    /// padding; an empty matrix = every step real. As Keras' recurrent layers with a mask: at a
    /// padding step the state is carried through unchanged, h_t = h_{t-1} (and c_t = c_{t-1} for
    /// the LSTM; 0 before the first step), so h_T is the last real step's hidden state.
    /// Backward: dL/dh_t of a padding step passes to h_{t-1} whole (and dL/dc_t to c_{t-1}).
    /// Shape checked by forward (ShapeError).
    void setMask(const ConstMatRef &mask);
    /// "<prefix>.weight_ih_l0" (G*H, F), "<prefix>.weight_hh_l0" (G*H, H), "<prefix>.bias_ih_l0",
    /// "<prefix>.bias_hh_l0" (1, G*H): torch.nn.LSTM's and torch.nn.GRU's state_dict names.
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out);

    int inputs() const { return int(m_params.weightIh.cols()); } // F
    int hidden() const { return m_hidden; }                       // H
    double inputDropout() const { return m_inputDropout; }
    double recurrentDropout() const { return m_recurrentDropout; }
    Params &params() { return m_params; }
    const Grads &grads() const { return m_grads; }
    const Cache &cache() const { return m_cache; }

protected:
    /// name ("Lstm", "Gru") prefixes every error message. inputs F, hidden H, G gates, dropout
    /// rates p_x (inputs) and p_h (recurrent state), each in [0, 1). Initialises the kernels
    /// with initRecurrentKernels and zero biases. separateRecurrentGrad: the cell's
    /// dL/d(h W_hh^T + b_hh) differs from dL/d(x W_ih^T + b_ih) (GRU), else they are one (LSTM).
    /// Throws ConfigError if inputs or hidden < 1 or a rate is outside [0, 1).
    RecurrentLayer(const char *name, int inputs, int hidden, int gates, Rng &rng,
                   double inputDropout, double recurrentDropout, bool separateRecurrentGrad);

    /// Allocates the cell's own caches and workspaces for T*B rows of B sequences.
    virtual void resizeCell(Eigen::Index rows, Eigen::Index batch) = 0;
    /// Step t of the cell: m_cache.gateActivations rows t*B.. hold x_t W_ih^T + b_ih; writes
    /// h_t into h (T*B, H). Uses recurrentInput(t, h) for t > 0.
    virtual void stepForward(Eigen::Index t, MatRef h) = 0;
    /// Step t of the cell's backward: dhStep (B, H) = total dL/dh_t. Writes rows t*B.. of
    /// m_dInput (and m_dRecurrent if separate); for t > 0 writes dhPrev (B, H) = dL/dh_{t-1}
    /// through the cell, starting from recurrentBackward(t, dhPrev).
    virtual void stepBackward(Eigen::Index t, const ConstMatRef &h, const ConstMatRef &dhStep,
                              Mat &dhPrev) = 0;

    /// At a padding step of some rows, after stepForward: the cell copies its own state of step
    /// t-1 (zero for t = 0) into step t for the rows b whose mask is 0 (h is the base's).
    virtual void carryCellState(Eigen::Index /*t*/, Eigen::Index /*b*/) {}
    /// The padding mask (B, T), or null when every step is real.
    const Mat *stepMask() const { return m_hasMask ? &m_stepMask : nullptr; }
    /// The gradient through a padding mask m (B, T) at step t, for s_t = m s~_t + (1 - m) s_{t-1}:
    /// carry (B, X) = (1 - m_t) step, then step (B, X) *= m_t. Allocates nothing.
    static void splitAtPadding(const Mat &mask, Eigen::Index t, MatRef step, MatRef carry);

    /// h_{t-1} * m_h (B, H) as eq. (1)/(2) of the cell reads it, stored in m_cache.hDropped
    /// when the last forward drew m_h, else h_{t-1} itself. Requires t > 0.
    ConstMatRef recurrentInput(Eigen::Index t, MatRef h);
    /// dhPrev (B, H) = (du_t W_hh) * m_h with du_t (B, G*H) = dL/d(h_{t-1} W_hh^T + b_hh) of step t.
    void recurrentBackward(Eigen::Index t, Mat &dhPrev) const;

    int m_hidden;
    int m_steps = 0;
    int m_batch = 0;
    Params m_params;
    Cache m_cache;
    Mat m_dInput;     // (T*B, G*H) dL/d(x_t W_ih^T + b_ih)
    Mat m_dRecurrent; // (T*B, G*H) dL/d(h_{t-1} W_hh^T + b_hh) (empty if not separate)

private:
    /// Like requireShape, with the message "<name><what>: ..." built only on a mismatch.
    void requireLayerShape(const ConstMatRef &m, Eigen::Index rows, Eigen::Index cols,
                           const char *what) const;
    /// du of every step: m_dRecurrent if the cell keeps it apart, else m_dInput.
    const Mat &recurrentGrad() const { return m_separateRecurrentGrad ? m_dRecurrent : m_dInput; }

    std::string m_name;
    int m_gates;
    double m_inputDropout;
    double m_recurrentDropout;
    bool m_separateRecurrentGrad;
    bool m_maskedX = false; // the last forward applied m_x
    bool m_maskedH = false; // the last forward applied m_h
    Grads m_grads;
    // Backward workspaces.
    Mat m_dhNext; // (B, H) dL/dh_t arriving from step t+1
    Mat m_dhStep; // (B, H) total dL/dh_t
    Mat m_dhCarry; // (B, H) the part of dL/dh_t carried to h_{t-1} through padding
    Mat m_stepMask; // (B, T) 1 = real step, 0 = padding
    bool m_hasMask = false;
};

/// Fills mask (R x C) with inverted-dropout factors: 0 with probability rate, else 1/(1-rate).
inline void drawDropoutMask(Mat &mask, double rate, Rng &rng)
{
    const Scalar keep = Scalar(1.0 / (1.0 - rate));
    for (Eigen::Index r = 0; r < mask.rows(); ++r)
        for (Eigen::Index c = 0; c < mask.cols(); ++c)
            mask(r, c) = rng.uniform() < rate ? Scalar(0) : keep;
}

/// sigmoid(x) = 0.5 * tanh(0.5 x) + 0.5, in place: never overflows, and Eigen vectorizes tanh.
template <typename Block> void sigmoidInPlace(Block &&z)
{
    z.array() = (z.array() * Scalar(0.5)).tanh() * Scalar(0.5) + Scalar(0.5);
}

/// Keras' initialisation of a recurrent layer with G gates, in PyTorch's layout: weightIh
/// (G*H, F) Glorot-uniform as Keras' (F, G*H) kernel (fan_in F, fan_out G*H), then weightHh
/// (G*H, H) the transpose of an orthogonal (H, G*H) recurrent kernel. Draws from rng in that order.
void initRecurrentKernels(Mat &weightIh, Mat &weightHh, int inputs, int hidden, int gates, Rng &rng);

/// Throws ConfigError("<where>: <what> must be in [0, 1)") unless 0 <= rate < 1.
inline void requireDropoutRate(double rate, const char *where, const char *what)
{
    if (!(rate >= 0.0 && rate < 1.0))
        throw ConfigError(std::string(where) + ": " + what + " must be in [0, 1)");
}

} // namespace attn
