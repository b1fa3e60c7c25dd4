// SPDX-License-Identifier: GPL-3.0-or-later
// The dense autoencoder with attention of the seed material's Q&A (docs/tasks.md,
// "autoencoder"); one sample is a vector of F values (T = 1), and the output reconstructs it:
//   (1) d = Dropout(p_in)(x)                                   x, d (B, F)
//   (2) [attention on the inputs] d' = d * softmax(d W_a^T + b_a)   (featureattention.h)
//       [+ (sigma / F) eps in training, eps ~ N(0, I), sigma = ModelConfig::attentionNoise]
//   (3) r1 = relu(d' W1^T + b1)                                (B, H1)
//   (4) [attention after the first layer, the Q&A's place] r1' = r1 * softmax(r1 W_a^T + b_a)
//       [+ (sigma / H1) eps in training]
//   (5) n1 = MVN(r1')                                          (B, H1)  (meanvariancenorm.h)
//   (6) n2 = MVN(relu(n1 W2^T + b2))                           (B, H2), the code
//   (7) c = Dropout(p_code)(n2)                                (B, H2)
//   (8) r3 = relu(c W2 + c2)                                   (B, H1)  tied: W2 transposed
//   (9) x^ = r3 W1 + c1                                        (B, F)   tied: W1 transposed
// Loss: the reconstruction MSE of x^ against x (the task's y = x). With attention "none" the
// block is left out. attentionWeights() is attention over the F inputs in both placements:
// (2)'s weights, or after the first layer (4)'s weights carried back to the inputs through
// each hidden unit's share of its incoming weights, e_i = sum_j a_j |W1_ji| / sum_k |W1_jk|
// (each row sums to 1); hiddenAttention() keeps (4)'s own (B, H1) weights.
#pragma once

#include "core/attention/featureattention.h"
#include "core/layers/dense.h"
#include "core/layers/dropout.h"
#include "core/layers/meanvariancenorm.h"
#include "core/layers/tieddense.h"
#include "core/models/model.h"

#include <cstdint>
#include <memory>

namespace attn {

class AutoencoderModel : public Model {
public:
    /// config.architecture must be Autoencoder, config.attention Feature (the attention block)
    /// or None; F = inputs = outputs, H1 = hidden, H2 = codeUnits, p_in = inputDropout,
    /// p_code = dropout, config.attentionOnInputs the placement. Weights from initRng in the
    /// order of the forward pass. Throws ConfigError on an invalid config.
    AutoencoderModel(const ModelConfig &config, Rng &initRng, std::uint64_t dropoutSeed);
    ~AutoencoderModel() override;

    /// steps must be 1 (one vector per sample). Throws ShapeError otherwise or if batch < 1.
    void resize(int steps, int batch) override;
    /// x (B, F) -> reconstruction x^ (B, F), eqs. (1)-(9). ShapeError on a mismatch.
    const Mat &forward(const ConstMatRef &x, bool training) override;
    /// dOut (B, F) = dL/dx^; adds every parameter gradient (the tied weights get both uses).
    void backward(const ConstMatRef &x, const ConstMatRef &dOut) override;
    /// (B, F) dL/dx, including the input dropout mask of a training forward.
    const Mat &inputGradient() const override { return m_dInput; }
    void zeroGrad() override;
    /// "attention.weight", "attention.bias" (unless "none"), "encoder1.weight", "encoder1.bias",
    /// "encoder2.weight", "encoder2.bias", "decoder2.bias", "decoder1.bias" (the decoders'
    /// weights are the encoders', listed once).
    std::vector<ParamRef> params() override;
    /// (B, F) attention over the inputs of the last forward (see the top of this file); empty
    /// for "none".
    const Mat &attentionWeights() const override;
    /// (B, H1) the weights of the block after the first layer; empty when the block is on the
    /// inputs or absent.
    const Mat &hiddenAttention() const;
    /// Counterfactual input weights (B, F), for the block on the inputs only; ConfigError after
    /// the first layer (the weights shown there are derived, not used) and for "none".
    void setAttentionOverride(const ConstMatRef &weights) override;
    int hiddenUnits() const { return m_config.hidden; }
    int codeUnits() const { return m_config.codeUnits; }

private:
    void carryToInputs(); // eq. (4)'s weights -> m_inputAttention
    void addNoise();      // the attention noise of (2) or (4), training only

    Rng m_dropoutRng;
    Dropout m_inputDropout;
    Dropout m_codeDropout;
    std::unique_ptr<FeatureAttention> m_attention; // null for "none"
    std::unique_ptr<Dense> m_encoder1;             // W1 (H1, F), b1
    std::unique_ptr<Dense> m_encoder2;             // W2 (H2, H1), b2
    std::unique_ptr<TiedDense> m_decoder2;         // W2^T, c2 (1, H1)
    std::unique_ptr<TiedDense> m_decoder1;         // W1^T, c1 (1, F)
    MeanVarianceNorm m_norm1;
    MeanVarianceNorm m_norm2;
    bool m_onInputs = false;
    Mat m_dropped;   // (B, F) d of (1)
    Mat m_attended;  // (B, F) d' of (2), or (B, H1) r1' of (4)
    Mat m_r1;        // (B, H1)
    Mat m_n1;        // (B, H1)
    Mat m_r2;        // (B, H2) relu(n1 W2^T + b2)
    Mat m_n2;        // (B, H2)
    Mat m_code;      // (B, H2) c of (7)
    Mat m_r3;        // (B, H1)
    Mat m_out;       // (B, F)
    Mat m_dR3;       // (B, H1)
    Mat m_dCode;     // (B, H2)
    Mat m_dR2;       // (B, H2)
    Mat m_dN1;       // (B, H1)
    Mat m_dR1;       // (B, H1) dL/dr1' then dL/d(pre-activation of r1)
    Mat m_dAttended; // (B, H1) dL/dr1 (block after the first layer)
    Mat m_dFirst;    // (B, F) dL/d(input of the first layer)
    Mat m_dDropped;  // (B, F) dL/dd (block on the inputs)
    Mat m_dInput;    // (B, F) dL/dx
    Mat m_share;     // (H1, F) |W1_ji| / sum_k |W1_jk|
    Mat m_shareSum;  // (H1, 1)
    Mat m_inputAttention; // (B, F) eq. (4)'s weights carried to the inputs
    bool m_overridden = false;
    Mat m_noWeights; // (0, 0)
};

} // namespace attn
