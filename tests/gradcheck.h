// SPDX-License-Identifier: GPL-3.0-or-later
// Finite-difference gradient checking for the double-precision core build (attn_core_f64):
// central differences on every entry of a tensor, compared as ||analytic - numeric|| /
// (||analytic|| + ||numeric||), the usual norm-wise relative error; gradientFailure() checks
// every parameter and the input of a layer at once; errorOf() gives the message a call throws.
#pragma once

#include "core/tensor/rng.h"
#include "core/tensor/tensor.h"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace attn::test {

static_assert(sizeof(Scalar) == 8, "gradient checks need the double-precision core (attn_core_f64)");

/// Numeric gradient of f() with respect to every entry of x, by central differences.
inline Mat numericGradient(Mat &x, const std::function<double()> &f, double h = 1e-6)
{
    Mat g(x.rows(), x.cols());
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index c = 0; c < x.cols(); ++c) {
            const Scalar keep = x(r, c);
            x(r, c) = keep + h;
            const double plus = f();
            x(r, c) = keep - h;
            const double minus = f();
            x(r, c) = keep;
            g(r, c) = (plus - minus) / (2 * h);
        }
    return g;
}

/// Numeric gradient by the five-point stencil (f(x-2h) - 8 f(x-h) + 8 f(x+h) - f(x+2h)) / 12h:
/// truncation error O(h^4) instead of O(h^2), so a larger h keeps rounding (~1e-16 / h of the
/// loss) small too. For gradients many orders below the loss, as after two LayerNorms.
inline Mat numericGradient5(Mat &x, const std::function<double()> &f, double h = 1e-3)
{
    Mat g(x.rows(), x.cols());
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index c = 0; c < x.cols(); ++c) {
            const Scalar keep = x(r, c);
            double at[4];
            const double steps[4] = {-2 * h, -h, h, 2 * h};
            for (int i = 0; i < 4; ++i) {
                x(r, c) = keep + steps[i];
                at[i] = f();
            }
            x(r, c) = keep;
            g(r, c) = (at[0] - 8 * at[1] + 8 * at[2] - at[3]) / (12 * h);
        }
    return g;
}

/// Norm-wise relative error; 0 when both are exactly zero.
inline double relativeError(const Mat &analytic, const Mat &numeric)
{
    const double denom = analytic.norm() + numeric.norm();
    return denom == 0.0 ? 0.0 : (analytic - numeric).norm() / denom;
}

inline Mat randomMat(Eigen::Index rows, Eigen::Index cols, Rng &rng, double scale = 1.0)
{
    Mat m(rows, cols);
    for (Eigen::Index r = 0; r < rows; ++r)
        for (Eigen::Index c = 0; c < cols; ++c)
            m(r, c) = scale * rng.normal();
    return m;
}

/// sum(out * weights): a scalar loss whose gradient with respect to out is `weights`.
inline double weightedSum(const ConstMatRef &out, const ConstMatRef &weights)
{
    return (out.array() * weights.array()).sum();
}

/// Runs loss() once, clears the gradients, runs backward() (which must write dL/dinput into
/// dInput), then compares every parameter's and the input's gradient with central differences.
/// Returns "" when all relative errors are < 1e-6, otherwise a description of the first failure.
inline std::string gradientFailure(const std::vector<ParamRef> &ps, Mat &input, const Mat &dInput,
                                   const std::function<double()> &loss,
                                   const std::function<void()> &backward)
{
    loss();
    for (const ParamRef &p : ps)
        p.grad->setZero();
    backward();
    for (const ParamRef &p : ps) {
        const double err = relativeError(*p.grad, numericGradient(*p.value, loss));
        if (!(err < 1e-6))
            return p.name + " relative error " + std::to_string(err);
    }
    const double err = relativeError(dInput, numericGradient(input, loss)); // loss() runs forward only
    if (!(err < 1e-6))
        return "input relative error " + std::to_string(err);
    return {};
}

/// The message of the ShapeError (or other std::invalid_argument) f() throws, "" if none.
inline std::string errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const std::invalid_argument &e) {
        return e.what();
    }
    return {};
}

/// A padding mask (B, T) with rows of different real lengths: row b has L = max(1, T - b) real
/// steps after the padding (pre-padding) for odd b, before it (post-padding) for even b.
inline Mat mixedPaddingMask(int T, int B)
{
    Mat mask = Mat::Zero(B, T);
    for (int b = 0; b < B; ++b) {
        const int L = std::max(1, T - b);
        if (b % 2 == 0)
            mask.row(b).head(L).setOnes();
        else
            mask.row(b).tail(L).setOnes();
    }
    return mask;
}

} // namespace attn::test
