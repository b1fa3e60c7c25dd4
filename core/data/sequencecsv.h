// SPDX-License-Identifier: GPL-3.0-or-later
// A user's CSV cells -> a Dataset of sequences (docs/tasks.md, "Custom CSV sequences"):
// wide, wide multivariate, long (sequence-id column) and single-series sliding-window layouts;
// task type detected from the target; published train/test pairs (UCR); standardisation fitted
// on the training split only. Tokenizing is core/io/csvparser.h.
#pragma once

#include "core/io/csvparser.h"
#include "core/data/task.h"
#include "core/tensor/tensor.h"

#include "core/models/modellimits.h"

#include <optional>
#include <string>
#include <vector>

namespace attn {

/// Auto-detected classes stop at this many distinct integer targets; more is regression.
inline constexpr int kMaxAutoClasses = 20;
/// A classification target (detected or chosen) may have at most this many classes: the
/// outputs a model may have (core/models/modellimits.h).
inline constexpr int kMaxClasses = kMaxOutputs;

enum class CsvLayout {
    Wide,             // one sequence per row: T values and the target (F = 1)
    WideMultivariate, // one sequence per row: T*F values in time-major order, then the target
    Long,             // one step per row: a sequence-id column, F feature columns, the target
    Series,           // one long series, cut into sliding windows of T steps -> the next value
};

enum class TaskType {
    Auto,       // detected from the target (see toSequences)
    Regression, // y (N, 1): the value
    Binary,     // y (N, 1): class 0 or 1 (BCE on one logit)
    MultiClass, // y (N, C): one-hot (softmax cross-entropy over C outputs)
};

std::string toString(TaskType type); // "auto", "regression", "binary", "multiclass"
std::optional<TaskType> taskTypeFromString(const std::string &name);
std::string toString(CsvLayout layout); // "wide", "wide-multivariate", "long", "series"
std::optional<CsvLayout> csvLayoutFromString(const std::string &name);

/// A column chosen by position or by header name.
struct CsvColumn {
    enum class Kind { None, Auto, First, Last, Index, Name };
    Kind kind = Kind::None;
    int index = 0;    // Index: 1-based, as in the error messages
    std::string name; // Name: the header cell, exactly

    static CsvColumn none() { return {}; }
    static CsvColumn automatic() { return {Kind::Auto, 0, {}}; }
    static CsvColumn first() { return {Kind::First, 0, {}}; }
    static CsvColumn last() { return {Kind::Last, 0, {}}; }
    static CsvColumn at(int index1) { return {Kind::Index, index1, {}}; }
    static CsvColumn named(std::string n) { return {Kind::Name, 0, std::move(n)}; }
    /// Command-line form: "first", "last" (any case), a positive number (1-based), else a name.
    static CsvColumn parse(const std::string &text);
};

/// How to read a file into sequences. The CsvFormat part (delimiter, header) is for readCsv.
struct CsvOptions : CsvFormat {
    CsvLayout layout = CsvLayout::Wide;
    CsvColumn target = CsvColumn::last(); // UCR files: CsvColumn::first()
    TaskType taskType = TaskType::Auto;
    int features = 1;                      // WideMultivariate: F per step
    CsvColumn sequenceId;                  // Long: the sequence-id column (required)
    int window = 0;                        // Series: T, the window length (required, >= 1)
    CsvColumn date = CsvColumn::automatic(); // Series: the date column, Auto or None
    std::vector<CsvColumn> ignore;         // columns to leave out (ids, notes)
    int minSequences = 1;                  // fewer samples is "too few rows" (the app: batch size)
};

/// The sequences read from one file, with what the import dialog shows about them.
struct SequenceData {
    std::string file;
    // x (N, T*F), y (N, 1) or (N, C) one-hot, groundTruth (N, T) or empty
    Dataset data;
    TaskType taskType = TaskType::Regression; // as resolved (never Auto)
    int samples = 0;                       // N
    int steps = 0;                         // T
    int features = 0;                      // F
    std::vector<std::string> featureNames; // F
    std::string targetName;                // header name, or "column K"
    int targetColumn = 0;                  // 1-based column of the target in the file
    // C labels, sorted: words as written, numbers in shortest form (1.0000000e+00 -> "1") by
    // value; empty for regression
    std::vector<std::string> classNames;
    bool textClasses = false;              // the labels are words, not numbers
    std::vector<int> classCounts;          // C
    std::vector<int> labels;               // N class indices 0..C-1; empty for regression
    std::vector<std::string> sequenceIds;  // Long: N ids in order of first appearance
    std::vector<std::string> dates;        // Series with a date column: N dates of the target
    std::vector<int> lines;                // N: 1-based line of the row holding each target
    int seriesFeature = -1;                // Series: the feature (0..F-1) that is the target
                                           // column's own past values; -1 for other layouts
    // "FILE:LINE:COLUMN: message" notes that did not stop the import (date gaps)
    std::vector<std::string> warnings;
};

/// Cells -> sequences.
/// - Wide / WideMultivariate: the target column, header columns gt_1..gt_T (any case) become
///   Dataset::groundTruth (N, T), every other column not ignored is a value: T*F of them, F = 1
///   for Wide and options.features for WideMultivariate, column j of them -> x column j (t*F + f).
/// - Long: rows with the same sequence id form one sequence (order of first appearance, steps in
///   file order); every sequence needs the same number of rows T; the target must be the same on
///   each of its rows or empty on some; an optional column named "gt" is the per-step ground truth.
/// - Series: the date column (Auto: the first column named date/time/timestamp/datetime/month/
///   day/period, else the first whose first cell is not a number) is kept as text; the other
///   columns are F features; window i is rows i..i+T-1, its target is the target column in row
///   i+T; N = rows - T. Dates YYYY-MM-DD or YYYY-MM are checked for gaps: a missing step is a
///   warning (the windows treat the rows as consecutive), not an error.
/// - Task type (Auto): Series -> regression. Otherwise a target of words -> classes; integers
///   with 2 distinct values -> Binary; 3..kMaxAutoClasses distinct integers -> MultiClass; else
///   Regression. Classes are sorted (numbers by value) and remapped to 0..C-1.
/// - reference (a published split's training file): its task type and classes are used, and its
///   (T, F) must match.
/// Throws CsvError: non-numeric, empty, NaN/Inf or out-of-range cells; a missing column; a
/// value count not divisible by F; ground-truth columns not gt_1..gt_T; unequal sequence lengths
/// or targets (Long); too few rows (< options.minSequences samples); a single class; more classes
/// than a binary target or kMaxClasses allow; a class not in the reference; a (T, F) unlike the
/// reference. Throws ConfigError on options that make no sense (F < 1, window < 1, Long without a
/// sequence-id column), std::invalid_argument on a table that is not rectangular (parseCsv's
/// always is).
SequenceData toSequences(const CsvTable &table, const CsvOptions &options,
                         const SequenceData *reference = nullptr);

/// readCsv + toSequences.
SequenceData loadSequences(const std::string &path, const CsvOptions &options);

/// A published train/test split.
struct SplitData {
    SequenceData train;
    SequenceData test;
};
/// Reads both files with the same options; the test file is read against the training file
/// (same task type, classes and shape; options.minSequences applies to the training file only).
SplitData loadSplit(const std::string &trainPath, const std::string &testPath,
                    const CsvOptions &options);
/// The UCR archive's options: Wide, label first, no header, delimiter auto (.txt: whitespace
/// runs, .csv: comma), task type Auto.
CsvOptions ucrOptions();
/// "dir/GunPoint_TRAIN.txt" -> "dir/GunPoint_TEST.txt" (also .csv, .tsv, any extension);
/// "" if the file name has no "_TRAIN".
std::string ucrTestPath(const std::string &trainPath);
/// A lone NAME_TRAIN file (no NAME_TEST beside it) is read like a pair when this is true: read
/// with ucrOptions(), every cell of its first column is a whole number (UCR's class labels)
/// while some other cell is not. False if the file cannot be read (the real read reports why).
bool firstColumnHoldsLabels(const std::string &path);
/// loadSplit(trainPath, ucrTestPath(trainPath), ucrOptions() with minSequences).
/// Throws CsvError (line 0) if the name has no "_TRAIN".
SplitData loadUcr(const std::string &trainPath, int minSequences = 1);

/// One line for the import dialog and the command line, e.g.
/// "N = 50, T = 150, F = 1; binary: 1 (24), 2 (26)" or "N = 132, T = 12, F = 1; regression".
std::string describe(const SequenceData &data);

/// Per-feature standardisation z = (x - mean_f) / scale_f. Fitted on the training split only and
/// then applied unchanged to validation and test data, so no statistic leaks from them.
class Standardizer {
public:
    /// scale = std unless std <= kStdEpsilon * max(1, |mean|); then 1, so a constant feature
    /// becomes 0 instead of rounding noise divided by ~0.
    static constexpr double kStdEpsilon = 1e-10;

    /// x (N, T*F): feature f is columns f, F+f, 2F+f, ... Mean and population std (divide by
    /// N*T) per feature, accumulated in double. Throws ShapeError if F < 1, x is empty or
    /// x.cols() is not a multiple of F.
    void fit(const ConstMatRef &x, int features);
    /// In place, x (M, T'*F) for any M and T'. Throws ShapeError if not fitted or x.cols() is not
    /// a multiple of F.
    void transform(MatRef x) const;
    /// The inverse, x = z * scale_f + mean_f (predictions back to the file's units).
    void inverseTransform(MatRef x) const;

    /// Statistics fitted before (a saved model's). Throws DataError if the sizes differ, are 0,
    /// or a scale is not a finite positive number.
    void setStatistics(std::vector<double> mean, std::vector<double> scale);
    bool isFitted() const { return !m_mean.empty(); }
    int features() const { return int(m_mean.size()); }
    const std::vector<double> &mean() const { return m_mean; }
    const std::vector<double> &scale() const { return m_scale; }

private:
    void check(const ConstMatRef &x, const char *where) const;
    std::vector<double> m_mean; // F
    std::vector<double> m_scale; // F
};

/// Input standardizer (per feature), and for regression a target standardizer (per output).
struct Scaling {
    Standardizer input;
    Standardizer target; // not fitted for classification: labels stay 0/1 or one-hot
};
/// Fits on train only: inputs always, the target only for TaskType::Regression.
Scaling fitScaling(const Dataset &train, TaskType type);
/// Applies s to data in place (x, and y if s.target is fitted). Throws ShapeError on a mismatch.
void applyScaling(const Scaling &s, Dataset &data);

} // namespace attn
