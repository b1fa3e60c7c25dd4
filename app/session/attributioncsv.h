// SPDX-License-Identifier: GPL-3.0-or-later
// The probe rows' attention and attributions (core/explain, --explain) at every stored epoch as
// one tidy CSV: one line per epoch, probe row, method and step, for plotting in R, pandas or a
// spreadsheet.
#pragma once

#include "core/data/task.h"
#include "core/snapshot/snapshot.h"

#include <QString>

#include <vector>

/// The methods of the CSV's method column, in order: attention, gradient, input_x_gradient,
/// leave_one_out, integrated_gradients.
QStringList attributionMethodNames();

/// Writes the header `epoch,probe_row,method,step,value,share,ground_truth` (TaskKind::Feature:
/// `feature` for `step`) and, for each snapshot of history with FaithfulnessSummary probe grids,
/// one line per probe row (1-based), method and position (1-based): value is the method's raw
/// value there (attention weight; gradient norm; signed input x gradient; leave-one-out output
/// change; signed integrated gradients), share is |value| divided by the sum of |value| over the
/// row (what the alignment and the Explain view use; 0 for a row of zeros), ground_truth the
/// mask value (empty without ground truth). The attention lines are left out for the
/// no-attention baseline. Numbers in their shortest round-trip form. Replaces path only on
/// success (saveFileAtomically). On failure (including a history without attributions, when
/// no file is written) returns false and sets *error to "PATH: reason".
bool writeAttributionCsv(const std::vector<attn::EpochSnapshot> &history, attn::TaskKind task,
                         const QString &path, QString *error);
