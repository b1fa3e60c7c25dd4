// SPDX-License-Identifier: GPL-3.0-or-later
// Mean-variance normalisation over the units of each row, without gain or bias: the
// normalisation layer of the dense autoencoder in docs/tasks.md ("autoencoder"), as Keras-contrib's
// MVN or LayerNorm (Ba, Kiros & Hinton 2016, eqs. 3-4) without its learned gamma and beta:
//   (1) mu = (1/D) sum_j x_j,  var = (1/D) sum_j (x_j - mu)^2     per row; mu, var (N, 1)
//   (2) y = (x - mu) / sqrt(var + eps)                             (N, D)
// No parameters.
#pragma once

#include "core/tensor/tensor.h"

namespace attn {

class MeanVarianceNorm {
public:
    struct Cache {
        Mat y;      // (N, D) the normalised output of eq. (2)
        Mat invStd; // (N, 1) 1 / sqrt(var + eps)
    };

    /// width D, eps (1e-5 as torch.nn.LayerNorm). Throws ConfigError if width < 1 or eps <= 0.
    explicit MeanVarianceNorm(int width, double eps = 1e-5);
    /// Allocates the cache and workspace for N rows (no-op if unchanged). ShapeError if N < 1.
    void resize(Eigen::Index rows);
    /// x (N, D) -> y (N, D), eqs. (1)-(2); y may alias x. ShapeError on a mismatch or before resize.
    void forward(const ConstMatRef &x, MatRef y);
    /// dy (N, D) -> dx (N, D) (written; dx may alias dy), through the row mean and variance.
    void backward(const ConstMatRef &dy, MatRef dx);
    int width() const { return m_width; }
    const Cache &cache() const { return m_cache; }

private:
    int m_width;
    Scalar m_eps;
    Cache m_cache;
    Mat m_rowA; // (N, 1) mean_j dy_j
    Mat m_rowB; // (N, 1) mean_j dy_j y_j
};

} // namespace attn
