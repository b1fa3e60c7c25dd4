// SPDX-License-Identifier: GPL-3.0-or-later
// The attention weights of the probe rows at every stored epoch as one tidy CSV (one line per
// epoch, probe row and position), for plotting in R, pandas or a spreadsheet.
#pragma once

#include "core/snapshot/snapshot.h"
#include "core/data/task.h"

#include <QString>

#include <vector>

/// Writes the header `epoch,probe_row,step,weight,ground_truth,input` and, for each snapshot of
/// history with attention weights, one line per probe row r (1-based) and position (1-based):
/// the attention weight, the ground-truth mask value (empty when the snapshot has none) and the
/// probe input there: the word when the snapshot has probeTokens (sentiment; "" for padding,
/// RFC 4180 quoted when it holds a comma, quote or line break), else the probeInputs value
/// (empty when there is none). task decides the position column's name: TaskKind::Feature,
/// whose attention is over the F input features, says `feature` instead of `step`.
/// Numbers are written in their shortest round-trip form. Snapshots without attention (the
/// no-attention baseline) give no lines. Replaces path only on success (saveFileAtomically). On failure
/// (including a history without any attention weights, when no file is written) returns false
/// and sets *error to "PATH: reason".
bool writeAttentionCsv(const std::vector<attn::EpochSnapshot> &history, attn::TaskKind task,
                       const QString &path, QString *error);
