// SPDX-License-Identifier: GPL-3.0-or-later
// Compare mode: trains N seeds x a set of attention mechanisms (the "none" baseline included) on
// one task and summarises the best validation metric of every run per mechanism (max, mean, sample
// std), as in the keras-attention README's IMDB table ("10 runs, max accuracy per run"). Runs
// sequentially in the calling thread; the caller builds each Trainer through a factory callback.
// A sweep across machines trains one shard (a contiguous slice of the grid's run ids) per job
// (docs/sweeps.md).
#pragma once

#include "core/models/model.h"
#include "core/snapshot/snapshot.h"
#include "core/data/task.h"
#include "core/train/trainer.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace attn {

/// One finished run of a compare: one mechanism trained with one seed for all its epochs.
struct CompareRun {
    int runId = 0;                       // position in the grid order (CompareGrid::cell)
    AttentionKind mechanism = AttentionKind::None;
    int runIndex = 0;                    // 0..runs-1: seed = base seed + runIndex
    std::uint64_t seed = 0;
    std::string metricName;              // "accuracy" (classification) or "mae" (regression)
    double bestMetric = 0.0;             // best validation metric over the epochs, see bestMetric()
    int bestEpoch = 0;                   // 1-based epoch of bestMetric (0 if every metric was NaN)
    long long parameters = 0;            // trainable parameters of the model
    std::vector<EpochSnapshot> history;  // epochs 1..E, statistics only (statisticsOnly())
};

/// One row of the compare table: the runs of one mechanism.
struct CompareRow {
    AttentionKind mechanism = AttentionKind::None;
    int runs = 0;
    double best = 0.0;        // the best run's bestMetric: max accuracy, or min MAE (column "max"/"min")
    double mean = 0.0;        // mean of the runs' bestMetric
    double std = 0.0;         // SAMPLE standard deviation (divides by n - 1) of the runs' bestMetric;
                              // NaN for a single run, where it is undefined
    long long parameters = 0; // trainable parameters (the first run's; every run of a mechanism has the same)
};

/// True for "accuracy" (higher is better), false for "mae" and every other metric (a loss-like
/// error: lower is better).
bool higherIsBetter(const std::string &metricName);
/// How a table names a metric: "accuracy (%)" (shown in percent) or "MAE".
std::string metricTitle(const std::string &metricName);
/// "max" when higherIsBetter(metricName), else "min": the best run of a mechanism.
std::string bestName(const std::string &metricName);

/// The best validation metric of a run and its 1-based epoch: the maximum of the metric over the
/// epochs for classification (accuracy), the minimum for regression (MAE). The first epoch wins a
/// tie; NaN epochs (a diverged run) are skipped; if every epoch is NaN, returns {NaN, 0}.
/// Throws std::invalid_argument for an empty history.
std::pair<double, int> bestMetric(const std::vector<EpochSnapshot> &history, bool higherIsBetter);

/// Groups runs by mechanism, in the order each mechanism first appears, and computes per group:
/// best = max (higherIsBetter) or min of bestMetric, ignoring NaN runs (NaN only if all are NaN);
/// mean; sample std (n - 1; NaN for n = 1); a NaN bestMetric makes mean and std NaN.
std::vector<CompareRow> summarize(const std::vector<CompareRun> &runs, bool higherIsBetter);

/// A copy of s with the per-probe data dropped (attention, ground truth, argmax, inputs, tokens,
/// predictions, targets, head maps): what a compare keeps of every epoch of every run.
EpochSnapshot statisticsOnly(const EpochSnapshot &s);

/// The mechanisms x seeds of a compare. Seeds are baseSeed, baseSeed + 1, ..., baseSeed + runs - 1
/// (mod 2^64), the same seeds for every mechanism.
struct CompareGrid {
    std::vector<AttentionKind> mechanisms;
    int runs = 10;
    std::uint64_t baseSeed = 7;

    int size() const { return int(mechanisms.size()) * runs; }
    /// Run runId (0..size()-1) trains mechanisms[runId % M] with seed index runId / M (M = the
    /// number of mechanisms): seed-major order, so every mechanism has the same number of finished
    /// runs (+-1) when a compare is stopped early. Throws std::out_of_range outside 0..size()-1.
    std::pair<AttentionKind, int> cell(int runId) const;
    std::uint64_t seed(int runIndex) const { return baseSeed + std::uint64_t(runIndex); }
};

/// Builds the Trainer of one run. It must generate the task's data from seed (so that for a given
/// seed every mechanism trains and validates on the same split), train the model with that
/// mechanism and TrainConfig::seed = seed (so the weights differ between mechanisms only through
/// the mechanism), and leave every other setting as the caller's base settings say.
using TrainerFactory = std::function<std::unique_ptr<Trainer>(AttentionKind mechanism, std::uint64_t seed)>;

/// Optional hooks of runCompare; all run in the calling thread.
struct CompareCallbacks {
    /// After run runId's Trainer is built, before its first epoch.
    std::function<void(int runId, AttentionKind mechanism, int runIndex, std::uint64_t seed,
                       Trainer &trainer)>
        runStarted;
    /// After every batch (Trainer::trainEpoch); Stop ends the compare between batches.
    Trainer::BatchCallback batch;
    /// After every epoch of every run, with the full snapshot; Stop ends the compare.
    std::function<Trainer::Control(int runId, const EpochSnapshot &snapshot)> epochDone;
    /// After a run's last epoch, with its result.
    std::function<void(const CompareRun &run)> runFinished;
};

/// Which runs of a grid a compare trains, and how many at once.
struct CompareSchedule {
    /// Grid run ids (0..size()-1) in ascending order, each once (may be empty); nullopt: every
    /// run of the grid.
    std::optional<std::vector<int>> runIds;
    /// Runs trained at once (>= 1), each in its own thread and single-threaded inside; 1: one
    /// after the other in the calling thread.
    int threads = 1;
};

/// Trains the scheduled cells of the grid (every cell by default), each for the factory's
/// TrainConfig::epochs: in runId order one after the other (threads = 1), or up to threads at
/// once, each run taken in runId order by the next free thread (the calling thread is one of
/// them). A run depends on its mechanism and seed only, so the results are the same bit for
/// bit at any thread count. Returns the finished runs in runId order. A stop (from batch or
/// epochDone) drops every run in progress and starts no other: one at a time, that returns the
/// runs finished before the stopped one.
/// With threads > 1 the factory is called one run at a time, every callback is called under one
/// lock (never two at once, so they need no locking of their own) from the thread of its run,
/// and runs finish, hence runFinished comes, in any order; Eigen's own threading is set to 1
/// (Eigen::setNbThreads), so the threads never nest.
/// Throws std::invalid_argument if the grid has no mechanism, runs < 1, a mechanism is listed twice,
/// a scheduled run id is outside the grid, repeated or out of order, threads < 1, the factory
/// returns null, or its Trainer's seed or mechanism is not the one asked for; whatever the
/// factory or the Trainer throw (e.g. ShapeError) passes through (of several failing runs, the
/// first in runId order), after every thread has ended.
std::vector<CompareRun> runCompare(const CompareGrid &grid, const TrainerFactory &factory,
                                   const CompareCallbacks &callbacks = {},
                                   const CompareSchedule &schedule = {});

/// Shard index of count (1-based, as `--shard K/N` gives it): one job's slice of a sweep.
struct Shard {
    int index = 1;
    int count = 1;
};

/// Parses "K/N" (two whole numbers, 1 <= K <= N <= 1000000; spaces are not allowed). Throws
/// std::invalid_argument "expected K/N with 1 <= K <= N (e.g. 3/10), got 'TEXT'".
Shard parseShard(const std::string &text);

/// The run ids of shard K of N over a grid of gridSize runs: the contiguous slice
/// [floor((K-1) S / N), floor(K S / N)) of 0..S-1 (S = gridSize). The N slices are disjoint,
/// cover every run once and differ in size by at most one; a slice is empty when N > S.
/// Throws std::invalid_argument for gridSize < 0 or a shard outside 1 <= K <= N.
std::vector<int> shardRunIds(int gridSize, Shard shard);

/// Parses a comma-separated list of mechanism names ("luong,bahdanau,none"; spaces around names
/// are ignored) for task. Throws std::invalid_argument with a message naming the offenders:
/// "unknown mechanism(s) 'x', 'y' (expected luong, ...)", "'x' does (or 'x', 'y' do) not apply to
/// the task T (it takes a, b, ...)", "'x' is (are) listed twice", or "no mechanism given".
std::vector<AttentionKind> parseMechanismList(const std::string &list, TaskKind task);

/// The table as Markdown, one row per mechanism:
/// | mechanism | runs | max | mean | std | parameters |  ("min" instead of "max" for MAE).
/// Accuracy is shown in percent with 2 decimals (the README's "88.22"), std in percentage points;
/// other metrics with 4 decimals; NaN as "n/a". Ends with a newline.
std::string compareTableMarkdown(const std::vector<CompareRow> &rows, const std::string &metricName);

/// The table as CSV: header mechanism,runs,max,mean,std,parameters ("min" for MAE), then one line
/// per row with the raw values (accuracy as a fraction, shortest exact decimal form); NaN is an
/// empty cell. Ends with a newline.
std::string compareTableCsv(const std::vector<CompareRow> &rows, const std::string &metricName);

} // namespace attn
