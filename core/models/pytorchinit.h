// SPDX-License-Identifier: GPL-3.0-or-later
// ModelConfig::init == WeightInit::PyTorch: every parameter of a built model redrawn as torch.nn's
// default initialisation of the equivalent module, so that a run can start from PyTorch's habits
// instead of Keras' (docs/parity.md, "The Luong discrepancy on add"). makeModel calls it.
#pragma once

#include "core/models/model.h"
#include "core/tensor/rng.h"

namespace attn {

/// Redraws every parameter of model (built from model.config()) from rng, in params() order,
/// by the rule of the torch.nn module it corresponds to (k = 1 / sqrt(fan_in), U = uniform):
///   recurrent layer (nn.LSTM / nn.GRU), every weight and bias      U(-k, k), fan_in = H
///   Dense, the baseline's / FeatureModel's hidden Dense, the
///     Transformer's input projection and linear1 / linear2, the
///     autoencoder's encoders (nn.Linear: kaiming_uniform a=sqrt(5))
///     weight (O, I) and bias                                        U(-k, k), fan_in = I
///   Embedding (nn.Embedding), every row, padding's too             N(0, 1)
///   Transformer self_attn (nn.MultiheadAttention): in_proj_weight
///     (3D, D) xavier_uniform, U(-a, a), a = sqrt(6 / (D + 3D));
///     out_proj.weight U(-k, k), fan_in = D; both biases              0
///   LayerNorm (norm1, norm2, encoder.norm): weight 1, bias          0
/// and, for parameters that are no torch.nn module, the nn.Linear rule of the Linear they stand
/// for (fan_in = its in-features):
///   luong's and local-m's W (H, H), bahdanau's W1, W2 (A, H), local's W_p (A, H), W_a (H, H):
///   fan_in = H;
///   bahdanau's v and local's v_p (1, A): fan_in = A; the readout's W_c (U, 2H): fan_in = 2H;
///   feed-forward's w (H, 1) and its per-step bias b (1, T): fan_in = H (Linear(H, 1));
///   feature attention's W (F, F) and b: fan_in = F; the pooling query q (1, D): fan_in = D;
///   the tied decoders' biases: fan_in = their in-features (code units, H1);
///   self-attention's W_q, W_k, W_v (H, H): nn.MultiheadAttention's packed in_proj, xavier
///   a = sqrt(6 / (H + 3H)); W_o: its out_proj, fan_in = H.
/// The luong and bahdanau rules are those of tools/train_add_torch.py --init torch.
/// Throws std::logic_error for a parameter name without a rule (a layer added without one).
void applyPytorchInit(Model &model, Rng &rng);

} // namespace attn
