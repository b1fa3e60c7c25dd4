// SPDX-License-Identifier: GPL-3.0-or-later
// measureFaithfulness: the attributions of a sample of validation rows, their rank agreement
// with attention, their alignment with the ground truth, and the counterfactual changes.
#include "core/explain/faithfulness.h"

#include "core/data/alignmentsums.h"
#include "core/explain/counterfactual.h"
#include "core/explain/explainer.h"
#include "core/explain/kendalltau.h"

#include <chrono>
#include <numeric>
#include <vector>

namespace attn {

namespace {

using Clock = std::chrono::steady_clock;

// The task's alignment of (R, U) scores (attention, or normalised attributions) over
// validation rows 0..R-1; feature rows whose true column is 0 are skipped as for attention.
std::optional<double> alignmentOf(const TaskData &task, bool features, const ConstMatRef &scores)
{
    AlignmentSums sums(task.alignment, features);
    sums.add(scores, task.validation, 0);
    return sums.alignment();
}

MethodAgreement agreement(const TaskData &task, bool features, const Explainer &explainer,
                          const Mat &attributions)
{
    MethodAgreement m;
    const Mat magnitude = attributions.cwiseAbs();
    if (explainer.attention().size() > 0)
        m.kendallTau = meanKendallTauB(explainer.attention(), magnitude, explainer.realUnits());
    m.alignment = alignmentOf(task, features, normalisedMagnitude(magnitude));
    return m;
}

// The first R rows of data as one batch in an Explainer, with the neutral values of options.
Explainer explainerOf(Model &model, const TaskData &task, const Dataset &data, int R,
                      const FaithfulnessOptions &options)
{
    const int T = data.steps;
    std::vector<int> rows(std::size_t(R), 0);
    std::iota(rows.begin(), rows.end(), 0);
    Mat x(Eigen::Index(T) * R, data.features), y(R, data.y.cols()), mask;
    gatherBatch(data, rows.data(), R, x, y);
    gatherMask(data, rows.data(), R, mask);
    Explainer explainer(model, task.loss, T, x, mask);
    if (options.neutral == FaithfulnessOptions::Neutral::TrainingMean && task.vocabulary == 0)
        explainer.setNeutralValues(trainingMean(task));
    return explainer;
}

// Every attribution of the explainer's rows; ig keeps integrated gradients' completeness.
Attributions attribute(Explainer &explainer, const FaithfulnessOptions &options,
                       IntegratedGradients &ig)
{
    Attributions a;
    a.attention = explainer.attention();
    explainer.gradients(a.gradient, a.inputXGradient);
    a.leaveOneOut = explainer.leaveOneOut();
    ig = explainer.integratedGradients(options.integrationSteps);
    a.integratedGradients = ig.attributions;
    return a;
}

} // namespace

Mat trainingMean(const TaskData &task)
{
    const Mat &train = task.train.x; // (N, T*F), column t*F + f
    const int F = task.train.features;
    Mat mean = Mat::Zero(1, F);
    if (train.size() == 0)
        return mean;
    for (Eigen::Index c = 0; c < train.cols(); ++c)
        mean(0, c % F) += train.col(c).sum();
    mean /= Scalar(train.rows() * (train.cols() / F));
    return mean;
}

Attributions attributeRows(Model &model, const TaskData &task, const Dataset &data, int rows,
                           const FaithfulnessOptions &options)
{
    if (rows < 1 || options.integrationSteps < 1)
        throw ConfigError("attributeRows: rows and integration steps must be >= 1");
    if (data.size() < 1)
        throw DataError("attributeRows: the data set is empty");
    const int R = int(std::min<Eigen::Index>(rows, data.size()));
    Explainer explainer = explainerOf(model, task, data, R, options);
    IntegratedGradients ig;
    return attribute(explainer, options, ig);
}

Mat normalisedMagnitude(const ConstMatRef &a)
{
    Mat out = a.cwiseAbs();
    for (Eigen::Index r = 0; r < out.rows(); ++r) {
        const Scalar sum = out.row(r).sum();
        if (sum > 0)
            out.row(r) /= sum;
    }
    return out;
}

FaithfulnessReport measureFaithfulness(Model &model, const TaskData &task,
                                       const FaithfulnessOptions &options, Attributions *out)
{
    const auto t0 = Clock::now();
    if (options.rows < 1 || options.integrationSteps < 1 || options.permutations < 1)
        throw ConfigError("measureFaithfulness: rows, integration steps and permutations must be >= 1");
    const Dataset &data = task.validation;
    if (data.size() < 1)
        throw DataError("measureFaithfulness: the validation set is empty");
    const int R = int(std::min<Eigen::Index>(options.rows, data.size()));
    Explainer explainer = explainerOf(model, task, data, R, options);
    const bool features = attendsOverFeatures(model.config().architecture);
    IntegratedGradients ig;
    Attributions a = attribute(explainer, options, ig);

    FaithfulnessReport report;
    report.rows = R;
    if (a.attention.size() > 0)
        report.attentionAlignment = alignmentOf(task, features, a.attention);
    report.gradient = agreement(task, features, explainer, a.gradient);
    report.inputXGradient = agreement(task, features, explainer, a.inputXGradient);
    report.leaveOneOut = agreement(task, features, explainer, a.leaveOneOut);
    report.integratedGradients = agreement(task, features, explainer, a.integratedGradients);
    report.completenessGap = double(ig.gap.cwiseAbs().mean());
    report.completenessDelta = double(ig.delta.cwiseAbs().mean());
    if (a.attention.size() > 0) {
        Rng rng(options.seed);
        const CounterfactualChange permuted =
            permutedAttentionChange(explainer, options.permutations, rng);
        const CounterfactualChange uniform = uniformAttentionChange(explainer);
        report.permutationMedianAbsChange = permuted.medianChange;
        report.uniformAbsChange = uniform.medianChange;
        report.decisionFlipShare = permuted.flipShare;
        report.uniformDecisionFlipShare = uniform.flipShare;
    }
    if (out)
        *out = std::move(a);
    report.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return report;
}

} // namespace attn
