// SPDX-License-Identifier: GPL-3.0-or-later
// The user's CSV sequences as a trainable task (docs/tasks.md, "Custom CSV sequences"):
// a file (or a published train/test pair such as UCR's _TRAIN/_TEST) -> TaskData with train and
// validation sets standardised on the training split only, probe rows, and defaults chosen from
// the task type (regression, binary, multi-class). Reading and parsing: core/data/sequencecsv.h.
#pragma once

#include "core/tensor/rng.h"
#include "core/data/sequencecsv.h"
#include "core/data/task.h"

#include <string>
#include <vector>

namespace attn {

/// What to read and how to train it.
struct CsvTaskSpec {
    std::string file;     // the data file (with testFile: the training file)
    std::string testFile; // optional second file used as the validation set (UCR _TEST); "" = none
    CsvOptions options;   // layout, target, task type...; ucrOptions() for UCR files
    /// Without testFile: share of the sequences (rounded, at least 1, leaving at least 1) held
    /// out for validation, after a shuffle with the rng given to makeCsvTask. In (0, 1).
    double validationFraction = 0.2;
    /// false: no shuffle, the last sequences are the validation set (a chronological hold-out
    /// for sliding-window forecasts, where shuffled overlapping windows leak into validation).
    bool shuffle = true;
    /// false: the values are used as they are in the file (CsvTaskInfo::scaling stays unfitted).
    bool standardize = true;
    // Model and training defaults; inputs (F), outputs (O) and the loss come from the data.
    int hidden = 64;            // H: LSTM units
    AttentionKind attention = AttentionKind::Luong;
    int attentionUnits = 64;    // U
    int batchSize = 32;         // reduced to the training rows if there are fewer (>= 1)
    double learningRate = 1e-3; // Adam
    int epochs = 20;
};

/// What makeCsvTask found, for the import dialog, predictions and exports.
struct CsvTaskInfo {
    TaskType taskType = TaskType::Regression;  // as resolved (never Auto)
    std::vector<std::string> classNames;       // C labels (class k = output k); empty for regression
    std::vector<int> trainClassCounts;         // C, over the training split
    Scaling scaling;    // fitted on the training split; target fitted for regression only;
                        // nothing fitted when spec.standardize is false
    std::string summary;                       // describe() of the file (training file)
    std::vector<std::string> warnings;         // "FILE:LINE:COLUMN: ..." notes (date gaps)
    // Sequence indices (0-based, in file order) of each split: into the file, or with testFile,
    // trainRows into the training file and validationRows into the test file.
    std::vector<int> trainRows;
    std::vector<int> validationRows;
    std::vector<int> validationLines; // 1-based file line of each validation row's target
};

/// The published defaults of a CSV task with F features, of the given type (not Auto) and C
/// classes (ignored unless MultiClass): LSTM(H) -> attention(U) -> Dense(O) from spec; loss MSE
/// (O = 1) for regression, BCE on one logit (O = 1) for binary, softmax cross-entropy (O = C)
/// for multi-class; Adam at spec.learningRate, spec.batchSize, spec.epochs; alignment
/// GroundTruthMass if hasGroundTruth, else None. Throws std::invalid_argument for Auto.
TaskDefaults csvTaskDefaults(TaskType type, int features, int classes, bool hasGroundTruth,
                             const CsvTaskSpec &spec = {});

/// Reads spec.file (and spec.testFile) with spec.options and builds the task:
/// - without testFile: the N sequences are shuffled with rng (unless spec.shuffle is false) and
///   round(validationFraction * N) (clamped to 1..N-1) of them become the validation set; with
///   testFile: the training file trains, the test file (read against it: same task type,
///   classes, T, F) validates, and rng is not used;
/// - unless spec.standardize is false, a Standardizer is fitted on the training rows only (inputs per feature; the target too for
///   regression) and applied unchanged to both sets;
/// - name "csv: <file name>", probe = the first min(10, validation) validation rows with their
///   ground truth (gt_1..gt_T columns) or an empty groundTruth; batch size
///   min(spec.batchSize, training rows), with a warning in info when that is fewer than
///   spec.batchSize; defaults from csvTaskDefaults.
/// x (N, T*F), y (N, 1) or (N, C) one-hot, groundTruth (N, T) or empty, as in SequenceData.
/// info (optional) receives the classes, the scaling, the split and the file's summary.
/// Throws CsvError ("FILE:LINE:COLUMN: message") for every problem in the files (sequencecsv.h),
/// including "too few rows" when the file cannot give one training and one validation sequence
/// (or spec.options.minSequences, if larger); ConfigError for a validation fraction outside
/// (0, 1), a batch size, epochs or hidden/attention units < 1, or nonsensical options.
TaskData makeCsvTask(const CsvTaskSpec &spec, Rng &rng, CsvTaskInfo *info = nullptr);

} // namespace attn
