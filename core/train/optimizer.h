// SPDX-License-Identifier: GPL-3.0-or-later
// Interface of the optimizers. State is laid out like the parameters; the trainer owns the step
// counter and passes it in (Adam's bias correction needs it).
#pragma once

#include "core/tensor/tensor.h"

#include <vector>

namespace attn {

class Optimizer {
public:
    virtual ~Optimizer() = default;
    /// Applies one update to every parameter from its gradient. step is 1-based.
    virtual void step(const std::vector<ParamRef> &params, long long step) = 0;
    void setLearningRate(double lr) { m_learningRate = lr; }
    double learningRate() const { return m_learningRate; }

protected:
    explicit Optimizer(double lr) : m_learningRate(lr) {}
    double m_learningRate;
};

} // namespace attn
