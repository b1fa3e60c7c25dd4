// SPDX-License-Identifier: GPL-3.0-or-later
// Fully connected layer (PyTorch nn.Linear layout), Keras Glorot-uniform init, zero bias.
//   (1) y = x W^T + b          x (N, I), W (O, I), b (1, O), y (N, O)
#pragma once

#include "core/tensor/rng.h"
#include "core/tensor/tensor.h"

#include <string>
#include <vector>

namespace attn {

class Dense {
public:
    struct Params {
        Mat weight; // (O, I)
        Mat bias;   // (1, O); empty (0 x 0) when the layer has no bias
    };
    using Grads = Params;

    /// Throws ConfigError if inputs or outputs < 1.
    Dense(int inputs, int outputs, bool useBias, Rng &rng);

    /// x (N, I) -> y (N, O), eq. (1). Throws ShapeError on a shape mismatch.
    void forward(const ConstMatRef &x, MatRef y) const;
    /// Adds dL/dW, dL/db into grads(); writes dL/dx (N, I) into *dx when dx is not null.
    void backward(const ConstMatRef &x, const ConstMatRef &dy, Mat *dx);

    void zeroGrad();
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out);
    int inputs() const { return int(m_params.weight.cols()); }
    int outputs() const { return int(m_params.weight.rows()); }

    Params &params() { return m_params; }
    const Grads &grads() const { return m_grads; }
    /// Writable gradients, for a layer that shares the weight (TiedDense adds its part).
    Grads &grads() { return m_grads; }

private:
    Params m_params;
    Grads m_grads;
};

} // namespace attn
