// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's scalar type, matrix types and data layout, documented once for all of core/.
// Every Eigen include in core/ goes through this header so the test build can turn Eigen's
// internal assertions (including the EIGEN_RUNTIME_NO_MALLOC guard) into exceptions.
#pragma once

#if defined(ATTN_THROWING_EIGEN_ASSERT)
#include <stdexcept>
// Test builds: an Eigen assertion (e.g. "heap allocation is forbidden") becomes a catchable error.
#define eigen_assert(x)                                                                            \
    do {                                                                                           \
        if (!(x))                                                                                  \
            throw std::logic_error("Eigen assertion failed: " #x);                                 \
    } while (false)
#endif

#include "core/tensor/errors.h"

#include <Eigen/Core>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace attn {

// ---------------------------------------------------------------------------------------------
// Dimension glossary (used in every shape comment in core/):
//   B  batch size (sequences per mini-batch)      T  time steps per sequence
//   F  input features per time step               H  hidden units of the recurrent layer
//   U  attention (output) units                   K  attention heads
//   O  outputs of the final Dense layer           N  number of samples in a data set
//
// Layout: a batch of sequences is ONE row-major matrix of (T*B) rows x F columns, time-major:
// rows t*B .. t*B+B-1 hold step t of every sequence in the batch. A step is a contiguous row
// block (`middleRows(t*B, B)`), so the LSTM's input projection for all steps and the weight
// gradients in backward each run as one large GEMM; only the recurrent product is per step.
// Attention weights are (B, T) matrices: row b is sequence b, column s is time step s.
// Parameters follow PyTorch's layouts: Linear weight (out x in), biases as (1 x out) rows.
// ---------------------------------------------------------------------------------------------

#if defined(ATTN_SCALAR_DOUBLE)
using Scalar = double; // gradient-check builds
#else
using Scalar = float; // the app
#endif

using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vec = Eigen::Matrix<Scalar, 1, Eigen::Dynamic, Eigen::RowMajor>;
using MatRef = Eigen::Ref<Mat>;
using ConstMatRef = Eigen::Ref<const Mat>;

/// Throws ShapeError("<where>: expected RxC, got rxc") unless m is rows x cols.
inline void requireShape(const ConstMatRef &m, Eigen::Index rows, Eigen::Index cols,
                         const char *where)
{
    if (m.rows() != rows || m.cols() != cols)
        throw ShapeError(std::string(where) + ": expected " + std::to_string(rows) + "x" +
                         std::to_string(cols) + ", got " + std::to_string(m.rows()) + "x" +
                         std::to_string(m.cols()));
}

/// A named parameter with its gradient, as seen by optimizers, serializers and gradient checks.
struct ParamRef {
    std::string name; // PyTorch-style name, e.g. "lstm.weight_ih_l0"
    Mat *value;
    Mat *grad;
};

} // namespace attn
