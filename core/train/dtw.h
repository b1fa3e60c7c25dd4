// SPDX-License-Identifier: GPL-3.0-or-later
// Dynamic time warping (Sakoe & Chiba 1978) for the 1-NN DTW baseline: the squared DTW distance
// of two sequences within a Sakoe-Chiba band, with early abandoning, and the class of each row's
// nearest reference row under it (the UCR archive's DTW columns; Dau et al. 2019).
#pragma once

#include "core/tensor/tensor.h"

#include <vector>

namespace attn {

/// Reusable rows of the DTW table, (T + 1) each; dtwDistance sizes them.
struct DtwWorkspace {
    std::vector<double> previous, current;
};

/// The squared DTW distance of a and b, each T steps of F values, time-major (element t*F + f):
/// D(i, j) = ||a_i - b_j||^2 + min(D(i-1, j-1), D(i-1, j), D(i, j-1)), D(0, 0) = 0, over the cells
/// with |i - j| <= window (window 0: the squared Euclidean distance; window >= T - 1: full DTW).
/// Returns +infinity if the distance exceeds cutoff, as soon as every cell of a table row does (the
/// distance can only grow from there: early abandoning). Throws ShapeError if steps < 1,
/// features < 1 or window < 0.
double dtwDistance(const Scalar *a, const Scalar *b, int steps, int features, int window,
                   double cutoff, DtwWorkspace &work);

/// For every row of query (N_q, T*F), the class of its nearest row of reference (N_r, T*F) by
/// dtwDistance with the given window (ties: the first such row). Throws ShapeError if the column
/// counts differ from steps * features or referenceClasses has not N_r entries.
std::vector<int> dtwNearestNeighbourClasses(const Mat &reference,
                                            const std::vector<int> &referenceClasses,
                                            const Mat &query, int steps, int features, int window);

} // namespace attn
