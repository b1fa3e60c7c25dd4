// SPDX-License-Identifier: GPL-3.0-or-later
// Runs a task epoch by epoch: shuffle, mini-batches, optimizer steps, validation, and per-epoch
// statistics and the attention of the probe rows as an EpochSnapshot (snapshotbuilder.h). A
// callback after every batch reports progress and may stop the epoch, so a worker can pause,
// resume and cancel between batches. Single-threaded; the caller owns the thread.
#pragma once

#include "core/models/model.h"
#include "core/train/optimizer.h"
#include "core/snapshot/snapshot.h"
#include "core/data/alignmentsums.h"
#include "core/data/task.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace attn {

enum class OptimizerKind { Adam, Sgd };

struct TrainConfig {
    int epochs = 10;
    int batchSize = 32;
    double learningRate = 1e-3;
    std::uint64_t seed = 7;
    OptimizerKind optimizer = OptimizerKind::Adam;
    /// > 0: every snapshot (epoch 0 included) carries the faithfulness measures of
    /// core/explain/faithfulness.h on the first min(explainRows, N_val) validation rows,
    /// computed after validation (about half an add epoch's training time for 256 rows).
    int explainRows = 0;
};

/// The model config with the task's T (when config.steps is 0) and V (when config.vocabulary is 0
/// and the task has token inputs). Throws ShapeError if a non-zero steps or vocabulary differs
/// from the task's, or the model expects token ids and the task has none.
ModelConfig resolveModelConfig(const TaskData &task, const ModelConfig &config);

class Trainer {
public:
    enum class Control { Continue, Stop };
    using BatchCallback = std::function<Control(const ProgressInfo &)>;

    /// Builds the model (weights from the seed) and every training buffer. The model config's
    /// steps (T) and vocabulary (V) are taken from the task when 0 (see resolveModelConfig).
    /// Throws ConfigError if makeModel refuses the config or the batch size or epochs are < 1,
    /// DataError if the training set is smaller than one batch or the validation set is empty,
    /// ShapeError if the task's data does not fit the model.
    Trainer(std::shared_ptr<const TaskData> task, const ModelConfig &model, const TrainConfig &config);
    ~Trainer();

    /// Trains one epoch over floor(N / B) shuffled full batches (drop-last, as
    /// torch's DataLoader(drop_last=True): the batch shape, and so every buffer, stays fixed),
    /// then validates. Returns nullopt if onBatch returned Stop (the epoch is not counted).
    std::optional<EpochSnapshot> trainEpoch(const BatchCallback &onBatch = {});
    /// Snapshots (trainEpoch, evaluateSnapshot): metric "accuracy" for BCE (logit > 0 vs target > 0.5) and softmax
    /// cross-entropy (argmax of the logits vs argmax of the one-hot target), else "mae". Probe
    /// predictions: sigmoid(logit) for BCE, the argmax class index for softmax cross-entropy
    /// (targets: the true class index), else the output.
    /// Statistics and probe attention of the current weights without training (epoch 0).
    EpochSnapshot evaluateSnapshot();
    /// One training step on rows[0..B) of the training set; returns the batch loss.
    double trainStep(const int *rows);

    bool finished() const { return m_epoch >= m_config.epochs; }
    int epoch() const { return m_epoch; }
    long long step() const { return m_step; }
    void setLearningRate(double lr);
    double learningRate() const;
    const TrainConfig &config() const { return m_config; }
    const TaskData &task() const { return *m_task; }
    Model &model() { return *m_model; }
    int batchesPerEpoch() const { return int(m_task->train.size() / m_config.batchSize); }

private:
    void fillSnapshot(EpochSnapshot &s);
    /// Mean loss and metric over a data set, in batches of the training batch size; with
    /// sums, also the alignment of every row's attention (the same forward passes).
    std::pair<double, double> evaluate(const Dataset &data, AlignmentSums *sums = nullptr);

    std::shared_ptr<const TaskData> m_task;
    TrainConfig m_config;
    Rng m_initRng;
    Rng m_shuffleRng;
    std::unique_ptr<Model> m_model;
    std::vector<ParamRef> m_params;
    std::unique_ptr<Optimizer> m_optimizer;
    std::vector<int> m_order; // (N) shuffled training row indices
    int m_epoch = 0;
    long long m_step = 0;
    Mat m_x;     // (T*B, F) batch inputs
    Mat m_y;     // (B, O) batch targets
    Mat m_dPred; // (B, O)
    Mat m_mask;  // (B, T) padding mask of the batch, or empty (no padding)
};

} // namespace attn
