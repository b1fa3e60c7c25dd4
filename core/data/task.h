// SPDX-License-Identifier: GPL-3.0-or-later
// The seed experiments' data generators and readers with their ground-truth attention, probe
// rows and published defaults (docs/tasks.md, "Published defaults"), the mechanisms a task can use,
// and the alignment measure of attention against the ground truth.
#pragma once

#include "core/models/losskind.h"
#include "core/models/model.h"
#include "core/tensor/rng.h"
#include "core/models/sequencemodel.h"
#include "core/tensor/tensor.h"
#include "core/data/tokenizer.h"

#include <optional>
#include <string>
#include <vector>

namespace attn {

/// N sequences of T steps with F features each, stored sample-major for shuffling.
/// Token sequences (sentiment) have F = 1 and hold word ids 0..V (0 = padding) as Scalars.
/// The feature task has T = 1: one vector of F features per sample.
struct Dataset {
    int steps = 0;    // T
    int features = 0; // F
    Mat x;            // (N, T*F), column t*F + f
    Mat y;            // (N, O) targets
    Mat groundTruth;  // (N, T) ground-truth attention (1 on the positions that matter), the
                      // feature task: (N, F) (1 on the true column); or empty
    Mat mask;         // (N, T) padding mask: 1 = real step, 0 = padding (token id 0, or the steps
                      // after a shorter CSV sequence); empty = every step is real
    Eigen::Index size() const { return x.rows(); }
};

/// Csv: the user's own sequences (core/data/csvtask.h, makeCsvTask); not a generator, so it is not in
/// allTaskKinds() and makeTask() rejects it.
/// Autoencoder: the dense autoencoder with attention (autoencodertask.h), appended after Csv so
/// that the numbers of the others stay.
enum class TaskKind { Add, Max, Feature, Sentiment, Csv, Autoencoder };
/// How attention is compared with the ground truth (docs/tasks.md, "Alignment").
enum class AlignmentKind {
    None,           // no ground truth: alignment is null
    GroundTruthMass, // mean attention mass on the ground-truth positions
    ArgmaxMatch,    // share of rows whose argmax(attention) is the true argmax
};

/// "add", "max", "feature", "sentiment", "csv", "autoencoder".
std::string toString(TaskKind kind);
/// The built-in tasks only (allTaskKinds()): "csv" gives nullopt.
std::optional<TaskKind> taskKindFromString(const std::string &name);
/// Every task including "csv" (for files that record a run: sessions, saved models).
std::optional<TaskKind> anyTaskKindFromString(const std::string &name);
/// Every built-in task: add, max, feature, sentiment, autoencoder (without Csv).
std::vector<TaskKind> allTaskKinds();

/// The mechanisms a task can train with, its published one first, "none" (the baseline) last:
/// sequence tasks (add, max, sentiment): feed-forward, luong, luong-dot, bahdanau, local, local-m,
/// self, transformer, plain, none (with the published one moved to the front); feature and
/// autoencoder: feature (the attention block), none.
std::vector<AttentionKind> applicableAttention(TaskKind kind);

/// One line for a new user saying what the task is: its inputs, its output and where the
/// attention should go (a summary of the task's section in docs/tasks.md).
std::string taskDescription(TaskKind kind);

/// A task's published model and training defaults (docs/tasks.md, "Published defaults").
struct TaskDefaults {
    ModelConfig model;
    LossKind loss = LossKind::Mse;
    AlignmentKind alignment = AlignmentKind::None;
    int batchSize = 32;
    double learningRate = 1e-3;
    int epochs = 10;
    /// Early stopping's patience in epochs (TrainConfig::patience); 0 = every epoch runs.
    int patience = 0;
};
/// Csv: the defaults of a regression file with F = 1 (csvTaskDefaults in core/data/csvtask.h gives
/// them for the file's F, task type and classes).
TaskDefaults taskDefaults(TaskKind kind);

/// A task: data, probe rows for the heatmap, and the published defaults.
struct TaskData : TaskDefaults {
    std::string name;
    Dataset train;
    Dataset validation; // early stopping and every choice use this split, never test
    /// A held-out test set (a UCR NAME_TEST file, --test-data), evaluated every epoch beside the
    /// validation set and never used for a choice; empty = none.
    Dataset test;
    Dataset probe; // rows shown in the heatmap
    // Token inputs (sentiment): V, the words by id, and the words of each probe row.
    int vocabulary = 0;                            // V; 0 = the inputs are numbers
    std::vector<std::string> words;                // (V+1) words[id], words[0] = "" (padding)
    std::vector<std::vector<std::string>> probeTokens; // (probe rows, T) word per step, "" = padding
    /// Regression with a standardised target: a value in the file's units is z * targetScale +
    /// targetMean, so MAE in file units is targetScale times the standardised MAE. 1 and 0 when
    /// the target is used as it is.
    double targetScale = 1.0;
    double targetMean = 0.0;
    /// Forecasts of one series (CSV series layout): the naive forecasts and MASE need the series'
    /// own past values, which are the input feature `feature` (standardised by z = (v - mean) /
    /// scale), and the season P in steps (0: none found, or longer than the window).
    struct Series {
        int feature = 0;
        double mean = 0.0;
        double scale = 1.0;
        int season = 0;
    };
    std::optional<Series> series;
};

struct TaskSize {
    int train = 0;      // 0 = the published size
    int validation = 0; // 0 = the published size
};

/// Where a file-based task (sentiment) reads its data, and how its text becomes ids.
struct TaskSource {
    /// Folder that holds the default files (sentimentDefaultFiles()); the app passes the one
    /// shipped under resources/data/sentiment_labelled_sentences.
    std::string directory;
    /// Files to read instead of the defaults: any `sentence<TAB>label` files; a relative path is
    /// taken relative to directory (if set).
    std::vector<std::string> files;
    TokenizerOptions tokenizer; // vocabulary limit, T = 32, post padding / truncation
    /// false: the sentences are shuffled with the run's seed before the validation share is
    /// held out; true: Keras' validation_split, the LAST share of the sentences in file order,
    /// unshuffled (the sentiment blog's split).
    bool validationLast = false;
};

/// amazon_cells_labelled.txt and yelp_labelled.txt (2,000 lines), the published choice.
std::vector<std::string> sentimentDefaultFiles();

/// add (keras-attention "add two numbers after delimiters"): T = 20, x ~ U(0,1), two distinct
/// positions a, b in 1..T-1, y = 0.5 x[a] + 0.5 x[b] (taken before the delimiters are written),
/// then x[a-1] = x[b-1] = 0. 20,000 train / 4,000 validation; 10 probe rows with a = 4, b = 9.
/// LSTM(100) -> bahdanau(128) -> Dropout(0.2) -> Dense(1); MSE, Adam 1e-3, batch 64.
TaskData makeAddTask(Rng &rng, TaskSize size = {});
/// max: T = 10, x ~ Beta(1/T, 1), y = max(x). 100,000 samples split 80/20; probes = first 12
/// validation rows. LSTM(128) -> luong(128) -> Dense(1); MAE, Adam 1e-3, batch 32.
TaskData makeMaxTask(Rng &rng, TaskSize size = {});
/// feature (the Keras feature-selection demo): F = 32, x ~ N(0, 1), y in {0, 1} uniformly,
/// then x[:, 1] = y. 10,000 samples, half for validation; probes = first 10 validation rows;
/// ground truth one-hot at column 1 (N, F). feature attention -> Dense(64) -> Dense(1) on logits;
/// BCE, Adam 1e-3, batch 64, 20 epochs.
TaskData makeFeatureTask(Rng &rng, TaskSize size = {});
/// sentiment: reads the files of source (default: amazon_cells + yelp in source.directory), in
/// order; tokenizes every sentence (Tokenizer::words), fits the vocabulary on all of them (as the
/// Keras recipe fits its Tokenizer before splitting), encodes each to T = maxLength ids, shuffles
/// the sentences with rng and splits off 20% (rounded) for validation (size.validation instead,
/// if > 0; size.train > 0 caps the training rows). Probes = first 10 validation rows, with their
/// words in probeTokens. With source.validationLast the order is the files' (no shuffle) and the
/// validation rows are the last ones (Keras' validation_split); rng is not used.
/// Embedding(V+1, 32) -> LSTM(100) -> feed-forward -> Dense(1) on logits;
/// BCE, Adam 1e-3, batch 100, 10 epochs. No ground truth.
/// Throws SentenceFileError (sentencefile.h) for a missing or malformed file, ConfigError if no
/// directory or file is given or maxLength < 1, DataError if the vocabulary is empty or the sizes
/// leave an empty split.
TaskData makeSentimentTask(const TaskSource &source, Rng &rng, TaskSize size = {});
/// Dispatches on kind (autoencoder: makeAutoencoderTask, autoencodertask.h); source is used by
/// sentiment only. Throws ConfigError for TaskKind::Csv (it
/// needs a file: makeCsvTask).
TaskData makeTask(TaskKind kind, Rng &rng, TaskSize size = {}, const TaskSource &source = {});

/// attention and groundTruth (R, T) (or (R, F) for the feature task). Returns nullopt for
/// AlignmentKind::None, no ground truth or no attention (the baseline). Throws ShapeError if the
/// shapes differ.
std::optional<double> alignment(AlignmentKind kind, const ConstMatRef &attention,
                                const ConstMatRef &groundTruth);
/// Mean attention mass on the ground-truth positions (feature: the mean weight on the true
/// column), whatever the task's AlignmentKind; nullopt without ground truth or attention.
std::optional<double> groundTruthMass(const ConstMatRef &attention, const ConstMatRef &groundTruth);

/// Copies samples rows[0..B) of data into a time-major batch: x (T*B, F), y (B, O).
void gatherBatch(const Dataset &data, const int *rows, int batch, MatRef x, MatRef y);
/// The padding mask of the same rows, (B, T); resized to (0, 0) when data.mask is empty (no
/// padding). Allocates only when the shape changes.
void gatherMask(const Dataset &data, const int *rows, int batch, Mat &mask);
/// Token inputs (F = 1, ids 0..V): data.mask = (id != 0), Keras' Embedding(mask_zero=True).
void setTokenMask(Dataset &data);
/// Token ids x (T*B, 1) time-major -> mask (B, T) = (id != 0), resized if needed.
void tokenMask(const ConstMatRef &x, int batch, Mat &mask);
/// Attention mass on padding of each row: sum of attention (R, T) where mask (R, T) is 0.
/// Returns an empty vector when the mask or the attention is empty. Throws ShapeError if the
/// shapes differ.
std::vector<double> paddingMass(const ConstMatRef &attention, const ConstMatRef &mask);

} // namespace attn
