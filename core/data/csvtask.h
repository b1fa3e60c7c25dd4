// SPDX-License-Identifier: GPL-3.0-or-later
// The user's CSV sequences as a trainable task (docs/tasks.md, "Custom CSV sequences"):
// a file (or a published train/test pair such as UCR's _TRAIN/_TEST) -> TaskData with train and
// validation sets standardised on the training split only, probe rows, and defaults chosen from
// the task type (regression, binary, multi-class). Reading and parsing: core/data/sequencecsv.h.
#pragma once

#include "core/tensor/rng.h"
#include "core/data/sequencecsv.h"
#include "core/data/task.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace attn {

/// Gives the parsed table of a file read with format (readCsv, or a cache of its results); throws
/// what readCsv throws.
using CsvTableReader =
    std::function<std::shared_ptr<const CsvTable>(const std::string &path, const CsvFormat &format)>;

/// What to read and how to train it.
struct CsvTaskSpec {
    std::string file;     // the data file (with testFile: the training file)
    std::string testFile; // optional held-out test file (UCR _TEST): TaskData::test; "" = none
    CsvOptions options;   // layout, target, task type...; ucrOptions() for UCR files
    /// Share of the training file's sequences held out for validation (splitRows: stratified
    /// for classes, rounded, at least 1, leaving at least 1), with or without a test file. In
    /// (0, 1).
    double validationFraction = 0.2;
    /// Forecasts (series layout): the season P in steps for the seasonal naive baseline; 0 =
    /// detected on the training targets (detectSeason).
    int season = 0;
    /// false: no shuffle, the last sequences are the validation set (a chronological hold-out
    /// for sliding-window forecasts, where shuffled overlapping windows leak into validation).
    bool shuffle = true;
    /// false: the values are used as they are in the file (CsvTaskInfo::scaling stays unfitted).
    bool standardize = true;
    /// Forecasts (series layout, regression): the model standardises each window by its own
    /// mean and spread and puts the forecast back on the window's level (ModelConfig::
    /// instanceNorm, RevIN), so a growing series is read on one scale. No effect otherwise.
    bool instanceNorm = true;
    // Model and training defaults; inputs (F), outputs (O) and the loss come from the data.
    int hidden = 64;            // H: LSTM units
    AttentionKind attention = AttentionKind::Luong;
    int attentionUnits = 64;    // U
    int batchSize = 32;         // reduced to the training rows if there are fewer (>= 1)
    double learningRate = 1e-3; // Adam
    /// 0 = sized to the data: autoEpochs() of the training rows, with early stopping
    /// (TaskDefaults::patience = autoPatience()).
    int epochs = 0;
    /// Where the tables come from; empty: readCsv. The import dialog passes its cache, so a new
    /// target or layout does not read the file again.
    CsvTableReader reader;
};

/// The optimizer steps a file's default run is sized to: enough for 50 UCR series to learn
/// (GunPoint needs about 600), while a large file still gets kMinAutoEpochs passes.
inline constexpr long long kAutoStepBudget = 1000;
inline constexpr int kMinAutoEpochs = 10;
inline constexpr int kMaxAutoEpochs = 500;
/// The default epochs of a file: ceil(kAutoStepBudget / ceil(N / B)) for N training rows in
/// batches of B, clamped to kMinAutoEpochs..kMaxAutoEpochs. Throws ConfigError if N or B < 1.
int autoEpochs(long long trainRows, int batchSize);
/// Early stopping's patience for a run of that many epochs: a fifth of them, at least 10
/// (Keras's EarlyStopping has no default; a fixed count would stop a 500-epoch run of a small
/// file on the noise of its few validation rows).
int autoPatience(int epochs);

/// What makeCsvTask found, for the import dialog, predictions and exports.
struct CsvTaskInfo {
    TaskType taskType = TaskType::Regression;  // as resolved (never Auto)
    std::vector<std::string> classNames;       // C labels (class k = output k); empty for regression
    std::vector<int> trainClassCounts;         // C, over the training split
    std::vector<int> testClassCounts;          // C, over the test file; empty without one
    Scaling scaling;    // fitted on the training split; target fitted for regression only;
                        // nothing fitted when spec.standardize is false
    std::string summary;                       // describe() of the file (training file)
    std::vector<std::string> warnings;         // "FILE:LINE:COLUMN: ..." notes (date gaps)
    // Sequence indices (0-based) into the training file of each split, in the split's order.
    std::vector<int> trainRows;
    std::vector<int> validationRows;
    std::vector<int> validationLines; // 1-based file line of each validation row's target
    std::vector<int> testLines;       // 1-based test-file line of each test row's target
    int season = 0;                   // forecasts: the season P used (0: none)
};

/// The published defaults of a CSV task with F features, of the given type (not Auto) and C
/// classes (ignored unless MultiClass): LSTM(H) -> attention(U) -> Dense(O) from spec; loss MSE
/// (O = 1) for regression, BCE on one logit (O = 1) for binary, softmax cross-entropy (O = C)
/// for multi-class; Adam at spec.learningRate, spec.batchSize, spec.epochs (0: see
/// makeCsvTask); alignment
/// GroundTruthMass if hasGroundTruth, else None. Throws std::invalid_argument for Auto.
TaskDefaults csvTaskDefaults(TaskType type, int features, int classes, bool hasGroundTruth,
                             const CsvTaskSpec &spec = {});

/// Reads spec.file (and spec.testFile) with spec.options and builds the task:
/// - the training file's N sequences are split by splitRows (core/data/rowsplit.h) with rng:
///   validationFraction of them validate, stratified by class for classification, the latest
///   ones when spec.shuffle is false; the test file (read against the training file: same task
///   type, classes, T, F) becomes TaskData::test, never used for a choice;
/// - unless spec.standardize is false, a Standardizer is fitted on the training rows only
///   (inputs per feature; the target too for regression, whose scale and mean go to
///   TaskData::targetScale / targetMean) and applied unchanged to every set;
/// - series layout: TaskData::series with the season (spec.season or detectSeason);
/// - name "csv: <file name>", probe = the first min(10, validation) validation rows with their
///   ground truth (gt_1..gt_T columns) or an empty groundTruth; batch size
///   min(spec.batchSize, training rows), with a warning in info when that is fewer than
///   spec.batchSize; defaults from csvTaskDefaults; notes in info.warnings for a class missing
///   from a part and a season longer than the window.
/// x (N, T*F), y (N, 1) or (N, C) one-hot, groundTruth (N, T) or empty, as in SequenceData.
/// info (optional) receives the classes, the scaling, the split and the file's summary.
/// Throws CsvError ("FILE:LINE:COLUMN: message") for every problem in the files (sequencecsv.h),
/// including "too few rows" when the file cannot give one training and one validation sequence
/// (or spec.options.minSequences, if larger); ConfigError for a validation fraction outside
/// (0, 1), a batch size or hidden/attention units < 1, epochs < 0, or nonsensical options.
/// With spec.epochs 0 the task's epochs are autoEpochs(training rows, batch size) and its
/// patience autoPatience(epochs).
TaskData makeCsvTask(const CsvTaskSpec &spec, Rng &rng, CsvTaskInfo *info = nullptr);

} // namespace attn
