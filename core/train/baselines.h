// SPDX-License-Identifier: GPL-3.0-or-later
// What a model has to beat, computed on the same data and split as the model: the training
// majority class and the 1-nearest-neighbour classifier (Euclidean distance, the UCR archive's
// reference; Dau et al. 2019, "The UCR Time Series Archive", Table 1's ED column; and DTW with a
// Sakoe-Chiba band of 10% of T) for classification; for regression the training-mean prediction and, for forecasts, the naive and
// seasonal naive forecasts and MASE's scale. Reported in the headless JSON ("baselines") beside
// the model's own metric.
#pragma once

#include "core/data/task.h"
#include "core/snapshot/snapshot.h"

#include <optional>
#include <vector>

namespace attn {

struct Baselines {
    /// Classification: the accuracy of always predicting the most frequent reference class
    /// (ties: the lowest class index).
    std::optional<double> majorityAccuracy;
    /// Classification with numeric inputs: the accuracy of predicting the class of the
    /// reference row nearest in Euclidean distance over all T*F inputs (ties: the first such row).
    /// Unset for token inputs, and when N_eval * N_ref * T * F exceeds kMaxNearestNeighbourWork.
    std::optional<double> nearestNeighbourAccuracy;
    /// The same with the squared DTW distance (core/train/dtw.h) within a Sakoe-Chiba band of
    /// dtwWindow = floor(T / 10) steps (dependent DTW over the F values of a step). Unset for token
    /// inputs, for T < 10 (a window of 0 steps is 1-NN Euclidean) and when
    /// N_eval * N_ref * T * (2 dtwWindow + 1) * F exceeds kMaxDtwWork.
    std::optional<double> dtwAccuracy;
    int dtwWindow = 0;
    /// Regression: the MAE of predicting the reference targets' mean, in the file's units
    /// (TaskData::targetScale), as the model's "mae" metric.
    std::optional<double> meanMae;
    /// Forecasts (TaskData::series): the MAE of the naive forecast (the series' last value in
    /// the window, y_hat = v_{t-1}) and, with a season P, of the seasonal naive forecast (the value
    /// P steps before, y_hat = v_{t-P}), in the file's units (Hyndman & Athanasopoulos, FPP3 sec.
    /// 5.2).
    std::optional<double> naiveMae;
    std::optional<double> seasonalNaiveMae;
    int season = 0;
    /// Forecasts: the naive forecast's MAE on the training rows, the scale of MASE (Hyndman &
    /// Koehler 2006, eq. 2): MASE = MAE / naiveInSampleMae. Unset if it is 0 (a constant series).
    std::optional<double> naiveInSampleMae;
};

/// The baselines that were computed, as the snapshot carries them (EpochSnapshot::baselines).
std::vector<Baseline> baselineList(const Baselines &b);

/// Multiply-adds the 1-NN baseline may take (about a second on one core).
inline constexpr double kMaxNearestNeighbourWork = 2e9;
/// DTW table cells the 1-NN DTW baseline may fill before early abandoning (about a second on one
/// core; GunPoint: 3.5e7, ECG200: 1.8e7).
inline constexpr double kMaxDtwWork = 1e9;

/// The baselines of task (its loss tells classification from regression: BCE or softmax
/// cross-entropy classify), evaluated on the rows the model's reported metric uses: the test
/// set when the task has one (the reference rows are then training + validation, everything a
/// choice may see, so 1-NN matches the UCR archive's figures), else the validation set (the
/// reference: the training rows). Throws nothing for well-formed TaskData; empty splits give
/// unset values.
Baselines computeBaselines(const TaskData &task);

} // namespace attn
