// SPDX-License-Identifier: GPL-3.0-or-later
// Adam (Kingma & Ba 2015, Algorithm 1), Keras defaults beta1 0.9, beta2 0.999, epsilon 1e-7:
//   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
//   p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
#pragma once

#include "core/train/optimizer.h"

namespace attn {

class Adam : public Optimizer {
public:
    /// Allocates the moment buffers (same shapes as params).
    Adam(const std::vector<ParamRef> &params, double lr, double beta1 = 0.9, double beta2 = 0.999,
         double epsilon = 1e-7);
    /// Throws ShapeError if params do not match the ones given at construction.
    void stepPart(const std::vector<ParamRef> &params, long long step, int part,
                  int parts) override;

private:
    double m_beta1, m_beta2, m_epsilon;
    std::vector<Mat> m_m; // first moments, one per parameter
    std::vector<Mat> m_v; // second moments
};

} // namespace attn
