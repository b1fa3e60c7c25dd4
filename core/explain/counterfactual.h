// SPDX-License-Identifier: GPL-3.0-or-later
// Counterfactual attention: how much a model's output moves when its attention weights are
// replaced, by a random permutation of each row (Jain & Wallace 2019, "Attention is not
// Explanation", sec. 4) or by uniform weights (Wiegreffe & Pinter 2019, "Attention is not not
// Explanation", sec. 3.2's uniform baseline), with the share of classification decisions that flip.
#pragma once

#include "core/explain/explainer.h"
#include "core/tensor/rng.h"

#include <optional>
#include <vector>

namespace attn {

struct CounterfactualChange {
    Mat change;     // (R, 1) per row: Explainer::outputChange (the median over permutations)
    double medianChange = 0.0; // the median of change over the rows
    std::optional<double> flipShare; // classification: share of (row, draw) pairs whose decision flips
};

/// Each row's weights randomly permuted among its real steps (padding keeps weight 0),
/// `permutations` times (Jain & Wallace draw 100 per row); change(r) is the median over the
/// draws of the output change, as in their fig. 6. Throws ConfigError for the baseline (no
/// attention) or permutations < 1.
CounterfactualChange permutedAttentionChange(Explainer &explainer, int permutations, Rng &rng);

/// Each row's weights replaced by 1/L on its L real steps (0 on padding). Throws ConfigError
/// for the baseline.
CounterfactualChange uniformAttentionChange(Explainer &explainer);

/// Median of values (a copy is partially sorted); 0 for none.
double median(std::vector<double> values);

} // namespace attn
