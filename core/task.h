// SPDX-License-Identifier: GPL-3.0-or-later
// The seed experiments' data generators with their ground-truth attention, probe rows and
// published defaults (../shared/DESIGN.md, "Tasks"), and the alignment measure of attention
// against the ground truth.
#pragma once

#include "core/loss.h"
#include "core/rng.h"
#include "core/sequencemodel.h"
#include "core/tensor.h"

#include <optional>
#include <string>

namespace attn {

/// N sequences of T steps with F features each, stored sample-major for shuffling.
struct Dataset {
    int steps = 0;    // T
    int features = 0; // F
    Mat x;            // (N, T*F), column t*F + f
    Mat y;            // (N, O) targets
    Mat groundTruth;  // (N, T) ground-truth attention (1 on the positions that matter), or empty
    Eigen::Index size() const { return x.rows(); }
};

enum class TaskKind { Add, Max };
/// How attention is compared with the ground truth (DESIGN.md, "Alignment").
enum class AlignmentKind {
    None,           // no ground truth: alignment is null
    GroundTruthMass, // mean attention mass on the ground-truth positions
    ArgmaxMatch,    // share of rows whose argmax(attention) is the true argmax
};

std::string toString(TaskKind kind);
std::optional<TaskKind> taskKindFromString(const std::string &name);

/// A task's published model and training defaults (DESIGN.md, "Tasks").
struct TaskDefaults {
    ModelConfig model;
    LossKind loss = LossKind::Mse;
    AlignmentKind alignment = AlignmentKind::None;
    int batchSize = 32;
    double learningRate = 1e-3;
    int epochs = 10;
};
TaskDefaults taskDefaults(TaskKind kind);

/// A task: data, probe rows for the heatmap, and the published defaults.
struct TaskData : TaskDefaults {
    std::string name;
    Dataset train;
    Dataset validation;
    Dataset probe; // rows shown in the heatmap
};

struct TaskSize {
    int train = 0;      // 0 = the published size
    int validation = 0; // 0 = the published size
};

/// add (keras-attention "add two numbers after delimiters"): T = 20, x ~ U(0,1), two distinct
/// positions a, b in 1..T-1, y = 0.5 x[a] + 0.5 x[b] (taken before the delimiters are written),
/// then x[a-1] = x[b-1] = 0. 20,000 train / 4,000 validation; 10 probe rows with a = 4, b = 9.
/// LSTM(100) -> bahdanau(128) -> Dropout(0.2) -> Dense(1); MSE, Adam 1e-3, batch 64.
TaskData makeAddTask(Rng &rng, TaskSize size = {});
/// max: T = 10, x ~ Beta(1/T, 1), y = max(x). 100,000 samples split 80/20; probes = first 12
/// validation rows. LSTM(128) -> luong(128) -> Dense(1); MAE, Adam 1e-3, batch 32.
TaskData makeMaxTask(Rng &rng, TaskSize size = {});
TaskData makeTask(TaskKind kind, Rng &rng, TaskSize size = {});

/// attention and groundTruth (R, T). Returns nullopt for AlignmentKind::None or no ground truth.
/// Throws ShapeError if the shapes differ.
std::optional<double> alignment(AlignmentKind kind, const ConstMatRef &attention,
                                const ConstMatRef &groundTruth);

/// Copies samples rows[0..B) of data into a time-major batch: x (T*B, F), y (B, O).
void gatherBatch(const Dataset &data, const int *rows, int batch, MatRef x, MatRef y);

} // namespace attn
