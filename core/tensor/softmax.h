// SPDX-License-Identifier: GPL-3.0-or-later
// Row-wise softmax over time steps and its backward pass, shared by the attention layers.
//   a[b, s] = exp(e[b, s]) / sum_s' exp(e[b, s'])                         (forward)
//   de[b, s] = a[b, s] * (da[b, s] - sum_s' a[b, s'] da[b, s'])            (backward)
#pragma once

#include "core/tensor/tensor.h"

#include <limits>

namespace attn {

/// scores (B, T) -> weights (B, T), each row summing to 1. Writes into preallocated weights.
inline void softmaxRows(const ConstMatRef &scores, MatRef weights)
{
    for (Eigen::Index b = 0; b < scores.rows(); ++b) {
        // Subtracting the row maximum keeps exp() from overflowing; the result is unchanged.
        const Scalar m = scores.row(b).maxCoeff();
        weights.row(b) = (scores.row(b).array() - m).exp().matrix();
        weights.row(b) /= weights.row(b).sum();
    }
}

/// scores (B, T), mask (B, T) with 1 = real step and 0 = padding -> weights (B, T): the softmax
/// over the real steps of each row, padding weights set to exactly 0 (Keras' mask_zero, PyTorch's
/// key_padding_mask). Padding is excluded from the max and the sum, so nothing relies on exp()
/// underflowing (results do not depend on the CPU's vector width). A row without a real step gets
/// all-zero weights. The backward is softmaxRowsBackward: it gives 0 wherever a = 0.
inline void maskedSoftmaxRows(const ConstMatRef &scores, const ConstMatRef &mask, MatRef weights)
{
    constexpr Scalar lowest = -std::numeric_limits<Scalar>::infinity();
    for (Eigen::Index b = 0; b < scores.rows(); ++b) {
        const Scalar m = (mask.row(b).array() > Scalar(0)).select(scores.row(b).array(), lowest).maxCoeff();
        if (m == lowest) {
            weights.row(b).setZero();
            continue;
        }
        weights.row(b) = (mask.row(b).array() > Scalar(0))
                             .select((scores.row(b).array() - m).exp(), Scalar(0))
                             .matrix();
        weights.row(b) /= weights.row(b).sum();
    }
}

/// Given weights a (B, T) and dL/da (B, T), writes dL/de (B, T) into dScores.
inline void softmaxRowsBackward(const ConstMatRef &weights, const ConstMatRef &dWeights,
                                MatRef dScores)
{
    for (Eigen::Index b = 0; b < weights.rows(); ++b) {
        const Scalar dot = weights.row(b).dot(dWeights.row(b));
        dScores.row(b) = (weights.row(b).array() * (dWeights.row(b).array() - dot)).matrix();
    }
}

} // namespace attn
