// SPDX-License-Identifier: GPL-3.0-or-later
// Inverted dropout (Srivastava et al. 2014), identity at evaluation time:
//   (1) training: y = x * m,  m_ij = 1/(1-p) with probability 1-p, else 0;   evaluation: y = x
#pragma once

#include "core/tensor/rng.h"
#include "core/tensor/tensor.h"

namespace attn {

class Dropout {
public:
    struct Cache {
        Mat mask; // (N, D) 0 or 1/(1-p)
    };

    /// rate p in [0, 1). Throws ConfigError otherwise.
    explicit Dropout(double rate);
    void resize(Eigen::Index rows, Eigen::Index cols);

    /// x (N, D) -> y (N, D); draws the mask from rng when training and p > 0.
    void forward(const ConstMatRef &x, MatRef y, Rng &rng, bool training);
    /// dy (N, D) -> dx (N, D) = dy * m (the mask of the last training forward).
    void backward(const ConstMatRef &dy, MatRef dx) const;
    double rate() const { return m_rate; }

private:
    double m_rate;
    bool m_lastTraining = false;
    Cache m_cache;
};

} // namespace attn
