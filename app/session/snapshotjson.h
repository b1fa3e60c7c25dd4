// SPDX-License-Identifier: GPL-3.0-or-later
// The headless JSON line of one epoch: epoch, seconds, train_loss, val_loss, metric,
// metric_name, alignment and ground_truth_mass over the whole validation set (null without
// ground truth), alignment_rows (validation rows counted), samples_per_second, best_epoch
// (early stopping only); and the baselines of the final line.
#pragma once

#include "core/snapshot/snapshot.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>

#include <optional>
#include <utility>

QJsonObject snapshotToJson(const attn::EpochSnapshot &s);
/// The optional measures of the "faithfulness" object by key: its "kendall_tau" object and its
/// "alignment" object (written and read with these names).
using FaithfulnessMeasure = std::pair<const char *, std::optional<double> attn::FaithfulnessSummary::*>;
inline constexpr FaithfulnessMeasure kFaithfulnessTaus[] = {
    {"gradient", &attn::FaithfulnessSummary::tauGradient},
    {"input_x_gradient", &attn::FaithfulnessSummary::tauInputXGradient},
    {"leave_one_out", &attn::FaithfulnessSummary::tauLeaveOneOut},
    {"integrated_gradients", &attn::FaithfulnessSummary::tauIntegratedGradients},
};
inline constexpr FaithfulnessMeasure kFaithfulnessAlignments[] = {
    {"attention", &attn::FaithfulnessSummary::alignmentAttention},
    {"gradient", &attn::FaithfulnessSummary::alignmentGradient},
    {"input_x_gradient", &attn::FaithfulnessSummary::alignmentInputXGradient},
    {"leave_one_out", &attn::FaithfulnessSummary::alignmentLeaveOneOut},
    {"integrated_gradients", &attn::FaithfulnessSummary::alignmentIntegratedGradients},
};

/// The "faithfulness" object of snapshotToJson (--explain: rows, kendall_tau, alignment where the
/// task has ground truth, permutation_median_abs_change, uniform_abs_change, decision_flip_share
/// for classification, integrated_gradients_gap, seconds), without the probe rows'
/// attributions. number writes each value: by default a number, or null for a missing one (and
/// for NaN and infinity, as Qt writes them); session files pass their own, which keeps those.
QJsonObject faithfulnessToJson(const attn::FaithfulnessSummary &f,
                               QJsonValue (*number)(const std::optional<double> &) = nullptr);
/// One compact JSON object, no trailing newline.
QByteArray snapshotToJsonLine(const attn::EpochSnapshot &s);

/// {"majority_accuracy", "nearest_neighbour_accuracy"} (classification) or {"mean_mae"}
/// (regression): only the baselines that were computed.
QJsonObject baselinesToJson(const std::vector<attn::Baseline> &baselines);
