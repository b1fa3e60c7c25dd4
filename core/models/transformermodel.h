// SPDX-License-Identifier: GPL-3.0-or-later
// The many-to-one Transformer encoder model, mechanism "transformer" (Vaswani et al. 2017,
// "Attention Is All You Need": sec. 3.4 embeddings scaled by sqrt(D), sec. 3.5 sinusoidal
// positional encoding, sec. 3.1 the encoder stack, sec. 5.4 residual dropout), no recurrent layer:
//   (1) u = Embedding(ids) sqrt(D)  (token ids)   or   u = (x W_p^T + b_p) sqrt(D)  (numbers,
//       W_p (D, F)): the linear projection stands in for the embedding and is scaled as it is,
//       so that the positional encoding (entries of size 1) does not drown inputs of size 0..1
//   (2) z_0 = Dropout(u + PE)                     PE: positionalencoding.h; z (T*B, D)
//   (3) z_l = EncoderLayer_l(z_{l-1}), l = 1..N   transformerencoderlayer.h (post- or pre-norm;
//       pre-norm adds a final LayerNorm "encoder.norm", as torch.nn.TransformerEncoder(norm=...))
//   (4) c = AttentionPooling(z_N)                 learned query; its (B, T) weights are the
//                                                 model's attention (attentionpooling.h); c (B, D)
//   (5) out = Dense(Dropout(c))                   (B, O)
// D = ModelConfig::modelWidth, K = heads, N = encoderLayers, F' = feedForwardUnits,
// residual dropout encoderDropout, final dropout `dropout`. Padding mask: key padding mask of
// every layer's self-attention and of the pooling (padding weights exactly 0).
#pragma once

#include "core/attention/attentionpooling.h"
#include "core/layers/dense.h"
#include "core/layers/dropout.h"
#include "core/layers/embedding.h"
#include "core/layers/layernorm.h"
#include "core/layers/positionalencoding.h"
#include "core/models/model.h"
#include "core/models/transformerencoderlayer.h"

#include <cstdint>
#include <memory>

namespace attn {

class TransformerModel : public Model {
public:
    /// Initialises the weights from initRng (pooling query, input layer, encoder layers, final
    /// Dense); dropout masks from dropoutSeed. Throws ConfigError on an invalid config (sizes
    /// < 1, K not dividing D, a dropout rate outside [0, 1), token inputs with inputs != 1).
    TransformerModel(const ModelConfig &config, Rng &initRng, std::uint64_t dropoutSeed);
    ~TransformerModel() override;

    void resize(int steps, int batch) override;
    /// x (T*B, F) time-major (F = 1 token ids when config.vocabulary > 0) -> (B, O).
    const Mat &forward(const ConstMatRef &x, bool training) override;
    void backward(const ConstMatRef &x, const ConstMatRef &dOut) override;
    /// (T*B, F) dL/dx, or (T*B, E) dL/d(embedding output) for token ids (E = D).
    const Mat &inputGradient() const override { return m_embedding ? m_dEmbedded : m_dInput; }
    int inputWidth() const override;
    void embedInputs(const ConstMatRef &x, MatRef out) const override;
    const Mat &forwardEmbedded(const ConstMatRef &u) override;
    /// With config().maskPadding: the key padding mask of every layer and of the pooling.
    void setPaddingMask(const ConstMatRef &mask) override;
    void zeroGrad() override;
    /// "embedding.weight" or "input_projection.*", "encoder.layers.<l>.*" (PyTorch's
    /// TransformerEncoderLayer names), "encoder.norm.*" (pre-norm), "pooling.query", "dense.*".
    std::vector<ParamRef> params() override;
    /// The pooling weights a of (4), (B, T).
    const Mat &attentionWeights() const override { return m_pooling.weights(); }
    void setAttentionOverride(const ConstMatRef &weights) override;
    /// N K: every layer's heads, layer-major (map l K + k is head k of layer l).
    int attentionHeads() const override;
    int attentionLayers() const override { return int(m_layers.size()); }
    /// head = l K + k: the (T, T) map of head k in layer l for `sequence` of the last forward.
    void attentionHeadMap(int sequence, int head, MatRef out) const override;

private:
    const Mat &forwardFrom(const ConstMatRef &input, bool training);

    Rng m_dropoutRng;
    Scalar m_embedScale = 1;                            // sqrt(D), eq. (1)
    std::unique_ptr<Embedding> m_embedding;             // token ids, E = D
    std::unique_ptr<Dense> m_projection;                // numbers: Dense(F -> D)
    PositionalEncoding m_positions;
    Dropout m_inputDropout;                             // (2)
    std::vector<std::unique_ptr<TransformerEncoderLayer>> m_layers;
    std::unique_ptr<LayerNorm> m_finalNorm;             // pre-norm only
    AttentionPooling m_pooling;
    Dropout m_dropout;                                  // (5)
    std::unique_ptr<Dense> m_outputLayer;
    Mat m_embedded;            // (T*B, D) embedding output (token ids)
    std::vector<Mat> m_z;      // N + 1 of (T*B, D): z_0 .. z_N
    Mat m_encoded;             // (T*B, D) encoder.norm(z_N) (pre-norm)
    Mat m_features;            // (B, D) c
    Mat m_dropOut;             // (B, D)
    Mat m_out;                 // (B, O)
    Mat m_dDrop, m_dFeatures;  // (B, D)
    Mat m_dZ, m_dZNext;        // (T*B, D)
    Mat m_dEmbedded;           // (T*B, D) dL/d(embedding output)
    Mat m_dInput;              // (T*B, F) dL/dx (numbers)
    bool m_fromEmbedded = false;
    bool m_overridden = false;
    Mat m_noMask;              // (0, 0)
};

} // namespace attn
