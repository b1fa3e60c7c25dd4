// SPDX-License-Identifier: GPL-3.0-or-later
// Kendall's tau-b, the rank correlation Jain & Wallace (2019, "Attention is not Explanation",
// sec. 3) use to compare attention weights with feature-importance measures, row by row.
#pragma once

#include "core/tensor/tensor.h"

#include <optional>

namespace attn {

/// Kendall's tau-b of two samples of n values (Kendall 1945, the tie-corrected form):
///   tau_b = (n_c - n_d) / sqrt((n_0 - n_1)(n_0 - n_2))
/// over the n_0 = n(n-1)/2 pairs: n_c concordant, n_d discordant, n_1 tied in a, n_2 tied in b
/// (a pair tied in both counts in n_1 and n_2). In [-1, 1]; nullopt when it is undefined (n < 2,
/// or every value of a or of b is the same). O(n^2), n is a row's number of steps.
std::optional<double> kendallTauB(const Scalar *a, const Scalar *b, int n);

/// The mean over rows of tau-b between row r of a and row r of b (R, C), each row restricted
/// to the columns where mask (R, C) is > 0 (an empty mask: every column); rows where tau-b is
/// undefined are left out. nullopt if no row has a defined tau-b. Throws ShapeError if the
/// shapes differ.
std::optional<double> meanKendallTauB(const ConstMatRef &a, const ConstMatRef &b,
                                      const ConstMatRef &mask);

} // namespace attn
