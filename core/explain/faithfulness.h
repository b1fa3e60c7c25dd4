// SPDX-License-Identifier: GPL-3.0-or-later
// FaithfulnessReport: is attention an explanation of the trained model? On a fixed sample of
// validation rows it sets attention against gradient, input x gradient, leave-one-out and
// integrated gradients (rank agreement, alignment with the ground truth) and measures how much
// the output moves under permuted and uniform attention (docs/architecture.md, core/explain).
#pragma once

#include "core/data/task.h"
#include "core/models/model.h"

#include <cstdint>
#include <optional>

namespace attn {

struct FaithfulnessOptions {
    int rows = 256;            // the first min(rows, N_val) validation rows
    // m of integrated gradients (midpoint rule, Explainer::integratedGradients) and the
    // permutations per row: with 256 rows the measures take under half of an add epoch's
    // training time (bench_training --explain-rows 256).
    int integrationSteps = 16;
    int permutations = 8;
    /// The neutral value x' of a number input for leave-one-out and integrated gradients:
    /// each feature's mean over the training inputs (the default, trainingMean()), or 0
    /// (Explainer's own default). Token ids are always erased to padding. The training mean
    /// is what an erased value most plausibly was; 0 is the mean of standardised CSV features
    /// and of the feature task, but on add it is the delimiter's value, so erasing a number
    /// to 0 would write a delimiter (docs/tasks.md, "add"). With the mean, erasing a delimiter
    /// removes it instead: leave-one-out then rates the delimiters, which the model reads
    /// to find the numbers (README.md, "Is attention an explanation?").
    enum class Neutral { Zero, TrainingMean };
    Neutral neutral = Neutral::TrainingMean;
    std::uint64_t seed = 1;    // the permutations' random stream
};

/// One attribution method set against attention and the ground truth.
struct MethodAgreement {
    /// Mean over rows of Kendall's tau-b between the attention weights and the absolute
    /// attributions over the real steps (Jain & Wallace 2019, sec. 3); nullopt without
    /// attention or when no row has a defined tau.
    std::optional<double> kendallTau;
    /// The task's alignment measure (AlignmentSums, docs/tasks.md "Alignment") applied to the
    /// absolute attributions normalised to sum to 1 over each row's steps; nullopt without
    /// ground truth.
    std::optional<double> alignment;
};

/// The per-row attributions behind a report, (R, U): U = T steps, or F features for the
/// FeatureModel. Row r is validation row r.
struct Attributions {
    Mat attention;           // the attention weights; empty for the baseline
    Mat gradient;            // || dy/du_t ||_2
    Mat inputXGradient;      // sum_f u_t,f dy/du_t,f (signed)
    Mat leaveOneOut;         // output change with step t erased
    Mat integratedGradients; // signed, sum over the step's features
};

struct FaithfulnessReport {
    int rows = 0; // R, the validation rows explained
    /// Attention's own alignment over the same rows (the epoch's alignment uses every row).
    std::optional<double> attentionAlignment;
    MethodAgreement gradient, inputXGradient, leaveOneOut, integratedGradients;
    /// Integrated gradients' completeness (Sundararajan et al. 2017, Prop. 1): the mean over
    /// rows of |sum_t IG_t - (y(x) - y(x'))|, and of |y(x) - y(x')| for its scale.
    double completenessGap = 0.0;
    double completenessDelta = 0.0;
    /// Median over rows of the per-row median output change under permuted attention (Jain &
    /// Wallace 2019, sec. 4), and of the change under uniform attention (Wiegreffe & Pinter
    /// 2019); nullopt for the baseline. The change is Explainer::outputChange.
    std::optional<double> permutationMedianAbsChange;
    std::optional<double> uniformAbsChange;
    /// Classification with attention: the share of decisions that flip under permuted (over
    /// rows and draws) and under uniform attention.
    std::optional<double> decisionFlipShare;
    std::optional<double> uniformDecisionFlipShare;
    double seconds = 0.0; // wall time of measureFaithfulness
};

/// Explains the first min(options.rows, N_val) rows of task.validation with the model
/// (Explainer, core/explain/explainer.h) and compares the attributions with attention and with
/// task.groundTruth. The model is left resized to (T, R) with the rows' padding mask and its
/// gradients cleared: the Trainer resizes it back. Throws ConfigError if options.rows,
/// integrationSteps or permutations is < 1, DataError if the validation set is empty,
/// ShapeError if the data do not fit the model.
FaithfulnessReport measureFaithfulness(Model &model, const TaskData &task,
                                       const FaithfulnessOptions &options = {},
                                       Attributions *attributions = nullptr);

/// The attributions of the first min(rows, N) rows of data (for example the task's probe rows,
/// which the heatmap shows), computed as measureFaithfulness computes them for its sample, with
/// the same neutral value and integration steps. Row r is row r of data. The model is left as
/// measureFaithfulness leaves it. Throws ConfigError if rows or options.integrationSteps is < 1,
/// DataError if data is empty, ShapeError if data does not fit the model.
Attributions attributeRows(Model &model, const TaskData &task, const Dataset &data, int rows,
                           const FaithfulnessOptions &options = {});

/// The mean of each input feature over every step of every training row, (1, F); zeros for an
/// empty training set. The neutral value Neutral::TrainingMean uses.
Mat trainingMean(const TaskData &task);

/// (R, U) |a| normalised to sum to 1 over each row (a row of zeros stays zero).
Mat normalisedMagnitude(const ConstMatRef &a);

} // namespace attn
