// SPDX-License-Identifier: GPL-3.0-or-later
// Runs a task epoch by epoch: shuffle, mini-batches, optimizer steps, validation, and per-epoch
// statistics and the attention of the probe rows as an EpochSnapshot (snapshotbuilder.h). A
// callback after every batch reports progress and may stop the epoch, so a worker can pause,
// resume and cancel between batches. Called from one thread; a step may use
// TrainConfig::threads - 1 more of its own (BatchSlices).
#pragma once

#include "core/models/model.h"
#include "core/train/learningrateschedule.h"
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

class BatchSlices;
class L2Penalty;

enum class OptimizerKind { Adam, Sgd };

struct TrainConfig {
    int epochs = 10;
    int batchSize = 32;
    double learningRate = 1e-3;
    std::uint64_t seed = 7;
    OptimizerKind optimizer = OptimizerKind::Adam;
    /// Early stopping (Keras EarlyStopping(monitor="val_loss", patience, restore_best_weights=
    /// True)): training ends after this many epochs without a lower validation loss, and
    /// restoreBest() returns to the best epoch's weights. 0 = off: every epoch runs.
    int patience = 0;
    /// > 0: every snapshot (epoch 0 included) carries the faithfulness measures of
    /// core/explain/faithfulness.h on the first min(explainRows, N_val) validation rows,
    /// computed after validation (about half an add epoch's training time for 256 rows).
    int explainRows = 0;
    /// L2 regularisation of the embedding weights ("embedding.weight"), Keras'
    /// embeddings_regularizer=l2(rate): rate * sum(w^2) added to every training batch's loss,
    /// 2 rate w to the gradient (core/train/l2penalty.h). 0 = off. The validation loss stays
    /// the data loss alone.
    double embeddingL2 = 0.0;
    /// Learning-rate warmup in optimizer steps (learningrateschedule.h: a linear rise to
    /// learningRate over w steps, then a decay as step^-0.5; Vaswani et al. 2017, sec. 5.3).
    /// -1 = the mechanism's default: for transformer min(4000, ceil(epochs x batches / 25))
    /// (LearningRateSchedule::transformerWarmup), for every other mechanism 0; 0 = a constant
    /// learning rate.
    int warmupSteps = -1;
    /// Threads that compute a training step (core/train/batchslices.h: the batch is cut into
    /// slices fixed by the batch size, so every thread count gives the same numbers bit for
    /// bit); 0 = one per hardware thread. Validation runs on the calling thread.
    int threads = 1;
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
    /// A training set smaller than the batch size trains in batches of all its rows (see
    /// batchSize()). Throws ConfigError if makeModel refuses the config or the batch size or
    /// epochs are < 1, DataError if the training or the validation set is empty, ShapeError if
    /// the task's data does not fit the model.
    Trainer(std::shared_ptr<const TaskData> task, const ModelConfig &model, const TrainConfig &config);
    ~Trainer();

    /// Trains one epoch over every training row once, in ceil(N / B) shuffled batches (torch's
    /// DataLoader with drop_last=False), then validates. The last batch of b < B rows keeps the
    /// batch shape, so no buffer is resized: its B - b free slots hold other rows whose loss
    /// gradient is exactly 0, and its loss is the mean over its b rows, which makes the step the
    /// one a b-row batch would take. Returns nullopt if onBatch returned Stop (the epoch is not
    /// counted).
    std::optional<EpochSnapshot> trainEpoch(const BatchCallback &onBatch = {});
    /// Snapshots (trainEpoch, evaluateSnapshot): metric "accuracy" for BCE (logit > 0 vs target > 0.5) and softmax
    /// cross-entropy (argmax of the logits vs argmax of the one-hot target), else "mae" in the
    /// file's units (TaskData::targetScale); with a test set also its loss and metric, for
    /// forecasts MASE. Probe
    /// predictions: sigmoid(logit) for BCE, the argmax class index for softmax cross-entropy
    /// (targets: the true class index), else the output.
    /// Statistics and probe attention of the current weights without training (epoch 0).
    EpochSnapshot evaluateSnapshot();
    /// One training step on rows[0..count) of the training set (1 <= count <= batchSize(); see
    /// trainEpoch for count < batchSize()); returns the mean loss over those rows, plus the
    /// L2 term of TrainConfig::embeddingL2 (of the weights before the step). Afterwards
    /// model()'s gradients are the step's; its forward caches are not (the slices' replicas
    /// ran the passes).
    double trainStep(const int *rows, int count);

    /// All epochs ran, or (patience > 0) the last `patience` epochs did not lower the
    /// validation loss.
    bool finished() const;
    /// The epoch (1-based) with the lowest validation loss so far; 0 before the first epoch.
    int bestEpoch() const { return m_bestEpoch; }
    /// With patience > 0: puts back the weights of bestEpoch() (a no-op if the last epoch was
    /// the best) and returns their snapshot, whose epoch is bestEpoch(). Without patience: the
    /// snapshot of the current weights. Throws std::logic_error before the first epoch.
    EpochSnapshot restoreBest();
    int epoch() const { return m_epoch; }
    long long step() const { return m_step; }
    /// The configured (peak) learning rate; with warmup, step t uses learningRate() x
    /// LearningRateSchedule::factor(t, warmupSteps()). Takes effect at the next step.
    void setLearningRate(double lr);
    double learningRate() const;
    /// The learning rate the last optimizer step used (before the first step: the one it will use).
    double currentLearningRate() const;
    /// w of the schedule: config().warmupSteps, or the mechanism's default when that is -1.
    int warmupSteps() const { return m_schedule.warmupSteps(); }
    const TrainConfig &config() const { return m_config; }
    const TaskData &task() const { return *m_task; }
    Model &model() { return *m_model; }
    /// B: the configured batch size, or the number of training rows N when that is smaller.
    int batchSize() const { return m_batch; }
    /// The threads a step runs on, and the slices of the batch (BatchSlices::sliceCount).
    int threads() const;
    int batchSlices() const;
    /// ceil(N / B): every training row is used once per epoch.
    int batchesPerEpoch() const { return int((m_task->train.size() + m_batch - 1) / m_batch); }

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
    std::unique_ptr<L2Penalty> m_l2; // TrainConfig::embeddingL2 on "embedding.weight"
    LearningRateSchedule m_schedule;
    std::vector<int> m_order; // (N) shuffled training row indices
    std::vector<Baseline> m_baselines; // computed once (core/train/baselines.h), in every snapshot
    std::optional<double> m_maseScale; // forecasts: the naive forecast's training MAE
    int m_batch = 0;          // B = min(config.batchSize, N)
    std::unique_ptr<BatchSlices> m_slices; // the step's forward and backward passes
    int m_epoch = 0;
    long long m_step = 0;
    // Early stopping: the best epoch's weights (same order and shapes as m_params; empty when
    // patience is 0), its validation loss and the epochs since.
    std::vector<Mat> m_bestWeights;
    double m_bestValLoss = 0.0;
    int m_bestEpoch = 0;
    int m_epochsSinceBest = 0;
};

} // namespace attn
