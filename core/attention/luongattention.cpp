// SPDX-License-Identifier: GPL-3.0-or-later
// Many-to-one Luong attention (general and dot scores): scores, softmax, readout.
#include "core/attention/luongattention.h"

#include "core/tensor/init.h"
#include "core/tensor/softmax.h"

namespace attn {

LuongAttention::LuongAttention(int hidden, int units, Score score, Rng &rng)
    : m_score(score), m_hidden(hidden), m_readout(hidden, units, rng)
{
    if (score == Score::General) {
        m_params.weight.resize(hidden, hidden);
        glorotUniform(m_params.weight, hidden, hidden, rng);
        m_grads.weight = Mat::Zero(hidden, hidden);
    }
}

void LuongAttention::resize(int steps, int batch)
{
    if (steps < 1 || batch < 1)
        throw ShapeError("LuongAttention::resize: steps and batch must be >= 1");
    m_steps = steps;
    m_batch = batch;
    m_readout.resize(steps, batch);
    m_cache.queryW.resize(batch, m_hidden);
    m_cache.scores.resize(batch, steps);
    m_cache.weights.resize(batch, steps);
    m_dWeights.resize(batch, steps);
    m_dScores.resize(batch, steps);
    m_dQueryW.resize(batch, m_hidden);
}

void LuongAttention::forward(const ConstMatRef &hs, MatRef out)
{
    const Eigen::Index B = m_batch;
    if (B == 0)
        throw ShapeError("LuongAttention::forward: call resize(T, B) first");
    requireShape(hs, Eigen::Index(m_steps) * B, m_hidden, "LuongAttention::forward hs");
    requireMask(m_steps, B, "LuongAttention::forward mask");
    requireShape(out, B, outputs(), "LuongAttention::forward out");
    const ConstMatRef query = hs.bottomRows(B); // (B, H) h_T
    if (m_score == Score::General)
        m_cache.queryW.noalias() = query * m_params.weight; // row form of h_T^T W
    else
        m_cache.queryW = query;
    for (Eigen::Index s = 0; s < m_steps; ++s) // eq. (1)
        m_cache.scores.col(s) =
            (hs.middleRows(s * B, B).array() * m_cache.queryW.array()).rowwise().sum().matrix();
    softmaxOverSteps(m_cache.scores, m_cache.weights); // eq. (2)
    applyWeightOverride(m_cache.weights, "LuongAttention::forward weight override");
    m_readout.forward(hs, m_cache.weights, out); // eq. (3)
}

void LuongAttention::backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs)
{
    // Differentiates e_s = <q, h_s> with q = h_T^T W (general) or h_T (dot), a = softmax(e):
    //   dq = sum_s de_s h_s;  dh_s += de_s q;  general: dW += h_T^T dq, dh_T += dq W^T
    const Eigen::Index B = m_batch;
    m_readout.backward(hs, m_cache.weights, dOut, m_dWeights, dHs);
    softmaxRowsBackward(m_cache.weights, m_dWeights, m_dScores);
    m_dQueryW.setZero();
    for (Eigen::Index s = 0; s < m_steps; ++s) {
        m_dQueryW.array() += hs.middleRows(s * B, B).array().colwise() * m_dScores.col(s).array();
        dHs.middleRows(s * B, B).array() += m_cache.queryW.array().colwise() * m_dScores.col(s).array();
    }
    if (m_score == Score::General) {
        m_grads.weight.noalias() += hs.bottomRows(B).transpose() * m_dQueryW;
        dHs.bottomRows(B).noalias() += m_dQueryW * m_params.weight.transpose();
    } else {
        dHs.bottomRows(B) += m_dQueryW;
    }
}

void LuongAttention::zeroGrad()
{
    m_grads.weight.setZero();
    m_readout.zeroGrad();
}

void LuongAttention::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    if (m_score == Score::General)
        out.push_back({prefix + ".weight", &m_params.weight, &m_grads.weight});
    m_readout.appendParams(prefix, out);
}

} // namespace attn
