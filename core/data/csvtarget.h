// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to core/data's CSV import: the target column -> task type, y, classes and labels,
// shared by every layout (core/data/csvlayouts.cpp). Not part of the public API.
#pragma once

#include "core/data/sequencecsv.h"

#include <cstddef>
#include <vector>

namespace attn::csvdetail {

/// Fills taskType, y, classes, labels, targetName/Column of out from the target cells: column
/// tc of data rows rows[i] for sample i. requested: the task type asked for (Auto: detected, see
/// toSequences); ref: the training file's data, whose task type and classes are used instead.
/// Throws CsvError: a bad cell, a single class, too many classes, a class not in ref.
void assignTarget(const CsvTable &t, int tc, const std::vector<std::size_t> &rows,
                  TaskType requested, const SequenceData *ref, SequenceData &out);

} // namespace attn::csvdetail
