// SPDX-License-Identifier: GPL-3.0-or-later
// Names of the loss kinds, as written in the JSON output and in saved models.
#include "core/models/losskind.h"

namespace attn {

std::string toString(LossKind kind)
{
    switch (kind) {
    case LossKind::Mse: return "mse";
    case LossKind::Mae: return "mae";
    case LossKind::BinaryCrossEntropy: return "bce";
    case LossKind::SoftmaxCrossEntropy: return "softmax-ce";
    }
    return "?";
}

std::string metricName(LossKind kind)
{
    return kind == LossKind::BinaryCrossEntropy || kind == LossKind::SoftmaxCrossEntropy ? "accuracy" : "mae";
}

} // namespace attn
