// SPDX-License-Identifier: GPL-3.0-or-later
// Layer normalisation over the features of each row (Ba, Kiros & Hinton 2016, "Layer
// Normalization", eqs. 3-4; torch.nn.LayerNorm layout, eps 1e-5, weight ones, bias zeros):
//   (1) mu = (1/D) sum_j x_j,  var = (1/D) sum_j (x_j - mu)^2     per row; mu, var (N, 1)
//   (2) xhat = (x - mu) / sqrt(var + eps)                         (N, D)
//   (3) y = xhat * gamma + b                                      gamma, b (1, D)
#pragma once

#include "core/tensor/tensor.h"

#include <string>
#include <vector>

namespace attn {

/// The normalisation both LayerNorm and MeanVarianceNorm apply (Ba et al. 2016, eqs. 1-2):
/// each row of xhat (N, D), in place, minus its mean, times invStd(n) = 1 / sqrt(var + eps),
/// which is written to invStd (N, 1).
void normalizeRows(MatRef xhat, MatRef invStd, Scalar eps);

/// Its backward, in place: dxhat (N, D) becomes dx = invStd * (dxhat - mean_j(dxhat) - xhat *
/// mean_j(dxhat * xhat)) per row; rowA, rowB (N, 1) are scratch. Allocates nothing.
void normalizeRowsBackward(MatRef dxhat, const ConstMatRef &xhat, const ConstMatRef &invStd, Mat &rowA,
                           Mat &rowB);

class LayerNorm {
public:
    struct Params {
        Mat gamma; // (1, D) "weight"
        Mat beta;  // (1, D) "bias"
    };
    using Grads = Params;
    struct Cache {
        Mat xhat;   // (N, D) normalised input of eq. (2)
        Mat invStd; // (N, 1) 1 / sqrt(var + eps)
    };

    /// width D, eps. Throws ConfigError if width < 1 or eps <= 0.
    explicit LayerNorm(int width, double eps = 1e-5);
    /// Allocates the cache and workspace for N rows (no-op if unchanged). ShapeError if N < 1.
    void resize(Eigen::Index rows);
    /// x (N, D) -> y (N, D), eqs. (1)-(3); y may alias x. ShapeError on a mismatch or before resize.
    void forward(const ConstMatRef &x, MatRef y);
    /// dy (N, D) -> dx (N, D) (written, dx may alias dy); adds dL/dgamma, dL/dbeta.
    void backward(const ConstMatRef &dy, MatRef dx);
    void zeroGrad();
    /// Appends "<prefix>.weight" (gamma) and "<prefix>.bias" (beta), as torch.nn.LayerNorm.
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out);
    int width() const { return int(m_params.gamma.cols()); }

    Params &params() { return m_params; }
    const Grads &grads() const { return m_grads; }
    const Cache &cache() const { return m_cache; }

private:
    Scalar m_eps;
    Params m_params;
    Grads m_grads;
    Cache m_cache;
    Mat m_dXhat; // (N, D) dL/dxhat
    Mat m_rowA;  // (N, 1) sum_j dxhat_j
    Mat m_rowB;  // (N, 1) sum_j dxhat_j xhat_j
};

} // namespace attn
