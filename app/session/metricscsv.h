// SPDX-License-Identifier: GPL-3.0-or-later
// The metric history of a run as CSV, one row per stored epoch, for the window's
// File > Export metrics CSV and the command line's --export-dir; and the field quoting every
// CSV the app writes shares.
#pragma once

#include "core/snapshot/snapshot.h"

#include <QString>

#include <string>

#include <vector>

/// A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
std::string csvField(const std::string &text);

/// Writes the header epoch,seconds,train_loss,val_loss,metric_name,metric,alignment,
/// samples_per_second and one row per snapshot (9 significant digits; alignment empty when the
/// task has no ground truth). Replaces path only on success (saveFileAtomically). On failure returns
/// false and sets *error to "PATH: reason".
bool writeMetricsCsv(const std::vector<attn::EpochSnapshot> &history, const QString &path,
                     QString *error);
