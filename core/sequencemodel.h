// SPDX-License-Identifier: GPL-3.0-or-later
// The many-to-one sequence model of the seed experiments (keras-attention examples):
//   x (T*B, F) -> LSTM(H) -> attention(U) over all hidden states -> Dropout(p) -> Dense(O)
// Output is linear (regression) or logits (binary classification; the loss applies sigmoid).
#pragma once

#include "core/dense.h"
#include "core/dropout.h"
#include "core/lstm.h"
#include "core/manytooneattention.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace attn {

enum class AttentionKind { Luong, LuongDot, Bahdanau };

/// "luong", "luong-dot", "bahdanau".
std::string toString(AttentionKind kind);
/// Inverse of toString; nullopt for an unknown name.
std::optional<AttentionKind> attentionKindFromString(const std::string &name);

struct ModelConfig {
    int inputs = 1;          // F
    int hidden = 100;        // H
    AttentionKind attention = AttentionKind::Luong;
    int attentionUnits = 128; // U
    double dropout = 0.0;    // after attention
    int outputs = 1;         // O
};

class SequenceModel {
public:
    /// Initialises all weights from initRng; dropout masks come from dropoutSeed.
    /// Throws ShapeError on an invalid config.
    SequenceModel(const ModelConfig &config, Rng &initRng, std::uint64_t dropoutSeed);

    /// Allocates every workspace for T steps of B sequences; no-op if unchanged.
    void resize(int steps, int batch);
    /// x (T*B, F) time-major -> predictions/logits (B, O). Valid until the next forward.
    const Mat &forward(const ConstMatRef &x, bool training);
    /// dOut (B, O) = dL/d(output) of the last forward (already divided by B in the loss).
    void backward(const ConstMatRef &x, const ConstMatRef &dOut);
    void zeroGrad();

    /// Every parameter with its gradient, PyTorch-style names ("lstm.weight_ih_l0", ...).
    std::vector<ParamRef> params();
    long long parameterCount();
    /// Attention weights of the last forward, (B, T).
    const Mat &attentionWeights() const { return m_attention->weights(); }
    const ModelConfig &config() const { return m_config; }
    int steps() const { return m_steps; }
    int batch() const { return m_batch; }

private:
    ModelConfig m_config;
    Rng m_dropoutRng;
    Lstm m_lstm;
    std::unique_ptr<ManyToOneAttention> m_attention;
    Dropout m_dropout;
    Dense m_head;
    int m_steps = 0;
    int m_batch = 0;
    Mat m_hs;      // (T*B, H) LSTM hidden states
    Mat m_attnOut; // (B, U)
    Mat m_dropOut; // (B, U)
    Mat m_out;     // (B, O)
    Mat m_dDrop;   // (B, U)
    Mat m_dAttn;   // (B, U)
    Mat m_dHs;     // (T*B, H)
};

} // namespace attn
