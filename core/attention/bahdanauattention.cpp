// SPDX-License-Identifier: GPL-3.0-or-later
// Many-to-one Bahdanau (additive) attention: one GEMM for W1 h_s of all steps, tanh, v.
#include "core/attention/bahdanauattention.h"

#include "core/tensor/init.h"
#include "core/tensor/softmax.h"

namespace attn {

BahdanauAttention::BahdanauAttention(int hidden, int units, Rng &rng)
    : m_hidden(hidden), m_inner(hidden), m_readout(hidden, units, rng)
{
    m_params.w1.resize(m_inner, hidden);
    m_params.w2.resize(m_inner, hidden);
    m_params.v.resize(1, m_inner);
    glorotUniform(m_params.w1, hidden, m_inner, rng);
    glorotUniform(m_params.w2, hidden, m_inner, rng);
    glorotUniform(m_params.v, m_inner, 1, rng);
    m_grads.w1 = Mat::Zero(m_inner, hidden);
    m_grads.w2 = Mat::Zero(m_inner, hidden);
    m_grads.v = Mat::Zero(1, m_inner);
}

void BahdanauAttention::resize(int steps, int batch)
{
    if (steps < 1 || batch < 1)
        throw ShapeError("BahdanauAttention::resize: steps and batch must be >= 1");
    m_steps = steps;
    m_batch = batch;
    m_readout.resize(steps, batch);
    m_cache.scoreTanh.resize(Eigen::Index(steps) * batch, m_inner);
    m_cache.query.resize(batch, m_inner);
    m_cache.scores.resize(batch, steps);
    m_cache.weights.resize(batch, steps);
    m_dWeights.resize(batch, steps);
    m_dScores.resize(batch, steps);
    m_dScorePre.resize(Eigen::Index(steps) * batch, m_inner);
    m_dQuery.resize(batch, m_inner);
}

void BahdanauAttention::forward(const ConstMatRef &hs, MatRef out)
{
    const Eigen::Index B = m_batch;
    if (B == 0)
        throw ShapeError("BahdanauAttention::forward: call resize(T, B) first");
    requireShape(hs, Eigen::Index(m_steps) * B, m_hidden, "BahdanauAttention::forward hs");
    requireMask(m_steps, B, "BahdanauAttention::forward mask");
    requireShape(out, B, outputs(), "BahdanauAttention::forward out");
    m_cache.scoreTanh.noalias() = hs * m_params.w1.transpose();            // (T*B, A), one GEMM
    m_cache.query.noalias() = hs.bottomRows(B) * m_params.w2.transpose(); // (B, A)
    for (Eigen::Index s = 0; s < m_steps; ++s) { // eq. (1)
        MatRef k = m_cache.scoreTanh.middleRows(s * B, B); // (B, A)
        k.array() = (k.array() + m_cache.query.array()).tanh();
        m_cache.scores.col(s) =
            (k.array().rowwise() * m_params.v.row(0).array()).rowwise().sum().matrix();
    }
    softmaxOverSteps(m_cache.scores, m_cache.weights); // eq. (2)
    applyWeightOverride(m_cache.weights, "BahdanauAttention::forward weight override");
    m_readout.forward(hs, m_cache.weights, out); // eq. (3)
}

void BahdanauAttention::backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs)
{
    // Differentiates e_s = v^T k_s, k_s = tanh(W1 h_s + W2 h_T), a = softmax(e):
    //   dv += sum_s de_s k_s;  dz_s = de_s v * (1 - k_s^2);  dW1 += dz^T h;  dh += dz W1
    //   dq = sum_s dz_s;  dW2 += dq^T h_T;  dh_T += dq W2
    const Eigen::Index B = m_batch;
    m_readout.backward(hs, m_cache.weights, dOut, m_dWeights, dHs);
    softmaxRowsBackward(m_cache.weights, m_dWeights, m_dScores);
    m_dQuery.setZero();
    for (Eigen::Index s = 0; s < m_steps; ++s) {
        const ConstMatRef k = m_cache.scoreTanh.middleRows(s * B, B); // (B, A)
        MatRef dz = m_dScorePre.middleRows(s * B, B);                 // (B, A)
        m_grads.v.row(0).noalias() += m_dScores.col(s).transpose() * k;
        dz.array() = (Scalar(1) - k.array().square()).rowwise() * m_params.v.row(0).array();
        dz.array().colwise() *= m_dScores.col(s).array();
        m_dQuery += dz;
    }
    m_grads.w1.noalias() += m_dScorePre.transpose() * hs; // one GEMM over all steps
    dHs.noalias() += m_dScorePre * m_params.w1;
    m_grads.w2.noalias() += m_dQuery.transpose() * hs.bottomRows(B);
    dHs.bottomRows(B).noalias() += m_dQuery * m_params.w2;
}

void BahdanauAttention::zeroGrad()
{
    m_grads.w1.setZero();
    m_grads.w2.setZero();
    m_grads.v.setZero();
    m_readout.zeroGrad();
}

void BahdanauAttention::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".w1", &m_params.w1, &m_grads.w1});
    out.push_back({prefix + ".w2", &m_params.w2, &m_grads.w2});
    out.push_back({prefix + ".v", &m_params.v, &m_grads.v});
    m_readout.appendParams(prefix, out);
}

} // namespace attn
