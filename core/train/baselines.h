// SPDX-License-Identifier: GPL-3.0-or-later
// What a model has to beat, computed on the same data and split as the model: the training
// majority class and the 1-nearest-neighbour classifier (Euclidean distance, the UCR archive's
// reference; Dau et al. 2019, "The UCR Time Series Archive", Table 1's ED column) for
// classification, the training-mean prediction for regression. Reported in the headless JSON
// ("baselines") beside the model's own validation metric.
#pragma once

#include "core/data/task.h"
#include "core/snapshot/snapshot.h"

#include <optional>
#include <vector>

namespace attn {

struct Baselines {
    /// Classification: the validation accuracy of always predicting the most frequent training
    /// class (ties: the lowest class index).
    std::optional<double> majorityAccuracy;
    /// Classification with numeric inputs: the validation accuracy of predicting the class of the
    /// training row nearest in Euclidean distance over all T*F inputs (ties: the first such row).
    /// Unset for token inputs, and when N_val * N_train * T * F exceeds kMaxNearestNeighbourWork.
    std::optional<double> nearestNeighbourAccuracy;
    /// Regression: the validation MAE of predicting the training targets' mean (same units as
    /// the model's "mae" metric).
    std::optional<double> meanMae;
};

/// The baselines that were computed, as the snapshot carries them (EpochSnapshot::baselines).
std::vector<Baseline> baselineList(const Baselines &b);

/// Multiply-adds the 1-NN baseline may take (about a second on one core).
inline constexpr double kMaxNearestNeighbourWork = 2e9;

/// The baselines of task (its loss tells classification from regression: BCE or softmax
/// cross-entropy classify). Throws nothing for well-formed TaskData; empty splits give unset
/// values.
Baselines computeBaselines(const TaskData &task);

} // namespace attn
