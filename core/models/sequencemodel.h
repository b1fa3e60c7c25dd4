// SPDX-License-Identifier: GPL-3.0-or-later
// The many-to-one sequence model of the seed experiments (keras-attention examples):
//   x (T*B, F) -> [Embedding(V+1, E) -> Dropout(p_e) for token ids] -> LSTM(H) or GRU(H) ->
//   attention(U) over all hidden states -> Dropout(p) -> Dense(O)
// and the no-attention baseline (keras-attention's IMDB comparison):
//   ... -> LSTM(H) or GRU(H) -> h_T -> [Dense(W) + ReLU, W = baselineWidth()] -> Dropout(p) -> Dense(O)
// and the plain recurrent model ("plain", the sentiment blog's LSTM without attention):
//   ... -> LSTM(H) or GRU(H) -> h_T -> Dropout(p) -> Dense(O)
// Output is linear (regression) or logits (binary classification; the loss applies sigmoid).
// Feed-forward and self-attention output H units, so the final Dense then takes H inputs.
#pragma once

#include "core/layers/dense.h"
#include "core/layers/dropout.h"
#include "core/layers/embedding.h"
#include "core/attention/manytooneattention.h"
#include "core/models/model.h"
#include "core/layers/recurrentlayer.h"

#include <cstdint>
#include <memory>

namespace attn {

class SelfAttention;

class SequenceModel : public Model {
public:
    /// Initialises all weights from initRng (in the order embedding, recurrent layer, attention
    /// or baseline Dense, final Dense); dropout masks come from dropoutSeed.
    /// Throws ConfigError on an invalid config (see makeModel).
    SequenceModel(const ModelConfig &config, Rng &initRng, std::uint64_t dropoutSeed);
    ~SequenceModel() override;

    void resize(int steps, int batch) override;
    /// x (T*B, F) time-major (F = 1 token ids when config.vocabulary > 0) -> (B, O).
    const Mat &forward(const ConstMatRef &x, bool training) override;
    void backward(const ConstMatRef &x, const ConstMatRef &dOut) override;
    /// (T*B, F) dL/dx, or (T*B, E) dL/d(embedding output) for token ids.
    const Mat &inputGradient() const override { return m_embedding ? m_dEmbedded : m_dInput; }
    int inputWidth() const override;
    void embedInputs(const ConstMatRef &x, MatRef out) const override;
    const Mat &forwardEmbedded(const ConstMatRef &u) override;
    /// Passes the mask to the recurrent layer (state carried through padding, so h_T, the query
    /// of luong / bahdanau / local and the baseline's input, is the last real step's hidden
    /// state) and to the attention (padding weights exactly 0), when config().maskPadding.
    void setPaddingMask(const ConstMatRef &mask) override;
    void zeroGrad() override;
    /// "embedding.weight", "lstm.*" or "gru.*", "attention.*" or "baseline.*", "dense.*".
    std::vector<ParamRef> params() override;
    /// (B, T); empty for the no-attention baseline.
    const Mat &attentionWeights() const override;
    void setAttentionOverride(const ConstMatRef &weights) override;
    int attentionHeads() const override;
    void attentionHeadMap(int sequence, int head, MatRef out) const override;
    /// D: the width entering the final Dense (U, H, or W / H for the baseline).
    int featureWidth() const { return m_featureWidth; }
    /// W of the baseline's hidden Dense (0: none, or not the baseline).
    int baselineUnits() const { return m_baselineUnits; }

private:
    /// Everything after the embedding: input (T*B, D) -> (B, O).
    const Mat &forwardFrom(const ConstMatRef &input, bool training);

    Rng m_dropoutRng;
    std::unique_ptr<Embedding> m_embedding;          // null unless the inputs are token ids
    Dropout m_embeddingDropout;                      // on the embedding output (T*B, E), in place
    std::unique_ptr<RecurrentLayer> m_recurrent;     // Lstm or Gru
    std::unique_ptr<ManyToOneAttention> m_attention; // null for the baseline
    const SelfAttention *m_self = nullptr;           // m_attention when it is self-attention
    std::unique_ptr<Dense> m_baseline;               // baseline with W > 0: Dense(H -> W), ReLU
    int m_baselineUnits = 0;                         // W
    int m_featureWidth = 0;                          // D
    Dropout m_dropout;
    std::unique_ptr<Dense> m_outputLayer;            // Dense(D -> O)
    Mat m_embedded;  // (T*B, E) embedded tokens (after the embedding dropout of a training forward)
    Mat m_hs;        // (T*B, H) hidden states
    Mat m_features;  // (B, D) attention output, or the baseline's h_T / ReLU(Dense(h_T))
    Mat m_dropOut;   // (B, D)
    Mat m_out;       // (B, O)
    Mat m_dDrop;     // (B, D)
    Mat m_dFeatures; // (B, D)
    Mat m_dLast;     // (B, H) dL/dh_T through the baseline's hidden Dense
    Mat m_dHs;       // (T*B, H)
    Mat m_dEmbedded; // (T*B, E) dL/d(embedding output)
    Mat m_dInput;    // (T*B, F) dL/dx (number inputs only)
    bool m_fromEmbedded = false; // the last forward was forwardEmbedded (no ids to backpropagate)
    bool m_overridden = false; // an attention override is set: backward refuses
    Mat m_noWeights; // (0, 0): the baseline's attention weights
};

} // namespace attn
