// SPDX-License-Identifier: GPL-3.0-or-later
// Many-to-one feed-forward attention: a learned score per time step from that step's hidden
// state alone, no query (Raffel & Ellis 2015, "Feed-Forward Networks with Attention Can Solve
// Some Long-Term Memory Problems", eqs. 1-3; the Keras Dense(1, tanh)-then-softmax recipe with
// one bias per time step):
//   (1) e_t = tanh(h_t w + b_t)            w (H, 1), b (1, T), e (B, T)
//   (2) a = softmax_t(e)                   a (B, T)
//   (3) c = sum_t a_t h_t                  out = c (B, H); no readout, so U = H
#pragma once

#include "core/attention/manytooneattention.h"
#include "core/tensor/rng.h"

namespace attn {

class FeedForwardAttention : public ManyToOneAttention {
public:
    struct Params {
        Mat weight; // (H, 1) w of eq. (1), Keras kernel layout
        Mat bias;   // (1, T) b of eq. (1), one per time step
    };
    using Grads = Params;
    struct Cache {
        Mat projection; // (T*B, 1) h_t w, all steps in one product
        Mat scores;     // (B, T) e of eq. (1)
        Mat weights;    // (B, T) a of eq. (2)
    };

    /// hidden H of the recurrent layer, steps T (fixed: the bias has one entry per step).
    /// Zero b; w Glorot-uniform, or with normalStd > 0 drawn from N(0, normalStd^2) (Keras'
    /// "normal" initialiser has std 0.05; the sentiment blog's attention layer uses it).
    /// Throws ConfigError if hidden or steps < 1 or normalStd < 0.
    FeedForwardAttention(int hidden, int steps, Rng &rng, double normalStd = 0.0);
    /// The std of Keras' "normal" (RandomNormal) initialiser.
    static constexpr double kKerasNormalStd = 0.05;

    /// Throws ShapeError if steps differs from the T given to the constructor or batch < 1.
    void resize(int steps, int batch) override;
    /// hs (T*B, H) -> out (B, H), eqs. (1)-(3). Throws ShapeError on a mismatch or before resize().
    void forward(const ConstMatRef &hs, MatRef out) override;
    /// dOut (B, H) -> writes dL/dhs (T*B, H) into dHs; adds dL/dw, dL/db.
    void backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs) override;
    /// a of eq. (2), (B, T); each row sums to 1.
    const Mat &weights() const override { return m_cache.weights; }
    void zeroGrad() override;
    /// Appends "<prefix>.weight" (H, 1) and "<prefix>.bias" (1, T).
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out) override;
    /// H: the context vector is the output.
    int outputs() const override { return m_hidden; }

    Params &params() { return m_params; }
    const Grads &grads() const { return m_grads; }

private:
    int m_hidden;
    int m_steps;
    int m_batch = 0;
    Params m_params;
    Grads m_grads;
    Cache m_cache;
    Mat m_dWeights;    // (B, T) dL/da
    Mat m_dScores;     // (B, T) dL/de, then dL/d(pre-tanh)
    Mat m_dProjection; // (T*B, 1) dL/d(h_t w + b_t), time-major
};

} // namespace attn
