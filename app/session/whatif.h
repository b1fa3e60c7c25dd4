// SPDX-License-Identifier: GPL-3.0-or-later
// What-if (issue 15, item 4): the model's output for one probe row under attention weights the
// user edited, computed on a copy of the trained weights (TrainedModel, never the worker's live
// model) with core/explain's attention override. Plain function; WhatIfJob (app/gui) runs it off
// the GUI thread.
#pragma once

#include "core/savedmodel/trainedmodel.h"
#include "core/snapshot/snapshot.h"

#include <QString>

#include <vector>

struct WhatIfAnswer {
    double original = 0.0; // the output as the prediction reads it, under the computed attention
    double edited = 0.0;   // the same under the edited weights
    int modelEpoch = 0;    // the epoch of the weights used
    QString error;         // non-empty: nothing was computed, and why
};

/// Rebuilds model (buildModel) and runs probe row `row` of s (its inputs: s.probeInputs, one
/// feature per step, or the feature task's F features; token ids for sentiment, with padding
/// where s.probeTokens has "") twice: as trained and with its attention weights replaced by
/// weights (U values: T steps, F features), through Explainer::outputWithAttention
/// (core/explain/explainer.h). The outputs read as predictions do: sigmoid(logit) for binary
/// cross-entropy, the argmax class index for softmax cross-entropy, else the (first) output.
/// Errors (as answer.error, never thrown): a row outside s, weights of the wrong length or not
/// summing to 1 (within 1e-3) over the row, a model without attention, a sequence model with
/// more than one input feature per step (the snapshot keeps only the first), a failure of the
/// model.
WhatIfAnswer computeWhatIf(const attn::TrainedModel &model, const attn::EpochSnapshot &s, int row,
                           const std::vector<float> &weights);
