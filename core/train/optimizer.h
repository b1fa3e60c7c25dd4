// SPDX-License-Identifier: GPL-3.0-or-later
// Interface of the optimizers. State is laid out like the parameters; the trainer owns the step
// counter and passes it in (Adam's bias correction needs it).
#pragma once

#include "core/tensor/errors.h"
#include "core/tensor/tensor.h"

#include <string>
#include <utility>
#include <vector>

namespace attn {

/// Part `part` of `parts` of a parameter's n elements: the flat range [n part / parts,
/// n (part + 1) / parts). Throws ConfigError unless 0 <= part < parts.
inline std::pair<Eigen::Index, Eigen::Index> partRange(Eigen::Index n, int part, int parts)
{
    if (parts < 1 || part < 0 || part >= parts)
        throw ConfigError("partRange: part " + std::to_string(part) + " of " + std::to_string(parts));
    return {n * part / parts, n * (part + 1) / parts};
}

/// The flat elements [begin, end) of a matrix (its row-major storage, tensor.h) as an array.
inline Eigen::Map<Eigen::Array<Scalar, Eigen::Dynamic, 1>> flatPart(Mat &m, Eigen::Index begin,
                                                                   Eigen::Index end)
{
    return {m.data() + begin, end - begin};
}

class Optimizer {
public:
    virtual ~Optimizer() = default;
    /// Applies one update to every parameter from its gradient. step is 1-based.
    void step(const std::vector<ParamRef> &params, long long step) { stepPart(params, step, 0, 1); }
    /// The same update for part `part` of `parts` only: the flat elements
    /// [n part / parts, n (part + 1) / parts) of every parameter of n elements. The update is
    /// element by element, so the parts may run on different threads at once
    /// (core/train/batchslices.h); a fixed `parts` gives the same numbers on any thread.
    /// Throws ShapeError if params differ from the ones given at construction, ConfigError
    /// unless 0 <= part < parts.
    virtual void stepPart(const std::vector<ParamRef> &params, long long step, int part,
                          int parts) = 0;
    void setLearningRate(double lr) { m_learningRate = lr; }
    double learningRate() const { return m_learningRate; }

protected:
    explicit Optimizer(double lr) : m_learningRate(lr) {}
    double m_learningRate;
};

} // namespace attn
