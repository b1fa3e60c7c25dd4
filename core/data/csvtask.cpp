// SPDX-License-Identifier: GPL-3.0-or-later
// CSV file(s) -> TaskData: the train/validation split (seeded shuffle or a published test
// file), train-only standardisation, probe rows and the defaults per task type.
#include "core/data/csvtask.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <stdexcept>

namespace attn {

TaskDefaults csvTaskDefaults(TaskType type, int features, int classes, bool hasGroundTruth,
                             const CsvTaskSpec &spec)
{
    TaskDefaults d = taskDefaults(TaskKind::Csv);
    d.model.inputs = features;
    d.model.hidden = spec.hidden;
    d.model.attention = spec.attention;
    d.model.attentionUnits = spec.attentionUnits;
    d.model.baselineReference = spec.attention;
    switch (type) {
    case TaskType::Auto:
        throw std::invalid_argument("csvTaskDefaults: the task type must be resolved, not auto");
    case TaskType::Regression:
        d.loss = LossKind::Mse;
        d.model.outputs = 1;
        break;
    case TaskType::Binary:
        d.loss = LossKind::BinaryCrossEntropy; // on one logit
        d.model.outputs = 1;
        break;
    case TaskType::MultiClass:
        d.loss = LossKind::SoftmaxCrossEntropy;
        d.model.outputs = classes;
        break;
    }
    d.alignment = hasGroundTruth ? AlignmentKind::GroundTruthMass : AlignmentKind::None;
    d.batchSize = spec.batchSize;
    d.learningRate = spec.learningRate;
    d.epochs = spec.epochs;
    return d;
}

namespace {

void checkSpec(const CsvTaskSpec &s)
{
    if (s.testFile.empty() && !(s.validationFraction > 0.0 && s.validationFraction < 1.0))
        throw ConfigError("CsvTaskSpec: the validation fraction must be in (0, 1), got " +
                                    std::to_string(s.validationFraction));
    if (s.batchSize < 1 || s.epochs < 1 || s.hidden < 1 || s.attentionUnits < 1)
        throw ConfigError("CsvTaskSpec: batch size, epochs, hidden and attention units must be >= 1");
}

/// The rows `rows` of d, in that order.
Dataset subset(const Dataset &d, const std::vector<int> &rows)
{
    Dataset out;
    out.steps = d.steps;
    out.features = d.features;
    const Eigen::Index n = Eigen::Index(rows.size());
    out.x.resize(n, d.x.cols());
    out.y.resize(n, d.y.cols());
    if (d.groundTruth.size() > 0)
        out.groundTruth.resize(n, d.groundTruth.cols());
    if (d.mask.size() > 0)
        out.mask.resize(n, d.mask.cols());
    for (Eigen::Index i = 0; i < n; ++i) {
        const Eigen::Index r = rows[std::size_t(i)];
        out.x.row(i) = d.x.row(r);
        out.y.row(i) = d.y.row(r);
        if (d.groundTruth.size() > 0)
            out.groundTruth.row(i) = d.groundTruth.row(r);
        if (d.mask.size() > 0)
            out.mask.row(i) = d.mask.row(r);
    }
    return out;
}

std::vector<int> iota(int n)
{
    std::vector<int> v(std::size_t(std::max(n, 0)));
    std::iota(v.begin(), v.end(), 0);
    return v;
}

} // namespace

TaskData makeCsvTask(const CsvTaskSpec &spec, Rng &rng, CsvTaskInfo *info)
{
    checkSpec(spec);
    CsvOptions options = spec.options;
    CsvTaskInfo local;
    CsvTaskInfo &out = info ? *info : local;
    out = CsvTaskInfo{};

    SequenceData trainFile, validationFile; // validationFile: the test file, if any
    const SequenceData *source = nullptr;   // the file the split is cut from (no test file)
    if (!spec.testFile.empty()) {
        options.minSequences = std::max(options.minSequences, 1);
        SplitData split = loadSplit(spec.file, spec.testFile, options);
        trainFile = std::move(split.train);
        validationFile = std::move(split.test);
        out.trainRows = iota(trainFile.samples);
        out.validationRows = iota(validationFile.samples);
    } else {
        // One sequence to train on and one to validate is the least a split can leave.
        options.minSequences = std::max(options.minSequences, 2);
        trainFile = loadSequences(spec.file, options);
        source = &trainFile;
        const int n = trainFile.samples;
        std::vector<int> order = iota(n);
        if (spec.shuffle) // Fisher-Yates with the caller's seeded stream
            for (int i = n - 1; i > 0; --i)
                std::swap(order[std::size_t(i)],
                          order[std::size_t(rng.below(std::uint64_t(i) + 1))]);
        const int nVal = std::clamp(int(std::lround(spec.validationFraction * n)), 1, n - 1);
        if (spec.shuffle) {
            out.validationRows.assign(order.begin(), order.begin() + nVal);
            out.trainRows.assign(order.begin() + nVal, order.end());
        } else {
            out.trainRows.assign(order.begin(), order.end() - nVal);
            out.validationRows.assign(order.end() - nVal, order.end());
        }
    }

    TaskData task;
    task.name = "csv: " + std::filesystem::path(spec.file).filename().string();
    if (source) {
        task.train = subset(source->data, out.trainRows);
        task.validation = subset(source->data, out.validationRows);
    } else {
        task.train = std::move(trainFile.data);
        task.validation = std::move(validationFile.data);
    }
    const SequenceData &valMeta = source ? *source : validationFile;
    for (int r : out.validationRows)
        out.validationLines.push_back(valMeta.lines[std::size_t(r)]);

    // Statistics from the training rows only, applied unchanged to the validation rows.
    if (spec.standardize) {
        out.scaling = fitScaling(task.train, trainFile.taskType);
        applyScaling(out.scaling, task.train);
        applyScaling(out.scaling, task.validation);
    }

    const int probes = int(std::min<Eigen::Index>(10, task.validation.size()));
    task.probe.steps = task.validation.steps;
    task.probe.features = task.validation.features;
    task.probe.x = task.validation.x.topRows(probes);
    task.probe.y = task.validation.y.topRows(probes);
    if (task.validation.groundTruth.size() > 0)
        task.probe.groundTruth = task.validation.groundTruth.topRows(probes);
    if (task.validation.mask.size() > 0)
        task.probe.mask = task.validation.mask.topRows(probes);

    const int classes = int(trainFile.classNames.size());
    static_cast<TaskDefaults &>(task) =
        csvTaskDefaults(trainFile.taskType, trainFile.features, classes,
                        task.train.groundTruth.size() > 0, spec);
    task.batchSize = int(std::min<Eigen::Index>(spec.batchSize, task.train.size()));

    out.taskType = trainFile.taskType;
    out.classNames = trainFile.classNames;
    out.summary = describe(trainFile);
    out.warnings = trainFile.warnings;
    out.warnings.insert(out.warnings.end(), validationFile.warnings.begin(),
                        validationFile.warnings.end());
    if (spec.batchSize > task.train.size())
        out.warnings.push_back(spec.file + ":0:0: the batch size " + std::to_string(spec.batchSize) +
                               " is more than the " + std::to_string(task.train.size()) +
                               " training sequences: each epoch trains them as one batch of " +
                               std::to_string(task.batchSize));
    if (classes > 0) {
        out.trainClassCounts.assign(std::size_t(classes), 0);
        for (int r : out.trainRows)
            ++out.trainClassCounts[std::size_t(trainFile.labels[std::size_t(r)])];
    }
    return task;
}

} // namespace attn
