// SPDX-License-Identifier: GPL-3.0-or-later
// Keras-style weight initialisers, each drawing from an explicit seeded Rng:
// Glorot-uniform (Glorot & Bengio 2010, eq. 16), orthogonal (Saxe et al. 2014), uniform.
#pragma once

#include "core/tensor/rng.h"
#include "core/tensor/tensor.h"

namespace attn {

/// Fills w (any shape) with U(-l, l), l = sqrt(6 / (fanIn + fanOut)).
void glorotUniform(Mat &w, Eigen::Index fanIn, Eigen::Index fanOut, Rng &rng);

/// Fills w (R x C) with U(lo, hi).
void uniformFill(Mat &w, double lo, double hi, Rng &rng);

/// Fills w (R x C) with a (semi-)orthogonal matrix: the Q factor of the QR decomposition of a
/// standard-normal matrix, sign-corrected by diag(R) so the distribution is uniform (Haar).
/// If R >= C the columns are orthonormal, otherwise the rows are.
void orthogonal(Mat &w, Rng &rng);

} // namespace attn
