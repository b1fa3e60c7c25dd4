// SPDX-License-Identifier: GPL-3.0-or-later
// The part of many-to-one attention shared by the Luong and Bahdanau scores: the context vector
// and the attention vector (Luong et al. 2015, eqs. 5 and the context definition; keras-attention):
//   (1) c = sum_s a_s h_s                      a (B, T), h_s (B, H), c (B, H)
//   (2) out = tanh([c; h_T] W_c^T)             W_c (U, 2H), no bias, out (B, U)
#pragma once

#include "core/tensor/rng.h"
#include "core/tensor/tensor.h"

#include <string>
#include <vector>

namespace attn {

class AttentionReadout {
public:
    struct Params {
        Mat weightC; // (U, 2H)
    };
    using Grads = Params;
    struct Cache {
        Mat concat; // (B, 2H) [c; h_T]
        Mat output; // (B, U)
    };

    AttentionReadout(int hidden, int units, Rng &rng);
    void resize(int steps, int batch);

    /// hs (T*B, H), weights (B, T) -> out (B, U), eqs. (1)-(2).
    void forward(const ConstMatRef &hs, const ConstMatRef &weights, MatRef out);
    /// dOut (B, U) -> writes dL/da into dWeights (B, T) and dL/dhs (through c and the query
    /// h_T only) into dHs (T*B, H); adds dL/dW_c.
    void backward(const ConstMatRef &hs, const ConstMatRef &weights, const ConstMatRef &dOut,
                  MatRef dWeights, MatRef dHs);

    void zeroGrad() { m_grads.weightC.setZero(); }
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out);
    int units() const { return int(m_params.weightC.rows()); }
    int hidden() const { return m_hidden; }

private:
    int m_hidden;
    int m_steps = 0;
    int m_batch = 0;
    Params m_params;
    Grads m_grads;
    Cache m_cache;
    Mat m_dPre;    // (B, U) dL/d(pre-activation)
    Mat m_dConcat; // (B, 2H)
};

} // namespace attn
