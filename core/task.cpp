// SPDX-License-Identifier: GPL-3.0-or-later
// add and max task generators, ground-truth masks, alignment and batch gathering.
#include "core/task.h"

#include <cmath>

namespace attn {

std::string toString(TaskKind kind)
{
    switch (kind) {
    case TaskKind::Add: return "add";
    case TaskKind::Max: return "max";
    }
    return "?";
}

std::optional<TaskKind> taskKindFromString(const std::string &name)
{
    for (TaskKind k : {TaskKind::Add, TaskKind::Max})
        if (toString(k) == name)
            return k;
    return std::nullopt;
}

TaskDefaults taskDefaults(TaskKind kind)
{
    TaskDefaults d;
    if (kind == TaskKind::Add) {
        // Bahdanau, as in keras-attention's examples/add_two_numbers.py: with seed 7 it aligns
        // (>= 0.9) by epoch 12, while the Luong general score is still near 0.3 at epoch 20.
        d.model = ModelConfig{1, 100, AttentionKind::Bahdanau, 128, 0.2, 1};
        d.loss = LossKind::Mse;
        d.alignment = AlignmentKind::GroundTruthMass;
        d.batchSize = 64;
        d.epochs = 20;
    } else {
        d.model = ModelConfig{1, 128, AttentionKind::Luong, 128, 0.0, 1};
        d.loss = LossKind::Mae;
        d.alignment = AlignmentKind::ArgmaxMatch;
        d.batchSize = 32;
        d.epochs = 5;
    }
    d.learningRate = 1e-3;
    return d;
}

namespace {

Dataset emptyDataset(int n, int steps)
{
    Dataset d;
    d.steps = steps;
    d.features = 1;
    d.x = Mat::Zero(n, steps);
    d.y = Mat::Zero(n, 1);
    d.groundTruth = Mat::Zero(n, steps);
    return d;
}

// One "add" row; fixedA/fixedB < 0 draw the positions.
void addRow(Dataset &d, Eigen::Index r, Rng &rng, int fixedA, int fixedB)
{
    const int T = d.steps;
    for (int t = 0; t < T; ++t)
        d.x(r, t) = Scalar(rng.uniform());
    int a = fixedA, b = fixedB;
    if (a < 0) {
        a = 1 + int(rng.below(std::uint64_t(T - 1)));
        do {
            b = 1 + int(rng.below(std::uint64_t(T - 1)));
        } while (b == a);
    }
    d.y(r, 0) = Scalar(0.5) * d.x(r, a) + Scalar(0.5) * d.x(r, b);
    d.x(r, a - 1) = 0;
    d.x(r, b - 1) = 0;
    d.groundTruth(r, a) = 1;
    d.groundTruth(r, b) = 1;
}

void maxRow(Dataset &d, Eigen::Index r, Rng &rng)
{
    const int T = d.steps;
    int best = 0;
    for (int t = 0; t < T; ++t) {
        // Beta(1/T, 1) by inversion: its CDF is x^(1/T), so x = u^T.
        d.x(r, t) = Scalar(std::pow(rng.uniform(), double(T)));
        if (d.x(r, t) > d.x(r, best))
            best = t;
    }
    d.y(r, 0) = d.x(r, best);
    d.groundTruth(r, best) = 1;
}

} // namespace

TaskData makeAddTask(Rng &rng, TaskSize size)
{
    const int T = 20;
    TaskData task;
    task.name = "add";
    task.train = emptyDataset(size.train > 0 ? size.train : 20000, T);
    task.validation = emptyDataset(size.validation > 0 ? size.validation : 4000, T);
    task.probe = emptyDataset(10, T);
    for (Eigen::Index r = 0; r < task.train.size(); ++r)
        addRow(task.train, r, rng, -1, -1);
    for (Eigen::Index r = 0; r < task.validation.size(); ++r)
        addRow(task.validation, r, rng, -1, -1);
    for (Eigen::Index r = 0; r < task.probe.size(); ++r)
        addRow(task.probe, r, rng, 4, 9);
    static_cast<TaskDefaults &>(task) = taskDefaults(TaskKind::Add);
    return task;
}

TaskData makeMaxTask(Rng &rng, TaskSize size)
{
    const int T = 10;
    const int published = 100000;
    const int nTrain = size.train > 0 ? size.train : published * 4 / 5;
    const int nVal = size.validation > 0 ? size.validation : published / 5;
    TaskData task;
    task.name = "max";
    task.train = emptyDataset(nTrain, T);
    task.validation = emptyDataset(nVal, T);
    for (Eigen::Index r = 0; r < nTrain; ++r)
        maxRow(task.train, r, rng);
    for (Eigen::Index r = 0; r < nVal; ++r)
        maxRow(task.validation, r, rng);
    const int probes = std::min(12, nVal);
    task.probe = emptyDataset(probes, T);
    task.probe.x = task.validation.x.topRows(probes);
    task.probe.y = task.validation.y.topRows(probes);
    task.probe.groundTruth = task.validation.groundTruth.topRows(probes);
    static_cast<TaskDefaults &>(task) = taskDefaults(TaskKind::Max);
    return task;
}

TaskData makeTask(TaskKind kind, Rng &rng, TaskSize size)
{
    return kind == TaskKind::Add ? makeAddTask(rng, size) : makeMaxTask(rng, size);
}

std::optional<double> alignment(AlignmentKind kind, const ConstMatRef &attention,
                                const ConstMatRef &groundTruth)
{
    if (kind == AlignmentKind::None || groundTruth.size() == 0 || attention.rows() == 0)
        return std::nullopt;
    requireShape(groundTruth, attention.rows(), attention.cols(), "alignment groundTruth");
    double total = 0.0;
    for (Eigen::Index r = 0; r < attention.rows(); ++r) {
        if (kind == AlignmentKind::GroundTruthMass) {
            total += (attention.row(r).array() * groundTruth.row(r).array()).sum();
        } else {
            Eigen::Index predicted = 0, truth = 0;
            attention.row(r).maxCoeff(&predicted);
            groundTruth.row(r).maxCoeff(&truth);
            total += predicted == truth ? 1.0 : 0.0;
        }
    }
    return total / double(attention.rows());
}

void gatherBatch(const Dataset &data, const int *rows, int batch, MatRef x, MatRef y)
{
    const int T = data.steps, F = data.features;
    requireShape(x, Eigen::Index(T) * batch, F, "gatherBatch x");
    requireShape(y, batch, data.y.cols(), "gatherBatch y");
    for (int b = 0; b < batch; ++b) {
        const Eigen::Index r = rows[b];
        for (int t = 0; t < T; ++t)
            x.row(Eigen::Index(t) * batch + b) = data.x.row(r).segment(Eigen::Index(t) * F, F);
        y.row(b) = data.y.row(r);
    }
}

} // namespace attn
