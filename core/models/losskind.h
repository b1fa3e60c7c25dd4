// SPDX-License-Identifier: GPL-3.0-or-later
// Which loss a model's output is trained with. The kind fixes what the output means (a value,
// one logit, C logits), so tasks, saved models and the trainer all name it; the loss functions
// themselves live in core/train/loss.h.
#pragma once

#include <string>

namespace attn {

enum class LossKind { Mse, Mae, BinaryCrossEntropy, SoftmaxCrossEntropy };

std::string toString(LossKind kind); // "mse", "mae", "bce", "softmax-ce"

/// The validation metric a model trained with this loss reports: "accuracy" for the
/// classification losses (BCE, softmax cross-entropy), else "mae" (the Trainer's rule).
std::string metricName(LossKind kind);

} // namespace attn
