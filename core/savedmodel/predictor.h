// SPDX-License-Identifier: GPL-3.0-or-later
// Predictions of a trained model on a file: reads the file the way the model's ModelSpec says
// (csv options, standardisation, classes), runs the model in batches without dropout, and
// returns its outputs in the file's units with the attention weights of every row.
#pragma once

#include "core/models/model.h"
#include "core/savedmodel/modelspec.h"

#include <string>
#include <vector>

namespace attn {

/// Sequences to predict, already standardised as the model was trained.
struct PredictionInput {
    std::string file;
    Dataset data;            // x (N, T*F) standardised; y (N, O) in the model's target form
                             // (regression: the file's units; classes: 0/1 or one-hot) when
                             // hasTargets; groundTruth (N, T) or empty
    std::vector<int> lines;  // N: 1-based file line of each row (its target's line for series)
    bool hasTargets = false; // false: the file had no target column (wide layouts only)
};

/// Reads `file` for prediction with spec.csv, against the model's T, F, task type and classes:
/// - csv task: the training file's layout and options; for the wide layouts a file with no
///   target column (one column fewer than training files: new data whose target is unknown)
///   is accepted, hasTargets = false;
/// - add, max: wide rows of T values, optional target last; feature: rows of F values,
///   optional 0/1 target last.
/// Inputs are standardised with spec.scaling.input when fitted. Throws CsvError
/// ("FILE:LINE:COLUMN: ...") for every problem of the file, including a (T, F) or a class the
/// model does not know; std::invalid_argument for the sentiment task (sentences are not CSV).
PredictionInput readPredictionInput(const ModelSpec &spec, const std::string &file);

struct Predictions {
    Mat outputs;                // (N, O): regression: the value in the file's units;
                                // binary: P(class 1) = sigmoid(logit); multi-class: softmax
                                // probabilities of the C classes
    std::vector<int> predictedClass; // (N) class index 0..C-1; empty for regression
    Mat attention;              // (N, T) attention weights of each row ((N, F) for the feature
                                // model); empty for the no-attention baseline
};

/// Runs model (built from spec.model, weights loaded) on input in batches of at most `batch`
/// rows, in evaluation mode (no dropout). Throws ShapeError if the input's (T, F) does not fit
/// the model or batch < 1.
Predictions predict(Model &model, const ModelSpec &spec, const PredictionInput &input, int batch = 64);

/// The true class 0..C-1 of row `row` of input (input.hasTargets; classification only): the
/// 0/1 target of a binary model, the one-hot column of a multi-class one.
int targetClass(const ModelSpec &spec, const PredictionInput &input, Eigen::Index row);

/// The metric the trainer reports, over every row of input (which must have targets):
/// accuracy for classes, MAE in the file's units for regression; 0 for no rows.
double predictionMetric(const ModelSpec &spec, const PredictionInput &input, const Predictions &p);

} // namespace attn
