// SPDX-License-Identifier: GPL-3.0-or-later
// The trainer's per-epoch snapshot: statistics, and the probe rows' predictions and attention.
#include "core/train/snapshotbuilder.h"

#include "core/models/autoencodermodel.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <vector>

namespace attn {

namespace {

/// m (R, C) as a row-major Grid of floats.
Grid toGrid(const ConstMatRef &m)
{
    Grid g;
    g.rows = int(m.rows());
    g.cols = int(m.cols());
    g.values.resize(std::size_t(m.size()));
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c)
            g.values[std::size_t(r * m.cols() + c)] = float(m(r, c));
    return g;
}

} // namespace

SnapshotBuilder::SnapshotBuilder(const TaskData &task, Model &model) : m_task(task), m_model(model) {}

void SnapshotBuilder::fill(EpochSnapshot &s, int epoch, int totalEpochs, double valLoss,
                           double metric, const AlignmentSums &validationSums) const
{
    s.epoch = epoch;
    s.totalEpochs = totalEpochs;
    s.valLoss = valLoss;
    s.metric = metric;
    s.metricName = metricName(m_task.loss);
    s.alignment = validationSums.alignment();
    s.groundTruthMass = validationSums.groundTruthMass();
    s.alignmentRows = int(validationSums.rows());
    s.season = m_task.series ? m_task.series->season : 0;
    fillProbe(s);
}

void SnapshotBuilder::fillProbeAttributions(FaithfulnessSummary &f,
                                            const FaithfulnessOptions &options) const
{
    const Dataset &probe = m_task.probe;
    if (probe.size() == 0)
        return;
    const auto t0 = std::chrono::steady_clock::now();
    const Attributions a = attributeRows(m_model, m_task, probe, int(probe.size()), options);
    f.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    f.probeGradient = toGrid(a.gradient);
    f.probeInputXGradient = toGrid(a.inputXGradient);
    f.probeLeaveOneOut = toGrid(a.leaveOneOut);
    f.probeIntegratedGradients = toGrid(a.integratedGradients);
}

void SnapshotBuilder::fillProbe(EpochSnapshot &s) const
{
    // Probe rows: one forward pass in evaluation mode.
    const Dataset &probe = m_task.probe;
    const int P = int(probe.size());
    if (P == 0)
        return;
    std::vector<int> rows(static_cast<std::size_t>(P));
    std::iota(rows.begin(), rows.end(), 0);
    Mat x(Eigen::Index(probe.steps) * P, probe.features), y(P, probe.y.cols());
    gatherBatch(probe, rows.data(), P, x, y);
    Mat mask;
    gatherMask(probe, rows.data(), P, mask);
    m_model.resize(probe.steps, P);
    m_model.setPaddingMask(mask);
    const Mat &pred = m_model.forward(x, false);
    const bool binary = m_task.loss == LossKind::BinaryCrossEntropy;
    const bool multiClass = m_task.loss == LossKind::SoftmaxCrossEntropy;
    for (int r = 0; r < P; ++r) {
        if (multiClass) { // the predicted and the true class index
            Eigen::Index predicted = 0, truth = 0;
            pred.row(r).maxCoeff(&predicted);
            y.row(r).maxCoeff(&truth);
            s.probePredictions.push_back(float(predicted));
            s.probeTargets.push_back(float(truth));
            continue;
        }
        const double out = double(pred(r, 0));
        if (binary) {
            s.probePredictions.push_back(float(1.0 / (1.0 + std::exp(-out))));
            s.probeTargets.push_back(float(y(r, 0)));
        } else { // regression: in the file's units
            s.probePredictions.push_back(float(out * m_task.targetScale + m_task.targetMean));
            s.probeTargets.push_back(float(double(y(r, 0)) * m_task.targetScale + m_task.targetMean));
        }
    }
    const Mat &a = m_model.attentionWeights(); // (P, T), (P, F), or empty
    if (a.size() > 0)
        s.attention = toGrid(a);
    if (m_model.config().architecture == ModelArchitecture::Sequence)
        for (double m : paddingMass(a, mask))
            s.probePaddingMass.push_back(float(m));
    if (probe.groundTruth.size() > 0)
        s.groundTruth = toGrid(probe.groundTruth);
    if (m_task.alignment == AlignmentKind::ArgmaxMatch && a.size() > 0) {
        Mat onehot = Mat::Zero(a.rows(), a.cols());
        for (Eigen::Index r = 0; r < a.rows(); ++r) {
            Eigen::Index c = 0;
            a.row(r).maxCoeff(&c);
            onehot(r, c) = 1;
        }
        s.argmaxAttention = toGrid(onehot);
    }
    if (const int K = m_model.attentionHeads(); K > 0) {
        Mat map(probe.steps, probe.steps); // (T, T)
        s.headMaps.resize(std::size_t(P));
        s.headLayers = std::max(1, m_model.attentionLayers());
        for (int r = 0; r < P; ++r)
            for (int k = 0; k < K; ++k) {
                m_model.attentionHeadMap(r, k, map);
                s.headMaps[std::size_t(r)].push_back(toGrid(map));
            }
    }
    if (const auto *ae = dynamic_cast<const AutoencoderModel *>(&m_model); ae && ae->hiddenAttention().size() > 0) {
        const Mat mean = ae->hiddenAttention().colwise().mean(); // (1, H1)
        s.hiddenAttention.assign(mean.data(), mean.data() + mean.size());
    }
    if (attendsOverFeatures(m_model.config().architecture)) {
        s.probeInputs = toGrid(probe.x); // (P, F)
    } else {
        // The first feature of every step; a forecast's own series, in the file's units.
        const TaskData::Series series = m_task.series.value_or(TaskData::Series{});
        Mat inputs(P, probe.steps);
        for (int t = 0; t < probe.steps; ++t)
            inputs.col(t) = probe.x.col(Eigen::Index(t) * probe.features + series.feature);
        inputs = (inputs.array() * Scalar(series.scale) + Scalar(series.mean)).matrix();
        s.probeInputs = toGrid(inputs);
    }
    s.probeTokens = m_task.probeTokens;
}

} // namespace attn
