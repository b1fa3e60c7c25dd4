// SPDX-License-Identifier: GPL-3.0-or-later
// Interface of the recurrent layers (LSTM, GRU): a time-major batch of inputs in, every hidden
// state out, with optional input and recurrent dropout drawn once per sequence (Gal &
// Ghahramani 2016). SequenceModel holds one of them without knowing which.
#pragma once

#include "core/tensor/rng.h"
#include "core/tensor/tensor.h"

#include <string>
#include <vector>

namespace attn {

class RecurrentLayer {
public:
    virtual ~RecurrentLayer() = default;
    /// Allocates caches and workspaces for T steps of B sequences (no-op if unchanged).
    /// Throws ShapeError if steps or batch < 1.
    virtual void resize(int steps, int batch) = 0;
    /// x (T*B, F) time-major -> h (T*B, H), all hidden states. Requires resize(T, B) first.
    /// dropoutRng: null = evaluation (no dropout); otherwise the input/recurrent dropout masks
    /// (if their rates are > 0) are drawn from it, one (B, F) and one (B, H) mask for the whole
    /// sequence. Throws ShapeError on a shape mismatch.
    virtual void forward(const ConstMatRef &x, MatRef h, Rng *dropoutRng = nullptr) = 0;
    /// x (T*B, F) and h (T*B, H) from forward; dh (T*B, H) = dL/dh_t for every t. Adds the
    /// parameter gradients; writes dL/dx (T*B, F) if dx != null. Uses the masks of the last forward.
    virtual void backward(const ConstMatRef &x, const ConstMatRef &h, const ConstMatRef &dh,
                          Mat *dx) = 0;
    virtual void zeroGrad() = 0;
    /// Appends the PyTorch-named parameters "<prefix>.weight_ih_l0", ... (see each layer).
    virtual void appendParams(const std::string &prefix, std::vector<ParamRef> &out) = 0;
    virtual int inputs() const = 0;  // F
    virtual int hidden() const = 0;  // H
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

/// Throws ShapeError("<where>: <what> must be in [0, 1)") unless 0 <= rate < 1.
inline void requireDropoutRate(double rate, const char *where, const char *what)
{
    if (!(rate >= 0.0 && rate < 1.0))
        throw ShapeError(std::string(where) + ": " + what + " must be in [0, 1)");
}

} // namespace attn
