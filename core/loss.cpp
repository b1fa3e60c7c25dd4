// SPDX-License-Identifier: GPL-3.0-or-later
// MSE, MAE and binary cross-entropy on logits, with the batch mean applied here only.
#include "core/loss.h"

#include <cmath>

namespace attn {

std::string toString(LossKind kind)
{
    switch (kind) {
    case LossKind::Mse: return "mse";
    case LossKind::Mae: return "mae";
    case LossKind::BinaryCrossEntropy: return "bce";
    }
    return "?";
}

namespace {

double elementLoss(LossKind kind, double p, double y)
{
    switch (kind) {
    case LossKind::Mse: return (p - y) * (p - y);
    case LossKind::Mae: return std::abs(p - y);
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
    }
    return 0.0;
}

} // namespace

double lossValue(LossKind kind, const ConstMatRef &pred, const ConstMatRef &target)
{
    requireShape(target, pred.rows(), pred.cols(), "loss target");
    double sum = 0.0;
    for (Eigen::Index r = 0; r < pred.rows(); ++r)
        for (Eigen::Index c = 0; c < pred.cols(); ++c)
            sum += elementLoss(kind, pred(r, c), target(r, c));
    return sum / double(pred.size());
}

double lossWithGradient(LossKind kind, const ConstMatRef &pred, const ConstMatRef &target,
                        MatRef dPred)
{
    requireShape(target, pred.rows(), pred.cols(), "loss target");
    requireShape(dPred, pred.rows(), pred.cols(), "loss dPred");
    const double scale = 1.0 / double(pred.size()); // the batch mean, applied once
    double sum = 0.0;
    for (Eigen::Index r = 0; r < pred.rows(); ++r)
        for (Eigen::Index c = 0; c < pred.cols(); ++c) {
            sum += elementLoss(kind, pred(r, c), target(r, c));
            dPred(r, c) = Scalar(scale * elementGradient(kind, pred(r, c), target(r, c)));
        }
    return sum * scale;
}

} // namespace attn
