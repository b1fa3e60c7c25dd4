// SPDX-License-Identifier: GPL-3.0-or-later
// The cases bench_sidebyside trains on this engine (docs/benchmarks.md, "Side by side with
// PyTorch"): an epoch of a task with a mechanism, add seed 7's time to alignment 0.9, a GRU at
// rl-tools' benchmark shapes, and a 4-run compare at 1 and N threads. Each returns named
// numbers (Metrics), so that it can run in a child process (childprocess.h) and send them back
// as text.
#pragma once

#include "core/data/task.h"
#include "core/models/model.h"

#include <map>
#include <string>

namespace attn::bench {

using Metrics = std::map<std::string, double>;

/// "key value" lines (full precision), and back. parseMetrics skips lines it cannot read.
std::string formatMetrics(const Metrics &m);
Metrics parseMetrics(const std::string &text);

/// Trains `epochs` epochs of task (seed 7, its published defaults) with mechanism kind (the
/// "none" baseline sized against the task's own mechanism) and times the training part of
/// each. Keys: train_seconds_per_epoch, samples_per_second, train_samples, batch,
/// batches_per_epoch, threads (those the run used), parameters, flops_per_batch, val_loss (of
/// the last epoch).
Metrics runEpochCase(TaskKind task, AttentionKind kind, int epochs, TaskSize size, int threads);

/// add, seed 7, published defaults: trains until the validation alignment first reaches 0.9 or
/// maxEpochs have run. Keys: epochs_run, reached_epoch (0 = not reached), seconds (training
/// seconds up to and including reached_epoch, or of all epochs run), and per epoch e:
/// "epoch.<e>.alignment", "epoch.<e>.train_seconds" (cumulative).
Metrics runAlignCase(int maxEpochs, TaskSize size, int threads);

/// rl-tools' GRU benchmark shapes (batch 32, 64 steps, 32 inputs, 64 hidden units): GRU(64) ->
/// the last hidden state -> Dense(1), MSE, Adam, the same random batch for every step
/// (Trainer::trainStep). Keys: batches, batches_per_second, parameters, flops_per_batch.
Metrics runGruCase(int batches, int threads);

/// The GRU case's model (for its FLOP count and GEMM shapes).
ModelConfig gruCaseModel();
/// rl-tools' shapes: batch 32, 64 steps.
inline constexpr int kGruBatch = 32;
inline constexpr int kGruSteps = 64;

/// A 4-run compare (task's mechanism, seeds 7..10) with 1 thread, then `threads`
/// (CompareSchedule::threads). Keys: seconds_1, seconds_n, threads, speedup, identical (1/0).
Metrics runCompareCase(TaskKind task, int epochs, TaskSize size, int threads);

} // namespace attn::bench
