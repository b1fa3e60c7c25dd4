// SPDX-License-Identifier: GPL-3.0-or-later
// Epoch loop and validation of the trainer; the snapshots are SnapshotBuilder's.
#include "core/train/trainer.h"

#include "core/explain/faithfulness.h"
#include "core/train/adam.h"
#include "core/train/baselines.h"
#include "core/train/batchslices.h"
#include "core/train/l2penalty.h"
#include "core/train/loss.h"
#include "core/train/sgd.h"
#include "core/train/snapshotbuilder.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <stdexcept>

namespace attn {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Splits the seed into independent streams (init, shuffle, dropout) so that changing one use
// of randomness does not shift the others.
std::uint64_t streamSeed(std::uint64_t seed, int stream)
{
    Rng master(seed);
    for (int k = 0; k < stream; ++k)
        master.next();
    return master.next();
}

} // namespace

ModelConfig resolveModelConfig(const TaskData &task, const ModelConfig &config)
{
    ModelConfig c = config;
    const int T = task.train.steps;
    if (c.steps == 0)
        c.steps = T;
    else if (c.steps != T)
        throw ShapeError("Trainer: the model is built for T = " + std::to_string(c.steps) +
                         " steps, the task has T = " + std::to_string(T));
    if (task.vocabulary > 0 && c.vocabulary == 0)
        c.vocabulary = task.vocabulary;
    else if (task.vocabulary > 0 && c.vocabulary != task.vocabulary)
        throw ShapeError("Trainer: the model's vocabulary has V = " + std::to_string(c.vocabulary) +
                         " words, the task's V = " + std::to_string(task.vocabulary));
    else if (task.vocabulary == 0 && c.vocabulary > 0)
        throw ShapeError("Trainer: the model expects token ids, the task's inputs are numbers");
    return c;
}

Trainer::Trainer(std::shared_ptr<const TaskData> task, const ModelConfig &model,
                 const TrainConfig &config)
    : m_task(std::move(task)),
      m_config(config),
      m_initRng(streamSeed(config.seed, 0)),
      m_shuffleRng(streamSeed(config.seed, 1)),
      m_model(makeModel(resolveModelConfig(*m_task, model), m_initRng, streamSeed(config.seed, 2))),
      m_schedule(1.0, 0)
{
    if (config.batchSize < 1)
        throw ConfigError("Trainer: batch size must be >= 1");
    if (config.epochs < 1)
        throw ConfigError("Trainer: epochs must be >= 1");
    if (config.patience < 0)
        throw ConfigError("Trainer: patience must be >= 0 (0 = no early stopping)");
    if (!(config.learningRate > 0.0))
        throw ConfigError("Trainer: the learning rate must be > 0");
    if (config.threads < 0)
        throw ConfigError("Trainer: threads must be >= 0 (0 = one per hardware thread)");
    if (config.warmupSteps < -1)
        throw ConfigError("Trainer: warmup steps must be >= 0, or -1 for the mechanism's default");
    if (m_task->train.size() < 1)
        throw DataError("Trainer: the training set is empty");
    if (m_task->validation.size() < 1)
        throw DataError("Trainer: the validation set is empty");
    if (m_task->train.features != model.inputs || m_task->train.y.cols() != model.outputs)
        throw ShapeError("Trainer: model inputs/outputs do not match the task's data");
    m_batch = int(std::min<Eigen::Index>(config.batchSize, m_task->train.size()));
    int warmup = config.warmupSteps;
    if (warmup < 0)
        warmup = model.attention == AttentionKind::Transformer
                     ? LearningRateSchedule::transformerWarmup(
                           (long long)config.epochs * batchesPerEpoch())
                     : 0;
    m_schedule = LearningRateSchedule(config.learningRate, warmup);
    m_model->resize(m_task->train.steps, m_batch); // also rejects a T the model cannot take
    m_params = m_model->params();
    if (config.optimizer == OptimizerKind::Adam)
        m_optimizer = std::make_unique<Adam>(m_params, config.learningRate);
    else
        m_optimizer = std::make_unique<Sgd>(m_params, config.learningRate);
    m_l2 = std::make_unique<L2Penalty>(config.embeddingL2, m_params,
                                       std::vector<std::string>{"embedding.weight"});
    if (config.patience > 0)
        for (const ParamRef &p : m_params)
            m_bestWeights.push_back(*p.value);
    const Baselines baselines = computeBaselines(*m_task);
    m_baselines = baselineList(baselines);
    m_maseScale = baselines.naiveInSampleMae;
    m_order.resize(std::size_t(m_task->train.size()));
    std::iota(m_order.begin(), m_order.end(), 0);
    m_slices = std::make_unique<BatchSlices>(*m_model, m_task->train, m_task->loss, m_batch,
                                             WorkerPool::resolveThreads(config.threads),
                                             streamSeed(config.seed, 2));
}

Trainer::~Trainer() = default;

void Trainer::setLearningRate(double lr) { m_schedule.setLearningRate(lr); }
double Trainer::learningRate() const { return m_schedule.learningRate(); }
double Trainer::currentLearningRate() const { return m_schedule.at(std::max(m_step, 1LL)); }
int Trainer::threads() const { return m_slices->threads(); }
int Trainer::batchSlices() const { return m_slices->slices(); }

double Trainer::trainStep(const int *rows, int count)
{
    if (count < 1 || count > m_batch)
        throw ShapeError("Trainer::trainStep: " + std::to_string(count) + " rows for a batch of " +
                         std::to_string(m_batch));
    const double loss = m_slices->forwardBackward(rows, count);
    // Keras adds the regularisation term to every batch's loss, whole (not per row).
    const double penalty = m_l2->addGradient();
    ++m_step;
    m_optimizer->setLearningRate(m_schedule.at(m_step)); // learningrateschedule.h
    m_slices->updateWeights(*m_optimizer, m_params, m_step); // in the slices' parts
    return loss + penalty;
}

std::optional<EpochSnapshot> Trainer::trainEpoch(const BatchCallback &onBatch)
{
    const auto t0 = Clock::now();
    const int B = m_batch;
    const int batches = batchesPerEpoch();
    const int n = int(m_order.size());
    // Fisher-Yates shuffle with the trainer's own stream.
    for (std::size_t i = m_order.size() - 1; i > 0; --i)
        std::swap(m_order[i], m_order[std::size_t(m_shuffleRng.below(i + 1))]);

    double lossSum = 0.0;
    for (int k = 0; k < batches; ++k) {
        const int count = std::min(B, n - k * B);
        lossSum += trainStep(m_order.data() + std::size_t(k) * B, count) * count;
        if (onBatch) {
            ProgressInfo p;
            p.epoch = m_epoch + 1;
            p.totalEpochs = m_config.epochs;
            p.samplesDone = (long long)k * B + count;
            p.samplesPerEpoch = n;
            const double elapsed = secondsSince(t0);
            p.samplesPerSecond = elapsed > 0 ? double(p.samplesDone) / elapsed : 0.0;
            const double remaining = double(p.samplesPerEpoch - p.samplesDone) +
                                     double(m_config.epochs - m_epoch - 1) * double(p.samplesPerEpoch);
            p.etaSeconds = p.samplesPerSecond > 0 ? remaining / p.samplesPerSecond : 0.0;
            if (onBatch(p) == Control::Stop)
                return std::nullopt;
        }
    }
    const double trainSeconds = secondsSince(t0);
    ++m_epoch;
    EpochSnapshot s;
    s.trainLoss = lossSum / double(n); // the mean over every row, as the validation loss
    s.samplesPerSecond = double(n) / trainSeconds;
    fillSnapshot(s);
    // Only a strictly lower loss is an improvement, as Keras' min_delta = 0.
    if (m_bestEpoch == 0 || s.valLoss < m_bestValLoss) {
        m_bestEpoch = m_epoch;
        m_bestValLoss = s.valLoss;
        m_epochsSinceBest = 0;
        for (std::size_t i = 0; i < m_bestWeights.size(); ++i)
            m_bestWeights[i] = *m_params[i].value; // same shape: no reallocation
    } else {
        ++m_epochsSinceBest;
    }
    if (m_config.patience > 0)
        s.bestEpoch = m_bestEpoch; // reported only where early stopping uses it
    s.seconds = secondsSince(t0);
    return s;
}

bool Trainer::finished() const
{
    return m_epoch >= m_config.epochs ||
           (m_config.patience > 0 && m_epochsSinceBest >= m_config.patience);
}

EpochSnapshot Trainer::restoreBest()
{
    if (m_epoch == 0)
        throw std::logic_error("Trainer::restoreBest: no epoch has been trained");
    const int current = m_epoch;
    if (!m_bestWeights.empty()) {
        for (std::size_t i = 0; i < m_bestWeights.size(); ++i)
            *m_params[i].value = m_bestWeights[i];
        m_epoch = m_bestEpoch; // the snapshot below is the best epoch's
    }
    EpochSnapshot s = evaluateSnapshot(); // train_loss: evaluated on these weights
    if (!m_bestWeights.empty())
        s.bestEpoch = m_bestEpoch;
    m_epoch = current;
    return s;
}

EpochSnapshot Trainer::evaluateSnapshot()
{
    EpochSnapshot s;
    s.trainLoss = evaluate(m_task->train).first;
    fillSnapshot(s);
    return s;
}

std::pair<double, double> Trainer::evaluate(const Dataset &data, AlignmentSums *sums)
{
    const int T = data.steps;
    const Eigen::Index n = data.size();
    const int B = int(std::min<Eigen::Index>(m_config.batchSize, n));
    std::vector<int> rows(static_cast<std::size_t>(B));
    double lossSum = 0.0, metricSum = 0.0;
    // The loss, metric and alignment of rows [first, first + b) from their predictions, in row
    // order: the same sums whichever thread computed the predictions.
    const auto tally = [&](const Mat &pred, const Mat &y, const Mat &attention, Eigen::Index first) {
        const Eigen::Index b = pred.rows();
        lossSum += lossValue(m_task->loss, pred, y) * double(b);
        if (sums)
            sums->add(attention, data, first); // (b, T) or (b, F)
        for (Eigen::Index r = 0; r < b; ++r) {
            if (m_task->loss == LossKind::BinaryCrossEntropy) {
                metricSum += ((pred(r, 0) > 0) == (y(r, 0) > Scalar(0.5))) ? 1.0 : 0.0;
            } else if (m_task->loss == LossKind::SoftmaxCrossEntropy) {
                Eigen::Index predicted = 0, truth = 0; // accuracy: argmax of the logits vs one-hot
                pred.row(r).maxCoeff(&predicted);
                y.row(r).maxCoeff(&truth);
                metricSum += predicted == truth ? 1.0 : 0.0;
            } else
                metricSum += (pred.row(r) - y.row(r)).cwiseAbs().mean();
        }
    };
    Mat x, y, mask; // evaluation buffers (outside the training step)
    for (Eigen::Index start = 0; start < n; start += B) {
        const int b = int(std::min<Eigen::Index>(B, n - start));
        if (b == m_batch) { // a whole training batch: its slices on the step's threads
            m_slices->evaluateBatch(data, start);
            for (int s = 0; s < m_slices->slices(); ++s)
                tally(m_slices->predictions(s), m_slices->targets(s), m_slices->attention(s),
                      start + m_slices->sliceBegin(s));
            continue;
        }
        x.resize(Eigen::Index(T) * b, data.features);
        y.resize(b, data.y.cols());
        std::iota(rows.begin(), rows.begin() + b, int(start));
        gatherBatch(data, rows.data(), b, x, y);
        gatherMask(data, rows.data(), b, mask);
        m_model->resize(T, b);
        m_model->setPaddingMask(mask);
        tally(m_model->forward(x, false), y, m_model->attentionWeights(), start);
    }
    const double unit = m_task->loss == LossKind::BinaryCrossEntropy ||
                                m_task->loss == LossKind::SoftmaxCrossEntropy
                            ? 1.0
                            : m_task->targetScale; // MAE in the file's units
    return {lossSum / double(n), metricSum / double(n) * unit};
}

void Trainer::fillSnapshot(EpochSnapshot &s)
{
    // Alignment over the whole validation set (docs/tasks.md, "Alignment"); feature attention
    // multiplies the inputs, so rows whose true column is 0 carry no information and are skipped.
    AlignmentSums sums(m_task->alignment,
                       m_model->config().architecture == ModelArchitecture::Feature);
    const auto [valLoss, metric] = evaluate(m_task->validation, &sums);
    SnapshotBuilder(*m_task, *m_model).fill(s, m_epoch, m_config.epochs, valLoss, metric, sums);
    s.baselines = m_baselines;
    if (m_task->test.size() > 0) {
        const auto [testLoss, testMetric] = evaluate(m_task->test);
        s.testLoss = testLoss;
        s.testMetric = testMetric;
    }
    if (m_maseScale) {
        s.mase = s.metric / *m_maseScale;
        if (s.testMetric)
            s.testMase = *s.testMetric / *m_maseScale;
    }
    // The autoencoder's attention after the first layer cannot be overridden (its input weights
    // are derived), and its many outputs have no decision to flip: no faithfulness measures.
    if (m_config.explainRows > 0 && m_model->config().architecture != ModelArchitecture::Autoencoder) {
        FaithfulnessOptions options;
        options.rows = m_config.explainRows;
        const FaithfulnessReport r = measureFaithfulness(*m_model, *m_task, options);
        FaithfulnessSummary f;
        f.rows = r.rows;
        f.tauGradient = r.gradient.kendallTau;
        f.tauInputXGradient = r.inputXGradient.kendallTau;
        f.tauLeaveOneOut = r.leaveOneOut.kendallTau;
        f.tauIntegratedGradients = r.integratedGradients.kendallTau;
        f.alignmentAttention = r.attentionAlignment;
        f.alignmentGradient = r.gradient.alignment;
        f.alignmentInputXGradient = r.inputXGradient.alignment;
        f.alignmentLeaveOneOut = r.leaveOneOut.alignment;
        f.alignmentIntegratedGradients = r.integratedGradients.alignment;
        f.permutationMedianAbsChange = r.permutationMedianAbsChange;
        f.uniformAbsChange = r.uniformAbsChange;
        f.decisionFlipShare = r.decisionFlipShare;
        f.completenessGap = r.completenessGap;
        f.seconds = r.seconds;
        SnapshotBuilder(*m_task, *m_model).fillProbeAttributions(f, options);
        s.faithfulness = f;
    }
}

} // namespace attn
