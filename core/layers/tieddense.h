// SPDX-License-Identifier: GPL-3.0-or-later
// A decoder layer whose weight is an encoder Dense's weight, transposed, with a bias of its own
// (tied weights, as in the dense autoencoder of docs/tasks.md, "autoencoder"):
//   (1) y = x W + c       x (N, O), W (O, I) the encoder's weight, c (1, I), y (N, I)
// so the encoder maps I -> O and this layer maps O -> I. The weight's gradient is added to the
// encoder Dense's gradient (both uses of W add up); the bias is this layer's only parameter.
#pragma once

#include "core/layers/dense.h"
#include "core/tensor/tensor.h"

#include <string>
#include <vector>

namespace attn {

class TiedDense {
public:
    /// Ties to encoder (which must outlive this layer); zero bias of encoder.inputs() entries.
    explicit TiedDense(Dense &encoder);

    /// x (N, O) -> y (N, I), eq. (1). Throws ShapeError on a shape mismatch.
    void forward(const ConstMatRef &x, MatRef y) const;
    /// Differentiates eq. (1): adds dL/dW = x^T dy to the encoder's weight gradient and dL/dc;
    /// writes dL/dx (N, O) = dy W^T into *dx when dx is not null. ShapeError on a mismatch.
    void backward(const ConstMatRef &x, const ConstMatRef &dy, Mat *dx);
    /// Clears dL/dc only (the encoder's zeroGrad clears the shared weight's gradient).
    void zeroGrad();
    /// Appends "<prefix>.bias" (1, I): the shared weight is listed once, by the encoder.
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out);
    int inputs() const { return m_encoder.outputs(); }  // O
    int outputs() const { return m_encoder.inputs(); }  // I
    Mat &bias() { return m_bias; }
    const Mat &biasGrad() const { return m_biasGrad; }

private:
    Dense &m_encoder;
    Mat m_bias;     // (1, I) c of eq. (1)
    Mat m_biasGrad; // (1, I)
};

} // namespace attn
