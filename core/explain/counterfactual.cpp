// SPDX-License-Identifier: GPL-3.0-or-later
// Permuted and uniform attention weights run through the model (Explainer::outputWithAttention).
#include "core/explain/counterfactual.h"

#include <algorithm>
#include <string>
#include <vector>

namespace attn {

namespace {

void requireAttention(const Explainer &explainer, const char *where)
{
    if (explainer.attention().size() == 0)
        throw ConfigError(std::string(where) + ": the model has no attention");
}

std::vector<double> column(const Mat &m)
{
    return std::vector<double>(m.data(), m.data() + m.rows());
}

} // namespace

double median(std::vector<double> values)
{
    if (values.empty())
        return 0.0;
    const std::size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(mid), values.end());
    const double upper = values[mid];
    if (values.size() % 2 == 1)
        return upper;
    const double lower = *std::max_element(values.begin(), values.begin() + std::ptrdiff_t(mid));
    return 0.5 * (lower + upper);
}

CounterfactualChange permutedAttentionChange(Explainer &explainer, int permutations, Rng &rng)
{
    requireAttention(explainer, "permutedAttentionChange");
    if (permutations < 1)
        throw ConfigError("permutedAttentionChange: permutations must be >= 1");
    const Mat &a = explainer.attention(); // (R, U)
    const Mat &real = explainer.realUnits();
    const Eigen::Index R = a.rows(), U = a.cols();
    Mat permuted(R, U);
    std::vector<Eigen::Index> steps, order;
    std::vector<std::vector<double>> draws(static_cast<std::size_t>(R));
    double flips = 0.0;
    for (int p = 0; p < permutations; ++p) {
        permuted = a;
        for (Eigen::Index r = 0; r < R; ++r) {
            steps.clear();
            for (Eigen::Index u = 0; u < U; ++u)
                if (real(r, u) > 0)
                    steps.push_back(u);
            order = steps;
            for (std::size_t i = order.size(); i > 1; --i) // Fisher-Yates
                std::swap(order[i - 1], order[std::size_t(rng.below(i))]);
            for (std::size_t i = 0; i < steps.size(); ++i)
                permuted(r, steps[i]) = a(r, order[i]);
        }
        const Mat out = explainer.outputWithAttention(permuted);
        const Mat change = explainer.outputChange(out);
        for (Eigen::Index r = 0; r < R; ++r)
            draws[std::size_t(r)].push_back(double(change(r, 0)));
        if (explainer.classification())
            flips += explainer.decisionFlips(out).sum();
    }
    CounterfactualChange result;
    result.change.resize(R, 1);
    for (Eigen::Index r = 0; r < R; ++r)
        result.change(r, 0) = Scalar(median(draws[std::size_t(r)]));
    result.medianChange = median(column(result.change));
    if (explainer.classification())
        result.flipShare = flips / (double(R) * permutations);
    return result;
}

CounterfactualChange uniformAttentionChange(Explainer &explainer)
{
    requireAttention(explainer, "uniformAttentionChange");
    const Mat &real = explainer.realUnits(); // (R, U)
    Mat uniform = real;
    for (Eigen::Index r = 0; r < uniform.rows(); ++r) {
        const Scalar L = real.row(r).sum();
        if (L > 0)
            uniform.row(r) /= L;
    }
    const Mat out = explainer.outputWithAttention(uniform);
    CounterfactualChange result;
    result.change = explainer.outputChange(out);
    result.medianChange = median(column(result.change));
    if (explainer.classification())
        result.flipShare = explainer.decisionFlips(out).mean();
    return result;
}

} // namespace attn
