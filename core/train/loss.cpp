// SPDX-License-Identifier: GPL-3.0-or-later
// MSE, MAE, binary cross-entropy and softmax cross-entropy on logits, with the batch mean
// applied here only.
#include "core/train/loss.h"

#include <cmath>

namespace attn {

namespace {

double elementLoss(LossKind kind, double p, double y)
{
    switch (kind) {
    case LossKind::Mse: return (p - y) * (p - y);
    case LossKind::Mae: return std::abs(p - y);
    case LossKind::SoftmaxCrossEntropy: break; // row-wise, see softmaxCrossEntropy
    case LossKind::BinaryCrossEntropy:
        // Stable form of -y log s(z) - (1-y) log(1-s(z)): no exp() of a large positive number.
        return std::max(p, 0.0) - p * y + std::log1p(std::exp(-std::abs(p)));
    }
    return 0.0;
}

double elementGradient(LossKind kind, double p, double y)
{
    switch (kind) {
    case LossKind::Mse: return 2.0 * (p - y);
    case LossKind::Mae: return double((p > y) - (p < y));
    case LossKind::BinaryCrossEntropy: return 1.0 / (1.0 + std::exp(-p)) - y;
    case LossKind::SoftmaxCrossEntropy: break; // row-wise, see softmaxCrossEntropy
    }
    return 0.0;
}

/// Softmax cross-entropy of logits z (B, C) against y (B, C): returns the summed (not yet
/// averaged) loss; if dZ is given, writes scale * dL_b/dz_b into it. Allocates nothing.
double softmaxCrossEntropy(const ConstMatRef &z, const ConstMatRef &y, MatRef *dZ, double scale)
{
    if (z.cols() < 1)
        throw ShapeError("softmax cross-entropy: expected at least 1 class column, got 0");
    double sum = 0.0;
    for (Eigen::Index r = 0; r < z.rows(); ++r) {
        // Subtract the row max before exp(): no overflow, and the largest term is exp(0) = 1.
        double m = double(z(r, 0));
        for (Eigen::Index c = 1; c < z.cols(); ++c)
            m = std::max(m, double(z(r, c)));
        double denom = 0.0, mass = 0.0, dot = 0.0;
        for (Eigen::Index c = 0; c < z.cols(); ++c) {
            denom += std::exp(double(z(r, c)) - m);
            mass += double(y(r, c));
            dot += double(y(r, c)) * double(z(r, c));
        }
        const double lse = m + std::log(denom); // log sum_c exp(z_c)
        sum += mass * lse - dot;
        if (dZ)
            for (Eigen::Index c = 0; c < z.cols(); ++c)
                (*dZ)(r, c) = Scalar(scale * (mass * std::exp(double(z(r, c)) - lse) - double(y(r, c))));
    }
    return sum;
}

} // namespace

double lossValue(LossKind kind, const ConstMatRef &pred, const ConstMatRef &target)
{
    requireShape(target, pred.rows(), pred.cols(), "loss target");
    if (kind == LossKind::SoftmaxCrossEntropy)
        return softmaxCrossEntropy(pred, target, nullptr, 0.0) / double(pred.rows());
    double sum = 0.0;
    for (Eigen::Index r = 0; r < pred.rows(); ++r)
        for (Eigen::Index c = 0; c < pred.cols(); ++c)
            sum += elementLoss(kind, pred(r, c), target(r, c));
    return sum / double(pred.size());
}

double lossWithGradient(LossKind kind, const ConstMatRef &pred, const ConstMatRef &target,
                        MatRef dPred, Eigen::Index meanRows)
{
    requireShape(target, pred.rows(), pred.cols(), "loss target");
    requireShape(dPred, pred.rows(), pred.cols(), "loss dPred");
    const double rows = double(meanRows > 0 ? meanRows : pred.rows());
    if (kind == LossKind::SoftmaxCrossEntropy) {
        const double rowScale = 1.0 / rows; // the batch mean over B rows, applied once
        return softmaxCrossEntropy(pred, target, &dPred, rowScale) * rowScale;
    }
    const double scale = 1.0 / (rows * double(pred.cols())); // the batch mean, applied once
    double sum = 0.0;
    for (Eigen::Index r = 0; r < pred.rows(); ++r)
        for (Eigen::Index c = 0; c < pred.cols(); ++c) {
            sum += elementLoss(kind, pred(r, c), target(r, c));
            dPred(r, c) = Scalar(scale * elementGradient(kind, pred(r, c), target(r, c)));
        }
    return sum * scale;
}

} // namespace attn
