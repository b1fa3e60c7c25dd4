// SPDX-License-Identifier: GPL-3.0-or-later
// add, max and feature generators, the sentiment reader, ground-truth masks, alignment and
// batch gathering.
#include "core/data/task.h"

#include "core/data/autoencodertask.h"
#include "core/data/sentencefile.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace attn {

std::string toString(TaskKind kind)
{
    switch (kind) {
    case TaskKind::Add: return "add";
    case TaskKind::Max: return "max";
    case TaskKind::Feature: return "feature";
    case TaskKind::Sentiment: return "sentiment";
    case TaskKind::Csv: return "csv";
    case TaskKind::Autoencoder: return "autoencoder";
    }
    return "?";
}

std::vector<TaskKind> allTaskKinds()
{
    return {TaskKind::Add, TaskKind::Max, TaskKind::Feature, TaskKind::Sentiment, TaskKind::Autoencoder};
}

std::optional<TaskKind> taskKindFromString(const std::string &name)
{
    for (TaskKind k : allTaskKinds())
        if (toString(k) == name)
            return k;
    return std::nullopt;
}

std::optional<TaskKind> anyTaskKindFromString(const std::string &name)
{
    return name == toString(TaskKind::Csv) ? std::optional(TaskKind::Csv) : taskKindFromString(name);
}

std::vector<AttentionKind> applicableAttention(TaskKind kind)
{
    if (kind == TaskKind::Feature || kind == TaskKind::Autoencoder)
        return {AttentionKind::Feature, AttentionKind::None};
    const AttentionKind published = taskDefaults(kind).model.attention;
    std::vector<AttentionKind> out{published};
    for (AttentionKind k : {AttentionKind::FeedForward, AttentionKind::Luong, AttentionKind::LuongDot,
                            AttentionKind::Bahdanau, AttentionKind::Local, AttentionKind::LocalMonotonic,
                            AttentionKind::SelfAttention})
        if (k != published)
            out.push_back(k);
    if (published != AttentionKind::Transformer)
        out.push_back(AttentionKind::Transformer);
    out.push_back(AttentionKind::Plain);
    out.push_back(AttentionKind::None);
    return out;
}

std::vector<std::string> sentimentDefaultFiles()
{
    return {"amazon_cells_labelled.txt", "yelp_labelled.txt"};
}

std::string taskDescription(TaskKind kind)
{
    switch (kind) {
    case TaskKind::Add:
        return "Inputs: 20 random values in 0..1; two of them follow a 0 (the delimiters). Output: "
               "half their sum. Attention should go to the two steps right after the zeros.";
    case TaskKind::Max:
        return "Inputs: 10 values, mostly near 0, a few large. Output: the largest value. "
               "Attention should go to the step that holds it.";
    case TaskKind::Feature:
        return "Inputs: 32 random features; the label is copied into feature 1. Output: the label "
               "(0 or 1). Attention should go to feature 1, the only one that carries information.";
    case TaskKind::Sentiment:
        return "Inputs: a review sentence as word ids (amazon_cells + yelp). Output: positive or "
               "negative. No ground truth: the opinion words (\"great\", \"bad\") should draw the "
               "attention, not the padding.";
    case TaskKind::Csv:
        return "Inputs: the sequences of your CSV file. Output: its target column (a value or a "
               "class). Ground truth only from gt columns: attention should go where they say.";
    case TaskKind::Autoencoder:
        return "Inputs: 32 values; columns 1, 5, ..., 29 follow 3 hidden factors, the rest are weak "
               "noise. Output: the same values. Attention should gather on those 8 (chance 0.25).";
    }
    return {};
}

TaskDefaults taskDefaults(TaskKind kind)
{
    TaskDefaults d;
    switch (kind) {
    case TaskKind::Add:
        // Bahdanau, as in keras-attention's examples/add_two_numbers.py: with seed 7 it aligns
        // (>= 0.9) by epoch 12, while the Luong general score is still near 0.35 at epoch 20
        // with this (Keras-style) initialisation, in PyTorch too (docs/parity.md).
        d.model = ModelConfig{1, 100, AttentionKind::Bahdanau, 128, 0.2, 1};
        d.loss = LossKind::Mse;
        d.alignment = AlignmentKind::GroundTruthMass;
        d.batchSize = 64;
        d.epochs = 20;
        break;
    case TaskKind::Max:
        d.model = ModelConfig{1, 128, AttentionKind::Luong, 128, 0.0, 1};
        d.loss = LossKind::Mae;
        d.alignment = AlignmentKind::ArgmaxMatch;
        d.batchSize = 32;
        d.epochs = 5;
        break;
    case TaskKind::Feature:
        // inputs F = 32; the Dense(64) after the attention multiply; no recurrent layer.
        d.model = ModelConfig{32, 64, AttentionKind::Feature, 64, 0.0, 1};
        d.model.architecture = ModelArchitecture::Feature;
        d.model.denseUnits = 64;
        d.loss = LossKind::BinaryCrossEntropy;
        d.alignment = AlignmentKind::ArgmaxMatch;
        d.batchSize = 64;
        d.epochs = 20;
        break;
    case TaskKind::Sentiment:
        // One token id per step; V and T come from the data (the Trainer fills them in).
        d.model = ModelConfig{1, 100, AttentionKind::FeedForward, 128, 0.0, 1};
        d.model.embeddingDim = 32;
        d.loss = LossKind::BinaryCrossEntropy;
        d.alignment = AlignmentKind::None;
        d.batchSize = 100;
        d.epochs = 10;
        break;
    case TaskKind::Csv:
        // LSTM(64) -> luong(64) -> Dense(O); core/data/csvtask.cpp sets F, O and the loss per file.
        d.model = ModelConfig{1, 64, AttentionKind::Luong, 64, 0.0, 1};
        d.loss = LossKind::Mse;
        d.alignment = AlignmentKind::None;
        d.batchSize = 32;
        d.epochs = 20;
        break;
    case TaskKind::Autoencoder:
        // The Q&A's sizes: Dropout(0.2) -> Dense(256) -> [attention] -> MVN -> Dense(128) -> MVN
        // -> Dropout(0.5) -> tied decoder (autoencodermodel.h); F = O = 32 (the built-in set).
        d.model = ModelConfig{32, 256, AttentionKind::Feature, 128, 0.5, 32};
        d.model.architecture = ModelArchitecture::Autoencoder;
        d.model.codeUnits = 128;
        d.model.inputDropout = 0.2;
        d.loss = LossKind::Mse;
        d.alignment = AlignmentKind::GroundTruthMass;
        d.batchSize = 64;
        d.epochs = 20;
        break;
    }
    d.model.baselineReference = d.model.attention;
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

TaskData makeFeatureTask(Rng &rng, TaskSize size)
{
    const int F = 32, trueColumn = 1, published = 10000;
    const int nTrain = size.train > 0 ? size.train : published / 2;
    const int nVal = size.validation > 0 ? size.validation : published / 2;
    auto generate = [&](int n) {
        Dataset d;
        d.steps = 1;
        d.features = F;
        d.x.resize(n, F);
        d.y.resize(n, 1);
        d.groundTruth = Mat::Zero(n, F);
        for (Eigen::Index r = 0; r < n; ++r) {
            for (int f = 0; f < F; ++f)
                d.x(r, f) = Scalar(rng.normal());
            d.y(r, 0) = Scalar(rng.below(2));
            d.x(r, trueColumn) = d.y(r, 0);
            d.groundTruth(r, trueColumn) = 1;
        }
        return d;
    };
    TaskData task;
    task.name = "feature";
    task.train = generate(nTrain);
    task.validation = generate(nVal);
    const int probes = std::min(10, nVal);
    task.probe = task.validation;
    task.probe.x = task.validation.x.topRows(probes);
    task.probe.y = task.validation.y.topRows(probes);
    task.probe.groundTruth = task.validation.groundTruth.topRows(probes);
    static_cast<TaskDefaults &>(task) = taskDefaults(TaskKind::Feature);
    return task;
}

TaskData makeSentimentTask(const TaskSource &source, Rng &rng, TaskSize size)
{
    namespace fs = std::filesystem;
    std::vector<std::string> files = source.files.empty() ? sentimentDefaultFiles() : source.files;
    if (source.files.empty() && source.directory.empty())
        throw ConfigError("sentiment: no data folder given (the folder that holds " +
                          sentimentDefaultFiles()[0] + " and " + sentimentDefaultFiles()[1] + ")");
    std::vector<LabelledSentence> sentences;
    for (const std::string &f : files) {
        const fs::path p(f);
        const std::string path =
            p.is_relative() && !source.directory.empty() ? (fs::path(source.directory) / p).string() : f;
        for (LabelledSentence &s : readSentenceFile(path))
            sentences.push_back(std::move(s));
    }
    const TokenizerOptions &opt = source.tokenizer;
    std::vector<std::vector<std::string>> texts;
    texts.reserve(sentences.size());
    for (const LabelledSentence &s : sentences)
        texts.push_back(Tokenizer::words(s.text));
    Tokenizer tokenizer;
    tokenizer.fit(texts, opt.vocabularyLimit);
    if (tokenizer.vocabularySize() < 1)
        throw DataError("sentiment: the files hold no words");
    const int T = opt.maxLength;
    if (T < 1)
        throw ConfigError("sentiment: the sequence length must be >= 1");

    // Seeded Fisher-Yates shuffle of the sentences, then the validation split; Keras'
    // validation_split keeps the file order and holds out the last rows.
    const int n = int(sentences.size());
    std::vector<int> order(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        order[std::size_t(i)] = i;
    if (!source.validationLast)
        for (int i = n - 1; i > 0; --i)
            std::swap(order[std::size_t(i)], order[std::size_t(rng.below(std::uint64_t(i) + 1))]);
    const int nVal = size.validation > 0 ? size.validation : int(std::lround(0.2 * n));
    const int available = n - nVal;
    const int nTrain = size.train > 0 ? std::min(size.train, available) : available;
    if (nVal < 1 || nTrain < 1)
        throw DataError("sentiment: " + std::to_string(n) + " sentences leave " +
                        std::to_string(std::max(nTrain, 0)) + " for training and " +
                        std::to_string(nVal) + " for validation; both must be >= 1");

    auto fill = [&](int first, int count) {
        Dataset d;
        d.steps = T;
        d.features = 1;
        d.x.resize(count, T);
        d.y.resize(count, 1);
        for (int r = 0; r < count; ++r) {
            const int s = order[std::size_t(first + r)];
            const std::vector<int> ids = tokenizer.encode(texts[std::size_t(s)], opt);
            for (int t = 0; t < T; ++t)
                d.x(r, t) = Scalar(ids[std::size_t(t)]);
            d.y(r, 0) = Scalar(sentences[std::size_t(s)].label);
        }
        setTokenMask(d);
        return d;
    };
    TaskData task;
    task.name = "sentiment";
    if (source.validationLast) { // training: the first rows of the files, validation: the last
        task.train = fill(0, nTrain);
        task.validation = fill(n - nVal, nVal);
    } else {
        task.validation = fill(0, nVal);
        task.train = fill(nVal, nTrain);
    }
    const int probes = std::min(10, nVal);
    task.probe = task.validation;
    task.probe.x = task.validation.x.topRows(probes);
    task.probe.y = task.validation.y.topRows(probes);
    task.probe.mask = task.validation.mask.topRows(probes);
    task.vocabulary = tokenizer.vocabularySize();
    task.words = tokenizer.vocabulary();
    for (int r = 0; r < probes; ++r) {
        std::vector<std::string> row;
        for (int t = 0; t < T; ++t)
            row.push_back(tokenizer.word(int(task.probe.x(r, t))));
        task.probeTokens.push_back(std::move(row));
    }
    static_cast<TaskDefaults &>(task) = taskDefaults(TaskKind::Sentiment);
    return task;
}

TaskData makeTask(TaskKind kind, Rng &rng, TaskSize size, const TaskSource &source)
{
    switch (kind) {
    case TaskKind::Add: return makeAddTask(rng, size);
    case TaskKind::Max: return makeMaxTask(rng, size);
    case TaskKind::Feature: return makeFeatureTask(rng, size);
    case TaskKind::Sentiment: return makeSentimentTask(source, rng, size);
    case TaskKind::Autoencoder: return makeAutoencoderTask(rng, size);
    case TaskKind::Csv: throw ConfigError("makeTask: the csv task needs a data file (makeCsvTask)");
    }
    throw ConfigError("makeTask: unknown task");
}

std::optional<double> alignment(AlignmentKind kind, const ConstMatRef &attention,
                                const ConstMatRef &groundTruth)
{
    if (kind == AlignmentKind::None || groundTruth.size() == 0 || attention.size() == 0)
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

std::optional<double> groundTruthMass(const ConstMatRef &attention, const ConstMatRef &groundTruth)
{
    return alignment(AlignmentKind::GroundTruthMass, attention, groundTruth);
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

void gatherMask(const Dataset &data, const int *rows, int batch, Mat &mask)
{
    if (data.mask.size() == 0) {
        mask.resize(0, 0);
        return;
    }
    requireShape(data.mask, data.size(), data.steps, "gatherMask data.mask");
    mask.resize(batch, data.steps);
    for (int b = 0; b < batch; ++b)
        mask.row(b) = data.mask.row(rows[b]);
}

void setTokenMask(Dataset &data)
{
    data.mask = (data.x.array() != Scalar(0)).cast<Scalar>().matrix();
}

void tokenMask(const ConstMatRef &x, int batch, Mat &mask)
{
    const Eigen::Index T = batch > 0 ? x.rows() / batch : 0;
    mask.resize(batch, T);
    for (Eigen::Index t = 0; t < T; ++t)
        mask.col(t) = (x.middleRows(t * batch, batch).col(0).array() != Scalar(0)).cast<Scalar>().matrix();
}

std::vector<double> paddingMass(const ConstMatRef &attention, const ConstMatRef &mask)
{
    std::vector<double> out;
    if (mask.size() == 0 || attention.size() == 0)
        return out;
    requireShape(mask, attention.rows(), attention.cols(), "paddingMass mask");
    for (Eigen::Index r = 0; r < attention.rows(); ++r)
        out.push_back(double(((mask.row(r).array() <= Scalar(0)).cast<Scalar>() * attention.row(r).array()).sum()));
    return out;
}

} // namespace attn
