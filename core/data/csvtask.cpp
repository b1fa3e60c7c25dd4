// SPDX-License-Identifier: GPL-3.0-or-later
// CSV file(s) -> TaskData: the train/validation split (seeded shuffle or a published test
// file), train-only standardisation, probe rows and the defaults per task type.
#include "core/data/csvtask.h"

#include "core/data/rowsplit.h"
#include "core/data/season.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <stdexcept>

namespace attn {

int autoEpochs(long long trainRows, int batchSize)
{
    if (trainRows < 1 || batchSize < 1)
        throw ConfigError("autoEpochs: needs at least one training row and a batch size >= 1");
    const long long batches = (trainRows + batchSize - 1) / batchSize;
    const long long epochs = (kAutoStepBudget + batches - 1) / batches;
    return int(std::clamp<long long>(epochs, kMinAutoEpochs, kMaxAutoEpochs));
}

int autoPatience(int epochs) { return std::max(10, epochs / 5); }

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
    if (!(s.validationFraction > 0.0 && s.validationFraction < 1.0))
        throw ConfigError("CsvTaskSpec: the validation fraction must be in (0, 1), got " +
                                    std::to_string(s.validationFraction));
    if (s.batchSize < 1 || s.epochs < 0 || s.hidden < 1 || s.attentionUnits < 1)
        throw ConfigError("CsvTaskSpec: batch size, hidden and attention units must be >= 1, "
                          "epochs >= 0 (0: sized to the data)");
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

/// The season P of a forecast: spec.season if set, else detected on the training targets in
/// file order; 0 (with a note) when it is longer than the window, which cannot see P steps back.
int resolveSeason(const CsvTaskSpec &spec, const SequenceData &file, CsvTaskInfo &out)
{
    int season = spec.season;
    if (season == 0) {
        // The training windows' targets in file order: a chronological split trains on the
        // first windows, a contiguous stretch of the series. A shuffled split leaves gaps that
        // would break the autocorrelation: then every window of the training file is used (a
        // baseline's parameter, not the model's).
        std::vector<int> rows = out.trainRows;
        std::sort(rows.begin(), rows.end());
        const bool contiguous = rows.back() - rows.front() + 1 == int(rows.size());
        std::vector<double> values;
        for (int r = contiguous ? rows.front() : 0; r <= (contiguous ? rows.back() : file.samples - 1); ++r)
            values.push_back(double(file.data.y(r, 0)));
        season = detectSeason(values);
    }
    if (season > file.steps) {
        out.warnings.push_back(spec.file + ":0:0: the season of " + std::to_string(season) +
                               " steps is longer than the window of " +
                               std::to_string(file.steps) +
                               ": no seasonal naive forecast (use a window of at least the season)");
        season = 0;
    }
    out.season = season;
    return season;
}

} // namespace

TaskData makeCsvTask(const CsvTaskSpec &spec, Rng &rng, CsvTaskInfo *info)
{
    checkSpec(spec);
    CsvOptions options = spec.options;
    CsvTaskInfo local;
    CsvTaskInfo &out = info ? *info : local;
    out = CsvTaskInfo{};

    auto read = [&](const std::string &path, const CsvOptions &o) {
        return spec.reader ? spec.reader(path, o)
                           : std::make_shared<const CsvTable>(readCsv(path, o));
    };
    // One sequence to train on and one to validate is the least a split can leave.
    options.minSequences = std::max(options.minSequences, 2);
    SequenceData trainFile = toSequences(*read(spec.file, options), options);
    SequenceData testFile; // the test file, if any: read against the training file
    if (!spec.testFile.empty()) {
        CsvOptions testOptions = options;
        testOptions.minSequences = 1;
        testFile = toSequences(*read(spec.testFile, testOptions), testOptions, &trainFile);
    }
    // Validation is always carved from the training file (stratified for classes), so early
    // stopping and every other choice never see the test file.
    RowSplit split = splitRows(trainFile.samples, trainFile.labels, trainFile.classNames,
                               spec.validationFraction, spec.shuffle, rng, spec.file);
    out.trainRows = std::move(split.train);
    out.validationRows = std::move(split.validation);

    TaskData task;
    task.name = "csv: " + std::filesystem::path(spec.file).filename().string();
    task.train = subset(trainFile.data, out.trainRows);
    task.validation = subset(trainFile.data, out.validationRows);
    task.test = std::move(testFile.data);
    for (int r : out.validationRows)
        out.validationLines.push_back(trainFile.lines[std::size_t(r)]);
    out.testLines = testFile.lines;

    const bool instanceNorm = spec.instanceNorm && trainFile.seriesFeature >= 0 &&
                              trainFile.taskType == TaskType::Regression;
    // Statistics from the training rows only, applied unchanged to the validation rows.
    if (spec.standardize) {
        out.scaling = fitScaling(task.train, trainFile.taskType);
        if (instanceNorm) { // the forecast is put back on the window's level, in the input's units
            const auto f = std::size_t(trainFile.seriesFeature);
            out.scaling.target.setStatistics({out.scaling.input.mean()[f]}, {out.scaling.input.scale()[f]});
        }
        applyScaling(out.scaling, task.train);
        applyScaling(out.scaling, task.validation);
        if (task.test.size() > 0)
            applyScaling(out.scaling, task.test);
        if (out.scaling.target.isFitted()) { // metrics in the file's units
            task.targetScale = out.scaling.target.scale()[0];
            task.targetMean = out.scaling.target.mean()[0];
        }
    }
    if (trainFile.seriesFeature >= 0) {
        TaskData::Series series;
        series.feature = trainFile.seriesFeature;
        if (out.scaling.input.isFitted()) {
            series.mean = out.scaling.input.mean()[std::size_t(series.feature)];
            series.scale = out.scaling.input.scale()[std::size_t(series.feature)];
        }
        series.season = resolveSeason(spec, trainFile, out);
        task.series = series;
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
    if (instanceNorm) {
        task.model.instanceNorm = true;
        task.model.instanceNormFeature = trainFile.seriesFeature;
    }
    task.batchSize = int(std::min<Eigen::Index>(spec.batchSize, task.train.size()));
    if (spec.epochs == 0) { // sized to the data, with early stopping
        task.epochs = autoEpochs(task.train.size(), task.batchSize);
        task.patience = autoPatience(task.epochs);
    }

    out.taskType = trainFile.taskType;
    out.classNames = trainFile.classNames;
    out.summary = describe(trainFile);
    out.warnings = trainFile.warnings;
    out.warnings.insert(out.warnings.end(), testFile.warnings.begin(), testFile.warnings.end());
    out.warnings.insert(out.warnings.end(), split.warnings.begin(), split.warnings.end());
    if (!spec.testFile.empty() && !trainFile.classNames.empty()) {
        const auto missing = missingClassWarnings(testFile.labels, testFile.samples,
                                                  trainFile.classNames, "test", spec.testFile);
        out.warnings.insert(out.warnings.end(), missing.begin(), missing.end());
    }
    if (spec.batchSize > task.train.size())
        out.warnings.push_back(spec.file + ":0:0: the batch size " + std::to_string(spec.batchSize) +
                               " is more than the " + std::to_string(task.train.size()) +
                               " training sequences: each epoch trains them as one batch of " +
                               std::to_string(task.batchSize));
    if (classes > 0) {
        out.trainClassCounts.assign(std::size_t(classes), 0);
        for (int r : out.trainRows)
            ++out.trainClassCounts[std::size_t(trainFile.labels[std::size_t(r)])];
        if (!spec.testFile.empty()) {
            out.testClassCounts.assign(std::size_t(classes), 0);
            for (int label : testFile.labels)
                ++out.testClassCounts[std::size_t(label)];
        }
    }
    return task;
}

} // namespace attn
