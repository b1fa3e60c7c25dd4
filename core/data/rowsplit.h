// SPDX-License-Identifier: GPL-3.0-or-later
// The training / validation split of a file's rows: a seeded shuffle, stratified by class for
// classification (each class keeps its share in both parts, as scikit-learn's
// train_test_split(stratify=y)), or the latest rows for a chronological hold-out; with notes
// when a class is missing from a part.
#pragma once

#include "core/tensor/rng.h"

#include <string>
#include <vector>

namespace attn {

struct RowSplit {
    std::vector<int> train;      // row indices (0-based, into the file), in shuffled order
    std::vector<int> validation; // row indices, in shuffled order
    std::vector<std::string> warnings; // "FILE:0:0: ..." notes (a class missing from a part)
};

/// Splits rows 0..n-1 (n >= 2) into training and validation.
/// - labels empty (regression): round(fraction * n) rows, clamped to 1..n-1, validate: the first
///   of a Fisher-Yates shuffle with rng, or the last rows if shuffle is false (rng unused).
/// - labels (n) class indices 0..C-1 (classNames has the C names, for the notes): stratified.
///   The rows are shuffled with rng (shuffle is ignored: classes are never chronological), then
///   each class c with n_c rows gives round(fraction * n_c) rows, clamped to 1..n_c-1 when
///   n_c >= 2, to validation; a class with a single row trains only. A class missing from either
///   part, or a validation part of one class, is a warning naming the class and its counts.
///   If no class could give a row (every class has one row), the unstratified split is used.
/// file names the warnings. Throws ConfigError if n < 2, fraction is not in (0, 1), or labels
/// are neither empty nor n long or hold an index outside classNames.
RowSplit splitRows(int n, const std::vector<int> &labels, const std::vector<std::string> &classNames,
                   double fraction, bool shuffle, Rng &rng, const std::string &file);

/// Warnings for a fixed split (a test file beside the training file): every class of classNames
/// missing from the labels of `part`, named e.g. "test" in the message, with its counts.
std::vector<std::string> missingClassWarnings(const std::vector<int> &labels, int rows,
                                              const std::vector<std::string> &classNames,
                                              const std::string &part, const std::string &file);

} // namespace attn
