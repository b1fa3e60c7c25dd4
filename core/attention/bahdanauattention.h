// SPDX-License-Identifier: GPL-3.0-or-later
// Many-to-one Bahdanau (additive) attention over LSTM hidden states, query = last hidden state
// (Bahdanau, Cho & Bengio 2015, "Neural MT by Jointly Learning to Align and Translate", eq. 6
// and appendix A.1.2; keras-attention `score='bahdanau'`):
//   (1) e_s = v^T tanh(W1 h_s + W2 h_T)    W1, W2 (A, H), v (1, A), no biases; A = H here
//   (2) a = softmax_s(e)                   a (B, T)
//   (3) c = sum_s a_s h_s;  out = tanh([c; h_T] W_c^T)   (see attentionreadout.h)
#pragma once

#include "core/attention/attentionreadout.h"
#include "core/attention/manytooneattention.h"

namespace attn {

class BahdanauAttention : public ManyToOneAttention {
public:
    struct Params {
        Mat w1; // (A, H) applied to every h_s
        Mat w2; // (A, H) applied to the query h_T
        Mat v;  // (1, A)
    };
    using Grads = Params;
    struct Cache {
        Mat scoreTanh; // (T*B, A) tanh(W1 h_s + W2 h_T), the inner layer of the score e_s
        Mat query;     // (B, A) W2 h_T
        Mat scores;    // (B, T) e
        Mat weights;   // (B, T) a
    };

    /// hidden H, units U of the output; the score's inner width A equals H.
    BahdanauAttention(int hidden, int units, Rng &rng);

    void resize(int steps, int batch) override;
    void forward(const ConstMatRef &hs, MatRef out) override;
    void backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs) override;
    const Mat &weights() const override { return m_cache.weights; }
    void zeroGrad() override;
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out) override;
    int outputs() const override { return m_readout.units(); }

private:
    int m_hidden;
    int m_inner;
    int m_steps = 0;
    int m_batch = 0;
    Params m_params;
    Grads m_grads;
    Cache m_cache;
    AttentionReadout m_readout;
    Mat m_dWeights;  // (B, T) dL/da
    Mat m_dScores;   // (B, T) dL/de
    Mat m_dScorePre; // (T*B, A) dL/d(W1 h_s + W2 h_T), before the tanh
    Mat m_dQuery;    // (B, A) dL/d(W2 h_T)
};

} // namespace attn
