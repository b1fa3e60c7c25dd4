// SPDX-License-Identifier: GPL-3.0-or-later
// Many-to-one Luong attention over LSTM hidden states, query = last hidden state h_T
// (Luong, Pham & Manning 2015, "Effective Approaches to Attention-based NMT", eqs. 7-8;
// keras-attention `score='luong'`):
//   (1) general: e_s = h_T^T W h_s         W (H, H), no bias
//       dot:     e_s = h_T^T h_s
//   (2) a = softmax_s(e)                   a (B, T)
//   (3) c = sum_s a_s h_s;  out = tanh([c; h_T] W_c^T)   (see attentionreadout.h)
#pragma once

#include "core/attention/attentionreadout.h"
#include "core/attention/manytooneattention.h"

namespace attn {

class LuongAttention : public ManyToOneAttention {
public:
    enum class Score { General, Dot };
    struct Params {
        Mat weight; // (H, H) W of eq. (1), general score only; empty for dot
    };
    using Grads = Params;
    struct Cache {
        Mat queryW;  // (B, H) h_T^T W (or h_T for dot)
        Mat scores;  // (B, T) e
        Mat weights; // (B, T) a
    };

    /// hidden H of the recurrent layer, units U of the output. Throws ConfigError if < 1.
    LuongAttention(int hidden, int units, Score score, Rng &rng);

    void resize(int steps, int batch) override;
    void forward(const ConstMatRef &hs, MatRef out) override;
    void backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs) override;
    const Mat &weights() const override { return m_cache.weights; }
    void zeroGrad() override;
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out) override;
    int outputs() const override { return m_readout.units(); }

private:
    Score m_score;
    int m_hidden;
    int m_steps = 0;
    int m_batch = 0;
    Params m_params;
    Grads m_grads;
    Cache m_cache;
    AttentionReadout m_readout;
    Mat m_dWeights; // (B, T) dL/da
    Mat m_dScores;  // (B, T) dL/de
    Mat m_dQueryW;  // (B, H)
};

} // namespace attn
