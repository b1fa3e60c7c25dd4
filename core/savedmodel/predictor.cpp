// SPDX-License-Identifier: GPL-3.0-or-later
// Prediction on a file: the file is read against a reference built from the ModelSpec (so T, F,
// the task type and the classes are the model's, never re-detected), standardised with the
// saved statistics, and run through the model batch by batch.
#include "core/savedmodel/predictor.h"

#include "core/tensor/softmax.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace attn {

namespace {

/// What toSequences needs to read a file as the model's training file was read.
SequenceData referenceOf(const ModelSpec &spec)
{
    SequenceData ref;
    ref.file = "the model was trained on"; // reads "... like the training file the model was trained on"
    ref.taskType = spec.taskType;
    ref.classNames = spec.classNames;
    ref.textClasses = spec.textClasses;
    ref.steps = spec.steps;
    ref.features = spec.features;
    return ref;
}

/// The reading options of a built-in task: rows of T*F values, the target last.
CsvOptions builtInOptions(const ModelSpec &spec)
{
    CsvOptions o;
    o.layout = spec.features == 1 ? CsvLayout::Wide : CsvLayout::WideMultivariate;
    o.features = spec.features;
    o.target = CsvColumn::last();
    return o;
}

bool isGroundTruthHeader(const std::string &name)
{
    std::string l;
    for (char c : name)
        l += char(std::tolower(static_cast<unsigned char>(c)));
    return l.size() > 3 && l.starts_with("gt_");
}

/// Wide layouts: a file with exactly T*F value columns (besides gt_ columns) has no target.
/// Gives it one, so the reader's checks all apply, at the position the options name.
bool addMissingTarget(CsvTable &t, const ModelSpec &spec, CsvOptions &o)
{
    if (o.layout != CsvLayout::Wide && o.layout != CsvLayout::WideMultivariate)
        return false;
    int values = 0;
    for (int c = 0; c < t.columns(); ++c)
        values += t.header.empty() || !isGroundTruthHeader(t.header[std::size_t(c)]);
    if (values != spec.steps * spec.features)
        return false;
    // A placeholder the reader accepts; its value is never reported (hasTargets = false).
    const std::string placeholder = spec.classNames.empty() ? "0" : spec.classNames.front();
    const bool first = o.target.kind == CsvColumn::Kind::First ||
                       (o.target.kind == CsvColumn::Kind::Index && o.target.index == 1);
    for (auto &row : t.rows)
        row.insert(first ? row.begin() : row.end(), placeholder);
    if (!t.header.empty())
        t.header.insert(first ? t.header.begin() : t.header.end(), "target");
    o.target = first ? CsvColumn::first() : CsvColumn::last();
    return true;
}

} // namespace

PredictionInput readPredictionInput(const ModelSpec &spec, const std::string &file)
{
    if (spec.task == TaskKind::Sentiment)
        throw std::invalid_argument("predicting sentiment from a file is not supported: the "
                                    "model reads token ids, not CSV values");
    CsvOptions o = spec.task == TaskKind::Csv ? spec.csv : builtInOptions(spec);
    o.taskType = spec.taskType;
    o.minSequences = 1;
    CsvTable table = readCsv(file, o);
    PredictionInput in;
    in.file = file;
    in.hasTargets = !addMissingTarget(table, spec, o);
    const SequenceData ref = referenceOf(spec);
    SequenceData seq = toSequences(table, o, &ref);
    in.data = std::move(seq.data);
    in.lines = std::move(seq.lines);
    if (spec.scaling.input.isFitted())
        spec.scaling.input.transform(in.data.x);
    return in;
}

Predictions predict(Model &model, const ModelSpec &spec, const PredictionInput &input, int batch)
{
    const Dataset &d = input.data;
    const Eigen::Index n = d.size();
    if (batch < 1)
        throw ShapeError("predict: batch must be >= 1, got " + std::to_string(batch));
    if (d.steps != spec.steps || d.features != spec.features)
        throw ShapeError("predict: input has T = " + std::to_string(d.steps) + ", F = " +
                         std::to_string(d.features) + ", the model expects T = " +
                         std::to_string(spec.steps) + ", F = " + std::to_string(spec.features));
    const int outputs = model.config().outputs;
    Predictions p;
    p.outputs.resize(n, outputs);
    const bool classes = spec.taskType != TaskType::Regression;
    if (classes)
        p.predictedClass.resize(std::size_t(n));
    std::vector<int> rows(static_cast<std::size_t>(n));
    std::iota(rows.begin(), rows.end(), 0);
    Mat x, y, mask, probabilities;
    for (Eigen::Index begin = 0; begin < n; begin += batch) {
        const int b = int(std::min<Eigen::Index>(batch, n - begin));
        x.resize(Eigen::Index(d.steps) * b, d.features); // (T*b, F) time-major
        y.resize(b, d.y.cols());                         // (b, O) unused targets
        gatherBatch(d, rows.data() + begin, b, x, y);
        gatherMask(d, rows.data() + begin, b, mask);
        if (mask.size() == 0 && model.config().vocabulary > 0)
            tokenMask(x, b, mask); // token ids: 0 = padding
        model.resize(d.steps, b);
        model.setPaddingMask(mask);
        const Mat &out = model.forward(x, false); // (b, O) logits or values
        const Mat &a = model.attentionWeights();  // (b, T), (b, F) or empty
        if (a.size() > 0) {
            if (p.attention.size() == 0)
                p.attention.resize(n, a.cols());
            p.attention.middleRows(begin, b) = a;
        }
        switch (spec.taskType) {
        case TaskType::MultiClass:
            probabilities.resize(b, outputs);
            softmaxRows(out, probabilities);
            p.outputs.middleRows(begin, b) = probabilities;
            break;
        case TaskType::Binary:
            p.outputs.middleRows(begin, b) = (Scalar(1) + (-out.array()).exp()).inverse().matrix();
            break;
        default:
            p.outputs.middleRows(begin, b) = out;
            break;
        }
        if (classes)
            for (int r = 0; r < b; ++r) {
                Eigen::Index k = 0;
                if (spec.taskType == TaskType::Binary)
                    k = p.outputs(begin + r, 0) > Scalar(0.5) ? 1 : 0;
                else
                    p.outputs.row(begin + r).maxCoeff(&k);
                p.predictedClass[std::size_t(begin + r)] = int(k);
            }
    }
    if (spec.taskType == TaskType::Regression && spec.scaling.target.isFitted())
        spec.scaling.target.inverseTransform(p.outputs);
    return p;
}

int targetClass(const ModelSpec &spec, const PredictionInput &input, Eigen::Index row)
{
    if (spec.taskType == TaskType::Binary)
        return input.data.y(row, 0) > Scalar(0.5) ? 1 : 0;
    Eigen::Index k = 0;
    input.data.y.row(row).maxCoeff(&k);
    return int(k);
}

double predictionMetric(const ModelSpec &spec, const PredictionInput &input, const Predictions &p)
{
    const Eigen::Index n = input.data.size();
    double sum = 0.0;
    for (Eigen::Index r = 0; r < n; ++r)
        sum += p.predictedClass.empty()
                   ? std::abs(double(p.outputs(r, 0)) - double(input.data.y(r, 0)))
                   : (p.predictedClass[std::size_t(r)] == targetClass(spec, input, r) ? 1.0 : 0.0);
    return n > 0 ? sum / double(n) : 0.0;
}

} // namespace attn
