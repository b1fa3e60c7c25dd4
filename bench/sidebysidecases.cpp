// SPDX-License-Identifier: GPL-3.0-or-later
// The cases bench_sidebyside trains on this engine (sidebysidecases.h).
#include "bench/sidebysidecases.h"

#include "bench/trainingflops.h"
#include "core/train/compare.h"
#include "core/train/trainer.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace attn::bench {

namespace {

constexpr std::uint64_t kSeed = 7;

TrainConfig trainConfig(const TaskDefaults &defaults, int epochs, int threads)
{
    TrainConfig train;
    train.epochs = epochs;
    train.batchSize = defaults.batchSize;
    train.learningRate = defaults.learningRate;
    train.seed = kSeed;
    train.optimizer = OptimizerKind::Adam;
    train.threads = threads;
    return train;
}

std::unique_ptr<Trainer> makeTrainer(TaskKind task, AttentionKind kind, int epochs, TaskSize size,
                                     int threads)
{
    const TaskDefaults defaults = taskDefaults(task);
    ModelConfig model = defaults.model; // baselineReference: the task's own mechanism
    model.attention = kind;
    Rng dataRng(kSeed);
    auto data = std::make_shared<TaskData>(makeTask(task, dataRng, size));
    return std::make_unique<Trainer>(data, model, trainConfig(defaults, epochs, threads));
}

EpochSnapshot trainOneEpoch(Trainer &trainer)
{
    std::optional<EpochSnapshot> s = trainer.trainEpoch();
    if (!s)
        throw std::runtime_error("an epoch was stopped");
    return *s;
}

} // namespace

std::string formatMetrics(const Metrics &m)
{
    std::string out;
    char buf[64];
    for (const auto &[key, value] : m) {
        std::snprintf(buf, sizeof buf, " %.17g\n", value);
        out += key + buf;
    }
    return out;
}

Metrics parseMetrics(const std::string &text)
{
    Metrics m;
    std::istringstream in(text);
    std::string key;
    double value = 0;
    while (in >> key >> value)
        m[key] = value;
    return m;
}

Metrics runEpochCase(TaskKind task, AttentionKind kind, int epochs, TaskSize size, int threads)
{
    std::unique_ptr<Trainer> trainer = makeTrainer(task, kind, epochs, size, threads);
    const TaskData &data = trainer->task();
    const double n = double(data.train.size());
    double seconds = 0, valLoss = 0;
    for (int e = 0; e < epochs; ++e) {
        const EpochSnapshot s = trainOneEpoch(*trainer);
        seconds += n / s.samplesPerSecond; // training batches only (trainer.cpp)
        valLoss = s.valLoss;
    }
    const ModelConfig model = trainer->model().config(); // T, and the baseline's width, resolved
    return {{"train_seconds_per_epoch", seconds / epochs},
            {"samples_per_second", n * epochs / seconds},
            {"train_samples", n},
            {"batch", double(trainer->batchSize())},
            {"threads", double(trainer->threads())},
            {"batches_per_epoch", double(trainer->batchesPerEpoch())},
            {"parameters", double(trainer->model().parameterCount())},
            {"flops_per_batch",
             sumFlops(trainingFlopTerms(model, data.train.steps, trainer->batchSize()))},
            {"val_loss", valLoss}};
}

Metrics runAlignCase(int maxEpochs, TaskSize size, int threads)
{
    std::unique_ptr<Trainer> trainer =
        makeTrainer(TaskKind::Add, taskDefaults(TaskKind::Add).model.attention, maxEpochs, size,
                    threads);
    const double n = double(trainer->task().train.size());
    Metrics m;
    double total = 0;
    int reached = 0, e = 0;
    while (e < maxEpochs && reached == 0) {
        const EpochSnapshot s = trainOneEpoch(*trainer);
        ++e;
        total += n / s.samplesPerSecond;
        const double a = s.alignment ? *s.alignment : 0.0;
        m["epoch." + std::to_string(e) + ".alignment"] = a;
        m["epoch." + std::to_string(e) + ".train_seconds"] = total;
        if (a >= 0.9)
            reached = e;
    }
    m["epochs_run"] = e;
    m["reached_epoch"] = reached;
    m["seconds"] = total;
    return m;
}

ModelConfig gruCaseModel()
{
    ModelConfig m{32, 64, AttentionKind::Plain, 64, 0.0, 1};
    m.cell = RecurrentCell::Gru;
    m.steps = kGruSteps;
    return m;
}

Metrics runGruCase(int batches, int threads)
{
    const ModelConfig model = gruCaseModel();
    const int T = kGruSteps, B = kGruBatch, F = model.inputs;
    auto data = std::make_shared<TaskData>();
    data->name = "gru (rl-tools shapes)";
    static_cast<TaskDefaults &>(*data) = taskDefaults(TaskKind::Add);
    data->model = model;
    data->alignment = AlignmentKind::None;
    Rng rng(kSeed);
    Dataset d;
    d.steps = T;
    d.features = F;
    d.x.resize(B, Eigen::Index(T) * F);
    d.y.resize(B, 1);
    for (Eigen::Index r = 0; r < d.x.rows(); ++r) {
        for (Eigen::Index c = 0; c < d.x.cols(); ++c)
            d.x(r, c) = Scalar(rng.uniform());
        d.y(r, 0) = Scalar(rng.uniform());
    }
    data->train = d;
    data->validation = d;
    data->probe = d;
    TaskDefaults defaults = *data;
    defaults.batchSize = B;
    Trainer trainer(data, model, trainConfig(defaults, 1, threads));
    std::vector<int> rows(B);
    std::iota(rows.begin(), rows.end(), 0);
    for (int k = 0; k < 5; ++k) // warm-up, as the PyTorch side
        trainer.trainStep(rows.data(), B);
    const auto t0 = std::chrono::steady_clock::now();
    for (int k = 0; k < batches; ++k)
        trainer.trainStep(rows.data(), B);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return {{"batches", double(batches)},
            {"threads", double(trainer.threads())},
            {"batches_per_second", batches / seconds},
            {"parameters", double(trainer.model().parameterCount())},
            {"flops_per_batch", sumFlops(trainingFlopTerms(model, T, B))}};
}

Metrics runCompareCase(TaskKind task, int epochs, TaskSize size, int threads)
{
    const TaskDefaults defaults = taskDefaults(task);
    const TrainerFactory factory = [&](AttentionKind mechanism, std::uint64_t seed) {
        Rng dataRng(seed);
        auto data = std::make_shared<TaskData>(makeTask(task, dataRng, size));
        ModelConfig model = defaults.model;
        model.attention = mechanism;
        TrainConfig train = trainConfig(defaults, epochs, 1);
        train.seed = seed;
        return std::make_unique<Trainer>(data, model, train);
    };
    const CompareGrid grid{{defaults.model.attention}, 4, kSeed};
    std::vector<std::vector<CompareRun>> results;
    double seconds[2] = {0, 0};
    const int counts[2] = {1, threads};
    for (int k = 0; k < 2; ++k) {
        CompareSchedule schedule;
        schedule.threads = counts[k];
        const auto t0 = std::chrono::steady_clock::now();
        results.push_back(runCompare(grid, factory, {}, schedule));
        seconds[k] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    bool same = results[0].size() == results[1].size();
    for (std::size_t i = 0; same && i < results[0].size(); ++i)
        for (std::size_t e = 0; e < results[0][i].history.size(); ++e)
            same = same && results[0][i].history[e].valLoss == results[1][i].history[e].valLoss &&
                   results[0][i].history[e].trainLoss == results[1][i].history[e].trainLoss;
    return {{"seconds_1", seconds[0]},
            {"seconds_n", seconds[1]},
            {"threads", double(threads)},
            {"speedup", seconds[0] / seconds[1]},
            {"identical", same ? 1.0 : 0.0}};
}

} // namespace attn::bench
