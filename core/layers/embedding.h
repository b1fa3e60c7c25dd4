// SPDX-License-Identifier: GPL-3.0-or-later
// Embedding: token ids in, one learned vector per token out (a lookup table; Keras' and
// PyTorch's Embedding layer). Row 0 is the padding token: it is initialised and trained like
// every other row, as in Keras' Embedding without mask_zero (the published sentiment recipe).
// Keras init: U(-0.05, 0.05).
//   (1) out[n] = W[id_n]                  ids (N, 1) integers in 0..V, W (V+1, E), out (N, E)
#pragma once

#include "core/tensor/rng.h"
#include "core/tensor/tensor.h"

#include <string>
#include <vector>

namespace attn {

class Embedding {
public:
    struct Params {
        Mat weight; // (V+1, E); row 0 = padding
    };
    using Grads = Params;

    /// vocabulary V (ids 1..V are words, 0 is padding), dim E. Throws ConfigError if V or E < 1.
    Embedding(int vocabulary, int dim, Rng &rng);

    /// ids (N, 1) token ids stored as Scalars -> out (N, E), eq. (1). Throws ShapeError on a
    /// shape mismatch, DataError on an id that is not a whole number in 0..V (naming the row
    /// and value).
    void forward(const ConstMatRef &ids, MatRef out) const;
    /// dOut (N, E): adds dOut[n] into row id_n of dL/dW (only the rows that occur are touched).
    /// Token ids are not differentiable: there is no dL/dids.
    void backward(const ConstMatRef &ids, const ConstMatRef &dOut);

    void zeroGrad() { m_grads.weight.setZero(); }
    /// Appends "<prefix>.weight" (V+1, E), torch.nn.Embedding's name.
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out);
    int vocabulary() const { return int(m_params.weight.rows()) - 1; }
    int dim() const { return int(m_params.weight.cols()); }

    Params &params() { return m_params; }
    const Grads &grads() const { return m_grads; }

private:
    Params m_params;
    Grads m_grads;
};

} // namespace attn
