// SPDX-License-Identifier: GPL-3.0-or-later
// Feature attention: a softmax over the F input features of each sample, multiplied back onto
// the input, as in the Keras feature-selection demo ("attention_dense": Dense(F, softmax), then
// multiply). Not a many-to-one layer: it works on (B, F) inputs, one weight per feature.
//   (1) z = x W^T + b                      x (B, F), W (F, F), b (1, F), z (B, F)
//   (2) a = softmax_features(z)            a (B, F), each row sums to 1
//   (3) out = x * a  (element-wise)        out (B, F)
#pragma once

#include "core/tensor/rng.h"
#include "core/tensor/tensor.h"

#include <string>
#include <vector>

namespace attn {

class FeatureAttention {
public:
    struct Params {
        Mat weight; // (F, F) W of eq. (1), PyTorch Linear layout (out x in)
        Mat bias;   // (1, F) b of eq. (1)
    };
    using Grads = Params;
    struct Cache {
        Mat scores;  // (B, F) z of eq. (1)
        Mat weights; // (B, F) a of eq. (2)
    };

    /// features F. Glorot-uniform W, zero b. Throws ConfigError if features < 1.
    FeatureAttention(int features, Rng &rng);

    /// Allocates the cache and workspaces for B samples (no-op if unchanged). Throws ShapeError
    /// if batch < 1.
    void resize(int batch);
    /// x (B, F) -> out (B, F), eqs. (1)-(3). Throws ShapeError on a mismatch or before resize().
    void forward(const ConstMatRef &x, MatRef out);
    /// dOut (B, F) -> writes dL/dx (B, F) into dX; adds dL/dW, dL/db.
    void backward(const ConstMatRef &x, const ConstMatRef &dOut, MatRef dX);
    /// a of eq. (2) from the last forward, (B, F); each row sums to 1.
    const Mat &weights() const { return m_cache.weights; }
    /// Counterfactual weights (B, F) used in place of a in eq. (3) by the following forward
    /// passes, or an empty matrix: back to the computed a (as ManyToOneAttention's; for
    /// evaluation only). Shape checked by forward (ShapeError).
    void setWeightOverride(const ConstMatRef &weights)
    {
        m_hasOverride = weights.size() > 0;
        if (m_hasOverride)
            m_override = weights;
    }
    void zeroGrad();
    /// Appends "<prefix>.weight" (F, F) and "<prefix>.bias" (1, F).
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out);
    int features() const { return m_features; }

    Params &params() { return m_params; }
    const Grads &grads() const { return m_grads; }

private:
    int m_features;
    int m_batch = 0;
    Params m_params;
    Grads m_grads;
    Cache m_cache;
    Mat m_dWeights; // (B, F) dL/da
    Mat m_dScores;  // (B, F) dL/dz
    Mat m_override; // (B, F) counterfactual weights
    bool m_hasOverride = false;
};

} // namespace attn
