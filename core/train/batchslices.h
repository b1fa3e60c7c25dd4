// SPDX-License-Identifier: GPL-3.0-or-later
// One training step's forward and backward passes, cut into fixed slices of the batch that
// worker threads compute at once, each slice on its own copy (replica) of the model; the
// slices' gradients are then summed in slice order into the master model. The cut depends on
// the batch size alone, never on the thread count, so a run's numbers are the same bit for bit
// on any number of threads (docs/architecture.md, "Threads").
#pragma once

#include "core/data/task.h"
#include "core/models/losskind.h"
#include "core/models/model.h"
#include "core/parallel/workerpool.h"
#include "core/train/optimizer.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace attn {

class BatchSlices {
public:
    /// The number of slices S of a batch of B rows: 1 for B < 32, else the largest power of two
    /// (2 at least, kMaxSlices at most) that leaves each slice >= 32 rows. Rows do not interact
    /// in any layer; slices of >= 16 rows keep the matrix products efficient, and a power of two
    /// shares out evenly on 2, 4 or 8 threads.
    static int sliceCount(int batch);
    static constexpr int kMaxSlices = 8;

    /// master: the model the optimizer updates; a replica per slice is built from its config
    /// (weights copied from master at every step). Slice s draws its dropout masks from its own
    /// stream: dropoutSeed for slice 0 (so an unsliced batch keeps the masks of a single model),
    /// a stream derived from dropoutSeed and s for the others. threads >= 1 (no more than S are
    /// started). Throws ConfigError for batch or threads < 1, like makeModel for the config.
    BatchSlices(Model &master, const Dataset &train, LossKind loss, int batch, int threads,
                std::uint64_t dropoutSeed);
    ~BatchSlices();

    /// The forward and backward passes of a training step over training rows rows[0..count),
    /// 1 <= count <= batch (the free slots of a short batch hold rows[j mod count] and get a loss
    /// gradient of exactly 0). Afterwards master's gradients hold the gradient of the mean loss
    /// over the count rows (overwritten with the slices' sum, added in slice order).
    /// Returns that mean loss. Allocates nothing after the first call. Throws what the model's
    /// forward throws (ShapeError, DataError).
    double forwardBackward(const int *rows, int count);
    /// optimizer.stepPart(params, step, s, S) for the S parts on the threads: the optimizer
    /// step of every parameter, element by element, in the same S parts on any thread count.
    /// Throws what the optimizer throws.
    void updateWeights(Optimizer &optimizer, const std::vector<ParamRef> &params, long long step);

    /// Evaluation forward passes (dropout off) of rows [start, start + batch) of data with the
    /// master's current weights, slice s on its thread; data has the training set's T and F.
    /// Afterwards predictions(s) (b, O), targets(s) (b, O) and attention(s) (b, T) or empty hold
    /// slice s's rows [start + sliceBegin(s), ... + sliceRows(s)). Throws ShapeError if the rows
    /// run past the end of data, what the model's forward throws.
    void evaluateBatch(const Dataset &data, Eigen::Index start);
    const Mat &predictions(int s) const;
    const Mat &targets(int s) const;
    const Mat &attention(int s) const;

    int slices() const { return int(m_slices.size()); }
    int threads() const { return m_pool->threads(); }
    /// Rows [begin, begin + rows) of the batch form slice s.
    int sliceBegin(int s) const;
    int sliceRows(int s) const;

private:
    struct Slice;
    enum class Round { Step, Sum, Evaluate, Update }; // what the pool's tasks do
    void runSlice(int s);
    void sumGradients(int part);
    void evaluateSlice(int s);
    /// The master's weights into the slice's replica, and rows batchRows of data into its
    /// x, y and padding mask.
    void loadSlice(Slice &slice, const Dataset &data);

    std::vector<ParamRef> m_masterParams;
    const Dataset &m_train;
    LossKind m_loss;
    int m_batch;
    std::vector<std::unique_ptr<Slice>> m_slices; // (S)
    const int *m_rows = nullptr; // the current step's rows and count, read by runSlice
    int m_count = 0;
    const Dataset *m_evalData = nullptr; // the current evaluateBatch's data and first row
    Eigen::Index m_evalStart = 0;
    Optimizer *m_optimizer = nullptr; // the current updateWeights'
    const std::vector<ParamRef> *m_updateParams = nullptr;
    long long m_updateStep = 0;
    Round m_round = Round::Step;
    void runRound(Round round);
    std::unique_ptr<WorkerPool> m_pool;
};

} // namespace attn
