// SPDX-License-Identifier: GPL-3.0-or-later
// dtwDistance: the banded DTW recurrence over two table rows; dtwNearestNeighbourClasses: a scan
// of the reference rows with the best distance so far as the abandoning cutoff.
#include "core/train/dtw.h"

#include "core/tensor/errors.h"

#include <algorithm>
#include <limits>
#include <string>

namespace attn {

double dtwDistance(const Scalar *a, const Scalar *b, int steps, int features, int window,
                   double cutoff, DtwWorkspace &work)
{
    if (steps < 1 || features < 1 || window < 0)
        throw ShapeError("dtwDistance: steps and features must be >= 1 and the window >= 0, got " +
                         std::to_string(steps) + ", " + std::to_string(features) + ", " +
                         std::to_string(window));
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const int T = steps;
    // Row i of the table is D(i, 0..T); cells outside the band stay +inf. Only the cells that
    // the next row reads (its band widened by one) are reset, not the whole row.
    work.previous.assign(std::size_t(T) + 1, kInf);
    work.current.assign(std::size_t(T) + 1, kInf);
    work.previous[0] = 0.0;
    for (int i = 1; i <= T; ++i) {
        double *prev = work.previous.data();
        double *cur = work.current.data();
        const int lo = std::max(1, i - window);
        const int hi = std::min(T, i + window);
        cur[lo - 1] = kInf;
        double rowMin = kInf;
        const Scalar *ai = a + std::ptrdiff_t(i - 1) * features;
        for (int j = lo; j <= hi; ++j) {
            const Scalar *bj = b + std::ptrdiff_t(j - 1) * features;
            double cost = 0.0;
            for (int f = 0; f < features; ++f) {
                const double d = double(ai[f]) - double(bj[f]);
                cost += d * d;
            }
            cur[j] = cost + std::min({prev[j - 1], prev[j], cur[j - 1]});
            rowMin = std::min(rowMin, cur[j]);
        }
        if (hi < T)
            cur[hi + 1] = kInf;
        if (rowMin > cutoff)
            return kInf;
        std::swap(work.previous, work.current);
    }
    const double distance = work.previous[std::size_t(T)];
    return distance > cutoff ? kInf : distance;
}

std::vector<int> dtwNearestNeighbourClasses(const Mat &reference,
                                            const std::vector<int> &referenceClasses,
                                            const Mat &query, int steps, int features, int window)
{
    const Eigen::Index width = Eigen::Index(steps) * features;
    if (reference.cols() != width || query.cols() != width ||
        Eigen::Index(referenceClasses.size()) != reference.rows())
        throw ShapeError("dtwNearestNeighbourClasses: rows of " + std::to_string(reference.cols()) +
                         " and " + std::to_string(query.cols()) + " values for T*F = " +
                         std::to_string(width) + ", " + std::to_string(referenceClasses.size()) +
                         " classes for " + std::to_string(reference.rows()) + " rows");
    // Mat is row-major (tensor.h): each row's T*F values are contiguous, as dtwDistance reads them.
    DtwWorkspace work;
    std::vector<int> out(std::size_t(query.rows()), referenceClasses.empty() ? 0 : referenceClasses[0]);
    for (Eigen::Index r = 0; r < query.rows(); ++r) {
        double best = std::numeric_limits<double>::infinity();
        for (Eigen::Index n = 0; n < reference.rows(); ++n) {
            const double d = dtwDistance(query.row(r).data(), reference.row(n).data(), steps, features,
                                         window, best, work);
            if (d < best) { // strictly: the first of equal minima wins
                best = d;
                out[std::size_t(r)] = referenceClasses[std::size_t(n)];
            }
        }
    }
    return out;
}

} // namespace attn
