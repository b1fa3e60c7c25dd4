// SPDX-License-Identifier: GPL-3.0-or-later
// The largest model the app trains, as one set of limits shared by every place that accepts a
// size: the command line and settings (app/session/intsetting.h), the architecture file reader
// (core/savedmodel/modelspec.cpp) and the model writer. Checked from the config alone, before
// anything is allocated, so a hostile file cannot make the loader reserve gigabytes.
#pragma once

#include "core/models/model.h"

#include <string>

namespace attn {

inline constexpr int kMaxInputs = 1'000'000;       // F
// H, U and E stay at 1024 so that the orthogonal initialisation of a recurrent matrix (a QR of
// (4H x H)) takes about a second, not minutes.
inline constexpr int kMaxHidden = 1024;            // H (and the FeatureModel's Dense width)
inline constexpr int kMaxAttentionUnits = 1024;    // U
inline constexpr int kMaxSteps = 100'000;          // T
inline constexpr int kMaxOutputs = 1000;           // O (classes)
inline constexpr int kMaxHeads = 256;              // K
inline constexpr int kMaxEncoderLayers = 64;       // N of the Transformer (D is bounded by kMaxHidden)
inline constexpr int kMaxFeedForwardUnits = 8192;  // F' of the Transformer's feed-forward sublayer
inline constexpr int kMaxLocalHalfWidth = 100'000; // D of local attention
inline constexpr int kMaxVocabulary = 1'000'000;   // V (words besides padding)
inline constexpr int kMaxEmbeddingDim = 1024;      // E
inline constexpr int kMaxBaselineUnits = 100'000;  // W of the no-attention baseline
/// Parameters of one model: 200 MB of floats; training holds four such copies (weights,
/// gradients, Adam's two moments), so 800 MB at most.
inline constexpr long long kMaxParameters = 50'000'000;

/// What a config would cost, from its sizes alone (nothing is built).
struct ModelSize {
    long long parameters = 0;  // an upper bound of the parameters the config builds (within 25%)
    std::string largest;       // the largest weight matrix, e.g. "lstm.weight_ih_l0 (16384 x 1000000)"
    long long largestValues = 0;
};

/// Estimates the parameters of the model `config` builds from its sizes (H, U, F, T, V, E, O,
/// K, the baseline width): never less than parameterCount(config), at most 25% more.
ModelSize estimateModelSize(const ModelConfig &config);

/// Throws ConfigError naming the field when a size is below its minimum (1; 0 for steps and
/// vocabulary, -1 for baseline_units) or beyond the limits above, or when
/// estimateModelSize(config).parameters > kMaxParameters ("the model would have about
/// 16,400,000,000 parameters (largest: lstm.weight_ih_l0 (16384 x 1000000)), more than the
/// 50,000,000 the app can train"). Allocates nothing.
void checkModelSize(const ModelConfig &config);

} // namespace attn
