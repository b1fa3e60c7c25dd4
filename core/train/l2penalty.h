// SPDX-License-Identifier: GPL-3.0-or-later
// L2 weight regularisation as Keras' kernel/embeddings regularizer l2(rate) applies it: the term
// is added to the loss of every training batch (not divided by the batch size) and its gradient
// to the gradient of the chosen parameters, before the optimizer step.
//   (1) penalty = l * sum_ij w_ij^2          (2) dpenalty/dw = 2 l w
#pragma once

#include "core/tensor/tensor.h"

#include <string>
#include <vector>

namespace attn {

class L2Penalty {
public:
    /// rate l >= 0 (0: no penalty), on the parameters of params whose name is one of names
    /// (e.g. "embedding.weight"); a name with no parameter is skipped (a model without an
    /// embedding). Keeps pointers into params' matrices. Throws ConfigError for a negative or
    /// non-finite rate.
    L2Penalty(double rate, const std::vector<ParamRef> &params, const std::vector<std::string> &names);

    /// Eq. (1) over the chosen parameters' current values; 0 when the rate is 0.
    double value() const;
    /// Adds eq. (2) into the chosen parameters' gradients (they accumulate, as every layer's) and
    /// returns eq. (1). Allocates nothing.
    double addGradient() const;
    double rate() const { return m_rate; }
    /// The parameters penalised (none when the rate is 0).
    int parameterCount() const { return int(m_params.size()); }

private:
    double m_rate;
    std::vector<ParamRef> m_params;
};

} // namespace attn
