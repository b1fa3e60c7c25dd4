// SPDX-License-Identifier: GPL-3.0-or-later
// Stochastic gradient descent with optional classical momentum (Polyak 1964; PyTorch's form):
//   u = mu u + g;  p -= lr u          (mu = 0: p -= lr g)
#pragma once

#include "core/train/optimizer.h"

namespace attn {

class Sgd : public Optimizer {
public:
    Sgd(const std::vector<ParamRef> &params, double lr, double momentum = 0.0);
    void stepPart(const std::vector<ParamRef> &params, long long step, int part,
                  int parts) override;

private:
    double m_momentum;
    std::vector<Mat> m_velocity; // one per parameter, same shape
};

} // namespace attn
