// SPDX-License-Identifier: GPL-3.0-or-later
// BatchSlices: the replicas, the per-slice step and the fixed-order sum of the gradients.
#include "core/train/batchslices.h"

#include "core/train/loss.h"

#include <algorithm>

namespace attn {

struct BatchSlices::Slice {
    std::unique_ptr<Model> model;  // the replica
    std::vector<ParamRef> params;  // same order and shapes as the master's
    int begin = 0;                 // first batch row of the slice
    int rows = 0;                  // b: the slice's rows
    int real = 0;                  // rows of the current step that are not fillers (0..b)
    double loss = 0.0;             // the slice's share of the mean loss
    std::vector<int> batchRows;    // (b) training rows of the slice
    Mat x;                         // (T*b, F)
    Mat y;                         // (b, O)
    Mat dPred;                     // (b, O)
    Mat mask;                      // (b, T) or empty
    const Mat *pred = nullptr;     // (b, O): the replica's output of the last forward
};

int BatchSlices::sliceCount(int batch)
{
    if (batch < 32)
        return 1;
    int s = 2; // a power of two, so that 2, 4 or 8 threads get equal shares
    while (s < kMaxSlices && batch / (2 * s) >= 32)
        s *= 2;
    return s;
}

int BatchSlices::sliceBegin(int s) const { return m_slices[std::size_t(s)]->begin; }
int BatchSlices::sliceRows(int s) const { return m_slices[std::size_t(s)]->rows; }

BatchSlices::BatchSlices(Model &master, const Dataset &train, LossKind loss, int batch,
                         int threads, std::uint64_t dropoutSeed)
    : m_masterParams(master.params()), m_train(train), m_loss(loss),
      m_batch(batch)
{
    if (batch < 1)
        throw ConfigError("BatchSlices: batch size must be >= 1");
    if (threads < 1)
        throw ConfigError("BatchSlices: threads must be >= 1");
    const int S = sliceCount(batch), T = train.steps;
    Rng seeds(dropoutSeed);
    int begin = 0;
    for (int s = 0; s < S; ++s) {
        auto slice = std::make_unique<Slice>();
        Rng scratch(0); // the replica's initial weights are overwritten by the master's
        slice->model = makeModel(master.config(), scratch, s == 0 ? dropoutSeed : seeds.next());
        slice->params = slice->model->params();
        slice->begin = begin;
        slice->rows = batch / S + (s < batch % S ? 1 : 0); // the larger slices first
        begin += slice->rows;
        const int b = slice->rows;
        slice->model->resize(T, b);
        slice->batchRows.resize(std::size_t(b));
        slice->x.resize(Eigen::Index(T) * b, train.features);
        slice->y.resize(b, train.y.cols());
        slice->dPred.resize(b, train.y.cols());
        m_slices.push_back(std::move(slice));
    }
    m_pool = std::make_unique<WorkerPool>(std::min(threads, S), [this](int s) {
        switch (m_round) {
        case Round::Step: runSlice(s); break;
        case Round::Sum: sumGradients(s); break;
        case Round::Evaluate: evaluateSlice(s); break;
        case Round::Update: m_optimizer->stepPart(*m_updateParams, m_updateStep, s, slices()); break;
        }
    });
}

BatchSlices::~BatchSlices() = default;

void BatchSlices::loadSlice(Slice &slice, const Dataset &data)
{
    for (std::size_t i = 0; i < slice.params.size(); ++i)
        *slice.params[i].value = *m_masterParams[i].value; // same shapes: no allocation
    gatherBatch(data, slice.batchRows.data(), slice.rows, slice.x, slice.y);
    gatherMask(data, slice.batchRows.data(), slice.rows, slice.mask);
    slice.model->setPaddingMask(slice.mask);
}

void BatchSlices::runSlice(int s)
{
    Slice &slice = *m_slices[std::size_t(s)];
    if (slice.real == 0)
        return; // a short batch's tail: nothing to learn from, its gradient is not summed
    const int b = slice.rows;
    for (int j = 0; j < b; ++j)
        slice.batchRows[std::size_t(j)] = m_rows[(slice.begin + j) % m_count];
    loadSlice(slice, m_train);
    Model &model = *slice.model;
    model.zeroGrad();
    const Mat &pred = model.forward(slice.x, true);
    // The mean over the step's count real rows, whichever slice they are in; fillers get an
    // exact zero gradient (rows do not interact in any layer).
    const int real = slice.real;
    slice.loss = lossWithGradient(m_loss, pred.topRows(real), slice.y.topRows(real),
                                  slice.dPred.topRows(real), m_count);
    slice.dPred.bottomRows(b - real).setZero();
    model.backward(slice.x, slice.dPred);
}

void BatchSlices::evaluateSlice(int s)
{
    Slice &slice = *m_slices[std::size_t(s)];
    for (int j = 0; j < slice.rows; ++j)
        slice.batchRows[std::size_t(j)] = int(m_evalStart) + slice.begin + j;
    loadSlice(slice, *m_evalData);
    slice.pred = &slice.model->forward(slice.x, false);
}

void BatchSlices::evaluateBatch(const Dataset &data, Eigen::Index start)
{
    if (start < 0 || start + m_batch > data.size())
        throw ShapeError("BatchSlices::evaluateBatch: rows " + std::to_string(start) + "..+" +
                         std::to_string(m_batch) + " of " + std::to_string(data.size()));
    m_evalData = &data;
    m_evalStart = start;
    runRound(Round::Evaluate);
}

void BatchSlices::runRound(Round round)
{
    m_round = round; // published to the tasks by the pool's round counter (release/acquire)
    m_pool->run(slices());
}

void BatchSlices::updateWeights(Optimizer &optimizer, const std::vector<ParamRef> &params,
                                long long step)
{
    m_optimizer = &optimizer;
    m_updateParams = &params;
    m_updateStep = step;
    runRound(Round::Update);
}

void BatchSlices::sumGradients(int part)
{
    // dL/dθ = the slices' gradients added in slice order, element by element, part by part:
    // the same sums on any number of threads.
    for (std::size_t i = 0; i < m_masterParams.size(); ++i) {
        const auto [begin, end] = partRange(m_masterParams[i].grad->size(), part, slices());
        auto sum = flatPart(*m_masterParams[i].grad, begin, end);
        sum = flatPart(*m_slices[0]->params[i].grad, begin, end); // slice 0 always has rows
        for (std::size_t s = 1; s < m_slices.size(); ++s)
            if (m_slices[s]->real > 0)
                sum += flatPart(*m_slices[s]->params[i].grad, begin, end);
    }
}

const Mat &BatchSlices::predictions(int s) const { return *m_slices[std::size_t(s)]->pred; }
const Mat &BatchSlices::targets(int s) const { return m_slices[std::size_t(s)]->y; }
const Mat &BatchSlices::attention(int s) const
{
    return m_slices[std::size_t(s)]->model->attentionWeights();
}

double BatchSlices::forwardBackward(const int *rows, int count)
{
    if (count < 1 || count > m_batch)
        throw ShapeError("BatchSlices: " + std::to_string(count) + " rows for a batch of " +
                         std::to_string(m_batch));
    m_rows = rows;
    m_count = count;
    for (const std::unique_ptr<Slice> &slice : m_slices)
        slice->real = std::clamp(count - slice->begin, 0, slice->rows);
    runRound(Round::Step);
    runRound(Round::Sum);
    double loss = 0.0;
    for (const std::unique_ptr<Slice> &slice : m_slices)
        if (slice->real > 0)
            loss += slice->loss;
    return loss;
}

} // namespace attn
