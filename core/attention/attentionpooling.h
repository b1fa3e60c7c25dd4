// SPDX-License-Identifier: GPL-3.0-or-later
// Many-to-one attention pooling with a learned query: the readout of the Transformer encoder
// model (transformermodel.h). One trained vector q asks every time step how much it counts; its
// softmax weights are the (B, T) attention compared with the ground truth. Scaled dot-product
// score of Vaswani et al. 2017, eq. 1, with a single learned query (as in pooling by
// multi-head attention, Lee et al. 2019, "Set Transformer", sec. 3.2, with one seed and one head):
//   (1) e_s = h_s . q / sqrt(D)          q (1, D); e (B, T)
//   (2) a = softmax_s(e)                 over the real steps with a padding mask; a (B, T)
//   (3) out = sum_s a_s h_s              out (B, D)
#pragma once

#include "core/attention/manytooneattention.h"
#include "core/tensor/rng.h"

namespace attn {

class AttentionPooling : public ManyToOneAttention {
public:
    struct Params {
        Mat query; // (1, D) q of eq. (1)
    };
    using Grads = Params;
    struct Cache {
        Mat scores;  // (B, T) e
        Mat weights; // (B, T) a
    };

    /// width D. q uniform in +-sqrt(3/D) (variance 1/D), so that the scores start of order
    /// 1 / sqrt(D) for unit-variance states: nearly uniform weights. ConfigError if width < 1.
    AttentionPooling(int width, Rng &rng);

    void resize(int steps, int batch) override;
    /// hs (T*B, D) -> out (B, D), eqs. (1)-(3). ShapeError on a mismatch or before resize().
    void forward(const ConstMatRef &hs, MatRef out) override;
    /// dOut (B, D) -> writes dL/dhs (T*B, D) into dHs; adds dL/dq.
    void backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs) override;
    /// a of eq. (2), (B, T); each row sums to 1 (padding exactly 0).
    const Mat &weights() const override { return m_cache.weights; }
    void zeroGrad() override { m_grads.query.setZero(); }
    /// Appends "<prefix>.query".
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out) override;
    int outputs() const override { return m_width; }

    Params &params() { return m_params; }
    const Grads &grads() const { return m_grads; }

private:
    int m_width;
    int m_steps = 0;
    int m_batch = 0;
    Params m_params;
    Grads m_grads;
    Cache m_cache;
    Mat m_dWeights; // (B, T) dL/da
    Mat m_dScores;  // (B, T) dL/de
};

} // namespace attn
