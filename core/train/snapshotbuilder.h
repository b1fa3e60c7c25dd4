// SPDX-License-Identifier: GPL-3.0-or-later
// Builds the EpochSnapshot values the trainer hands out: the epoch's statistics, then one
// evaluation forward pass over the task's probe rows for their predictions, attention weights,
// ground truth (the alignment comes from the whole validation set: AlignmentSums), argmax attention, self-attention head maps and inputs (core/snapshot/snapshot.h).
#pragma once

#include "core/data/alignmentsums.h"
#include "core/data/task.h"
#include "core/explain/faithfulness.h"
#include "core/models/model.h"
#include "core/snapshot/snapshot.h"

namespace attn {

class SnapshotBuilder {
public:
    /// Reads the task's probe set and loss and runs the model; both must outlive the builder.
    SnapshotBuilder(const TaskData &task, Model &model);

    /// Sets s's epoch, totalEpochs, validation loss and metric (with its name: "accuracy" for
    /// BCE and softmax cross-entropy, else "mae"), the alignment and ground-truth mass of the
    /// whole validation set (validationSums), then the probe fields: predictions
    /// (sigmoid(logit) for BCE, the argmax class index for softmax cross-entropy, else the
    /// output), targets (the true class index for softmax cross-entropy), attention weights
    /// (P, T) or (P, F), ground truth, argmax attention, head maps, inputs and tokens. Leaves
    /// the model resized to (T, P) of the probe rows.
    void fill(EpochSnapshot &s, int epoch, int totalEpochs, double valLoss, double metric,
              const AlignmentSums &validationSums) const;

    /// f's probe grids: the attributions of the task's probe rows (attributeRows with options);
    /// their time is added to f.seconds.
    /// Leaves the model resized to (T, P) of the probe rows; nothing for an empty probe set.
    void fillProbeAttributions(FaithfulnessSummary &f, const FaithfulnessOptions &options) const;

private:
    /// The probe fields of fill(), from one forward pass in evaluation mode.
    void fillProbe(EpochSnapshot &s) const;

    const TaskData &m_task;
    Model &m_model;
};

} // namespace attn
