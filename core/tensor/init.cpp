// SPDX-License-Identifier: GPL-3.0-or-later
// Keras-style weight initialisers (Glorot-uniform, orthogonal, uniform) on a seeded Rng.
#include "core/tensor/init.h"

#include <Eigen/QR>
#include <cmath>

namespace attn {

void uniformFill(Mat &w, double lo, double hi, Rng &rng)
{
    for (Eigen::Index r = 0; r < w.rows(); ++r)
        for (Eigen::Index c = 0; c < w.cols(); ++c)
            w(r, c) = Scalar(rng.uniform(lo, hi));
}

void glorotUniform(Mat &w, Eigen::Index fanIn, Eigen::Index fanOut, Rng &rng)
{
    const double limit = std::sqrt(6.0 / double(fanIn + fanOut));
    uniformFill(w, -limit, limit, rng);
}

void orthogonal(Mat &w, Rng &rng)
{
    const bool tall = w.rows() >= w.cols();
    const Eigen::Index n = tall ? w.rows() : w.cols();
    const Eigen::Index k = tall ? w.cols() : w.rows();
    Eigen::MatrixXd a(n, k); // (n, k), n >= k
    for (Eigen::Index r = 0; r < n; ++r)
        for (Eigen::Index c = 0; c < k; ++c)
            a(r, c) = rng.normal();
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
    Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(n, k); // (n, k)
    const Eigen::MatrixXd rMat = qr.matrixQR().topRows(k).triangularView<Eigen::Upper>();
    for (Eigen::Index c = 0; c < k; ++c)
        if (rMat(c, c) < 0)
            q.col(c) = -q.col(c);
    if (tall)
        w = q.cast<Scalar>();
    else
        w = q.transpose().cast<Scalar>();
}

} // namespace attn
