// SPDX-License-Identifier: GPL-3.0-or-later
// The model of the Keras feature-selection demo (keras-attention-mechanism, attention_dense.py):
// one sample is a vector of F features (T = 1), not a sequence.
//   x (B, F) -> feature attention (x * softmax(x W^T + b)) -> Dense(D_h) -> Dropout(p) -> Dense(O)
// with D_h = ModelConfig::denseUnits,
// and its no-attention baseline:
//   x (B, F) -> [Dense(W), W = baselineWidth()] -> Dropout(p) -> Dense(O)
// The hidden Dense has no activation, exactly as in the demo (Dense(64) after the attention
// multiply); the output is a logit (the BCE loss applies the sigmoid).
#pragma once

#include "core/layers/dense.h"
#include "core/layers/dropout.h"
#include "core/attention/featureattention.h"
#include "core/models/model.h"

#include <cstdint>
#include <memory>

namespace attn {

class FeatureModel : public Model {
public:
    /// config.architecture must be Feature and config.attention Feature or None; F = inputs,
    /// the hidden Dense has config.denseUnits units. Weights from initRng in the order attention, hidden Dense, final Dense.
    /// Throws ConfigError on an invalid config.
    FeatureModel(const ModelConfig &config, Rng &initRng, std::uint64_t dropoutSeed);
    ~FeatureModel() override;

    /// steps must be 1 (one feature vector per sample). Throws ShapeError otherwise.
    void resize(int steps, int batch) override;
    /// x (B, F) -> logits (B, O).
    const Mat &forward(const ConstMatRef &x, bool training) override;
    void backward(const ConstMatRef &x, const ConstMatRef &dOut) override;
    /// (B, F) dL/dx.
    const Mat &inputGradient() const override { return m_dInput; }
    void zeroGrad() override;
    /// "attention.weight", "attention.bias", "hidden.weight", "hidden.bias", "dense.*".
    std::vector<ParamRef> params() override;
    /// (B, F) feature weights of the last forward; empty for the baseline.
    const Mat &attentionWeights() const override;
    void setAttentionOverride(const ConstMatRef &weights) override;
    /// Width of the hidden Dense (denseUnits, or the baseline's W; 0 = no hidden layer).
    int hiddenUnits() const { return m_hiddenUnits; }

private:
    Rng m_dropoutRng;
    std::unique_ptr<FeatureAttention> m_attention; // null for the baseline
    std::unique_ptr<Dense> m_hidden;               // Dense(F -> hiddenUnits()), null if W = 0
    int m_hiddenUnits = 0;
    int m_featureWidth = 0; // D: width entering the final Dense
    Dropout m_dropout;
    std::unique_ptr<Dense> m_outputLayer; // Dense(D -> O)
    Mat m_attended;   // (B, F) x * a
    Mat m_hiddenOut;  // (B, D_h)
    Mat m_dropOut;    // (B, D)
    Mat m_out;        // (B, O)
    Mat m_dDrop;      // (B, D)
    Mat m_dHidden;    // (B, D)
    Mat m_dAttended;  // (B, F)
    Mat m_dInput;     // (B, F) dL/dx
    bool m_overridden = false; // an attention override is set: backward refuses
    Mat m_noWeights;  // (0, 0)
};

} // namespace attn
