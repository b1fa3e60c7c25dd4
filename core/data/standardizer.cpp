// SPDX-License-Identifier: GPL-3.0-or-later
// The train-only standardisation: Standardizer (per-feature mean and scale, accumulated in
// double) and the Scaling of a split's inputs and regression target.
#include "core/data/sequencecsv.h"

#include "core/data/csvcolumns.h"

#include <algorithm>
#include <cmath>

namespace attn {

using csvdetail::shortest;

void Standardizer::fit(const ConstMatRef &x, int features)
{
    if (features < 1 || x.rows() == 0 || x.cols() == 0 || x.cols() % features != 0)
        throw ShapeError("Standardizer::fit: expected a non-empty (N, T*F) matrix with F = " +
                         std::to_string(features) + ", got " + std::to_string(x.rows()) + "x" +
                         std::to_string(x.cols()));
    const Eigen::Index F = features, T = x.cols() / features;
    const double count = double(x.rows()) * double(T);
    m_mean.assign(std::size_t(F), 0.0);
    m_scale.assign(std::size_t(F), 0.0);
    for (Eigen::Index f = 0; f < F; ++f) {
        double sum = 0;
        for (Eigen::Index r = 0; r < x.rows(); ++r)
            for (Eigen::Index t = 0; t < T; ++t)
                sum += double(x(r, t * F + f));
        const double mean = sum / count;
        double sq = 0; // two passes: no cancellation between sum of squares and mean^2
        for (Eigen::Index r = 0; r < x.rows(); ++r)
            for (Eigen::Index t = 0; t < T; ++t) {
                const double d = double(x(r, t * F + f)) - mean;
                sq += d * d;
            }
        const double sd = std::sqrt(sq / count);
        m_mean[std::size_t(f)] = mean;
        // A (near) constant feature keeps scale 1: dividing rounding noise by ~0 would blow it up.
        m_scale[std::size_t(f)] = sd <= kStdEpsilon * std::max(1.0, std::abs(mean)) ? 1.0 : sd;
    }
}

void Standardizer::setStatistics(std::vector<double> mean, std::vector<double> scale)
{
    if (mean.empty() || mean.size() != scale.size())
        throw DataError("Standardizer::setStatistics: " + std::to_string(mean.size()) +
                        " means and " + std::to_string(scale.size()) +
                        " scales (expected the same number, at least 1)");
    for (std::size_t f = 0; f < mean.size(); ++f)
        if (!std::isfinite(mean[f]) || !std::isfinite(scale[f]) || !(scale[f] > 0.0))
            throw DataError("Standardizer::setStatistics: feature " + std::to_string(f + 1) +
                            " has mean " + shortest(mean[f]) + " and scale " + shortest(scale[f]) +
                            " (expected finite numbers, scale > 0)");
    m_mean = std::move(mean);
    m_scale = std::move(scale);
}

void Standardizer::check(const ConstMatRef &x, const char *where) const
{
    if (!isFitted())
        throw ShapeError(std::string(where) + ": not fitted");
    if (x.cols() % features() != 0)
        throw ShapeError(std::string(where) + ": expected a multiple of " +
                         std::to_string(features()) + " columns, got " + std::to_string(x.cols()));
}

void Standardizer::transform(MatRef x) const
{
    check(x, "Standardizer::transform");
    const Eigen::Index F = features();
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index c = 0; c < x.cols(); ++c)
            x(r, c) = Scalar((double(x(r, c)) - m_mean[std::size_t(c % F)]) /
                             m_scale[std::size_t(c % F)]);
}

void Standardizer::inverseTransform(MatRef x) const
{
    check(x, "Standardizer::inverseTransform");
    const Eigen::Index F = features();
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index c = 0; c < x.cols(); ++c)
            x(r, c) = Scalar(double(x(r, c)) * m_scale[std::size_t(c % F)] +
                             m_mean[std::size_t(c % F)]);
}

Scaling fitScaling(const Dataset &train, TaskType type)
{
    Scaling s;
    s.input.fit(train.x, train.features);
    if (type == TaskType::Regression)
        s.target.fit(train.y, int(train.y.cols()));
    return s;
}

void applyScaling(const Scaling &s, Dataset &data)
{
    s.input.transform(data.x);
    if (data.mask.size() > 0) // padding steps stay exactly 0 (the value the layout padded with)
        for (Eigen::Index r = 0; r < data.x.rows(); ++r)
            for (Eigen::Index t = 0; t < data.mask.cols(); ++t)
                if (data.mask(r, t) <= Scalar(0))
                    data.x.row(r).segment(t * data.features, data.features).setZero();
    if (s.target.isFitted())
        s.target.transform(data.y);
}

} // namespace attn
