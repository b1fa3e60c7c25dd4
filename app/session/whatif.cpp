// SPDX-License-Identifier: GPL-3.0-or-later
// computeWhatIf: one probe row through a rebuilt copy of the trained model, with and without an
// attention override (Explainer, core/explain).
#include "app/session/whatif.h"

#include "core/explain/explainer.h"

#include <cmath>
#include <exception>

namespace {

double readOutput(attn::LossKind loss, const attn::Mat &out)
{
    if (loss == attn::LossKind::BinaryCrossEntropy)
        return 1.0 / (1.0 + std::exp(-double(out(0, 0))));
    if (loss == attn::LossKind::SoftmaxCrossEntropy) {
        Eigen::Index c = 0;
        out.row(0).maxCoeff(&c);
        return double(c);
    }
    return double(out(0, 0));
}

} // namespace

WhatIfAnswer computeWhatIf(const attn::TrainedModel &model, const attn::EpochSnapshot &s, int row,
                           const std::vector<float> &weights)
{
    WhatIfAnswer answer;
    answer.modelEpoch = model.epoch;
    const attn::ModelSpec &spec = model.spec;
    const bool features = attn::attendsOverFeatures(spec.model.architecture);
    const int T = features ? 1 : spec.steps;
    const int F = spec.model.inputs;
    const int U = features ? F : T;
    const attn::Grid &in = s.probeInputs;
    if (row < 0 || row >= in.rows || in.cols != U || in.values.size() != std::size_t(in.rows) * std::size_t(in.cols)) {
        answer.error = QStringLiteral("probe row %1 is not in the snapshot's inputs").arg(row);
        return answer;
    }
    if (!features && F != 1) {
        answer.error = QStringLiteral("the model reads %1 features per step; the snapshot keeps only "
                                      "the first, so the what-if works on one-feature inputs only")
                           .arg(F);
        return answer;
    }
    if (int(weights.size()) != U) {
        answer.error = QStringLiteral("%1 weights for %2 steps").arg(weights.size()).arg(U);
        return answer;
    }
    double sum = 0.0;
    for (float w : weights)
        sum += double(w);
    if (std::abs(sum - 1.0) > 1e-3) {
        answer.error = QStringLiteral("the weights sum to %1, not 1").arg(sum);
        return answer;
    }
    try {
        const std::unique_ptr<attn::Model> live = attn::buildModel(model);
        attn::Mat x = features ? attn::Mat(1, F) : attn::Mat(T, 1); // (T*1, 1) time-major, or (1, F)
        for (int u = 0; u < U; ++u)
            x(features ? 0 : u, features ? u : 0) = attn::Scalar(in.at(row, u));
        attn::Mat mask;
        if (!features && row < int(s.probeTokens.size())) {
            mask = attn::Mat::Ones(1, T);
            const auto &words = s.probeTokens[std::size_t(row)];
            for (int t = 0; t < T && t < int(words.size()); ++t)
                if (words[std::size_t(t)].empty())
                    mask(0, t) = 0;
        }
        attn::Explainer explainer(*live, spec.loss, T, x, mask);
        if (explainer.attention().size() == 0) {
            answer.error = QStringLiteral("this model has no attention");
            return answer;
        }
        attn::Mat w(1, U);
        for (int u = 0; u < U; ++u)
            w(0, u) = attn::Scalar(weights[std::size_t(u)]);
        answer.original = readOutput(spec.loss, explainer.output());
        answer.edited = readOutput(spec.loss, explainer.outputWithAttention(w));
    } catch (const std::exception &e) {
        answer.error = QString::fromUtf8(e.what());
    }
    return answer;
}
