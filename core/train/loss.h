// SPDX-License-Identifier: GPL-3.0-or-later
// Losses over a batch of predictions. This is the ONE place where the batch mean (1/B) is
// applied: every layer's backward only accumulates sums.
//   MSE  L = 1/(B*O) sum (p - y)^2                 dL/dp = 2 (p - y) / (B*O)
//   MAE  L = 1/(B*O) sum |p - y|                   dL/dp = sign(p - y) / (B*O)
//   BCE  on logits z, p = sigmoid(z):
//        L = 1/(B*O) sum max(z,0) - z y + log(1 + exp(-|z|))   dL/dz = (sigmoid(z) - y) / (B*O)
//   Softmax cross-entropy on logits z (B, C), targets y (B, C) (one-hot, or any rows of weights):
//        L = 1/B sum_b sum_c y_bc (logsumexp(z_b) - z_bc)      dL/dz_bc = ((sum_c' y_bc') softmax(z_b)_c - y_bc) / B
//        (the mean is over the B rows only, as torch.nn.CrossEntropyLoss(reduction='mean');
//        for one-hot rows dL/dz = (softmax(z) - y) / B)
#pragma once

#include "core/models/losskind.h"
#include "core/tensor/tensor.h"

#include <optional>
#include <string>

namespace attn {

/// pred and target (B, O) (SoftmaxCrossEntropy: logits and targets (B, C)). Returns the mean loss. Throws ShapeError on a mismatch.
double lossValue(LossKind kind, const ConstMatRef &pred, const ConstMatRef &target);
/// Same, and writes dL/dpred (B, O) into dPred (preallocated). meanRows > 0: the rows n of the
/// whole batch that the mean runs over, when pred holds only some of them (a slice of the batch,
/// core/train/batchslices.h): the loss and gradient are then this part's share, sum / (n O)
/// (softmax cross-entropy: sum / n), and the parts' losses add up to the batch's mean.
/// Default: n = B.
double lossWithGradient(LossKind kind, const ConstMatRef &pred, const ConstMatRef &target,
                        MatRef dPred, Eigen::Index meanRows = 0);

} // namespace attn
