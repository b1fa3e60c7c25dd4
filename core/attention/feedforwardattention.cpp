// SPDX-License-Identifier: GPL-3.0-or-later
// Feed-forward attention (Raffel & Ellis 2015): one product for the scores of all steps,
// tanh, softmax over time, weighted sum of the hidden states.
#include "core/attention/feedforwardattention.h"

#include "core/tensor/init.h"
#include "core/tensor/softmax.h"

namespace attn {

FeedForwardAttention::FeedForwardAttention(int hidden, int steps, Rng &rng, double normalStd)
    : m_hidden(hidden), m_steps(steps)
{
    if (hidden < 1 || steps < 1)
        throw ConfigError("FeedForwardAttention: hidden and steps must be >= 1");
    if (!(normalStd >= 0.0))
        throw ConfigError("FeedForwardAttention: the normal initialiser's standard deviation must be >= 0");
    m_params.weight.resize(hidden, 1);
    if (normalStd > 0.0) {
        for (Eigen::Index i = 0; i < hidden; ++i)
            m_params.weight(i, 0) = Scalar(normalStd * rng.normal());
    } else {
        glorotUniform(m_params.weight, hidden, 1, rng); // Keras Dense(1) kernel: fan_in H, fan_out 1
    }
    m_params.bias = Mat::Zero(1, steps);
    m_grads.weight = Mat::Zero(hidden, 1);
    m_grads.bias = Mat::Zero(1, steps);
}

void FeedForwardAttention::resize(int steps, int batch)
{
    if (steps != m_steps)
        throw ShapeError("FeedForwardAttention::resize: built for " + std::to_string(m_steps) +
                         " steps, got " + std::to_string(steps));
    if (batch < 1)
        throw ShapeError("FeedForwardAttention::resize: batch must be >= 1");
    m_batch = batch;
    const Eigen::Index rows = Eigen::Index(steps) * batch;
    m_cache.projection.resize(rows, 1);
    m_cache.scores.resize(batch, steps);
    m_cache.weights.resize(batch, steps);
    m_dWeights.resize(batch, steps);
    m_dScores.resize(batch, steps);
    m_dProjection.resize(rows, 1);
}

void FeedForwardAttention::forward(const ConstMatRef &hs, MatRef out)
{
    const Eigen::Index B = m_batch;
    if (B == 0)
        throw ShapeError("FeedForwardAttention::forward: call resize(T, B) first");
    requireShape(hs, Eigen::Index(m_steps) * B, m_hidden, "FeedForwardAttention::forward hs");
    requireMask(m_steps, B, "FeedForwardAttention::forward mask");
    requireShape(out, B, m_hidden, "FeedForwardAttention::forward out");
    m_cache.projection.noalias() = hs * m_params.weight; // (T*B, 1)
    for (Eigen::Index t = 0; t < m_steps; ++t) // eq. (1)
        m_cache.scores.col(t) =
            (m_cache.projection.middleRows(t * B, B).array() + m_params.bias(0, t)).tanh().matrix();
    softmaxOverSteps(m_cache.scores, m_cache.weights); // eq. (2)
    applyWeightOverride(m_cache.weights, "FeedForwardAttention::forward weight override");
    out.setZero();
    for (Eigen::Index t = 0; t < m_steps; ++t) // eq. (3)
        out.array() += hs.middleRows(t * B, B).array().colwise() * m_cache.weights.col(t).array();
}

void FeedForwardAttention::backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs)
{
    // Differentiates out = sum_t a_t h_t, a = softmax(e), e_t = tanh(z_t), z_t = h_t w + b_t:
    //   da_t = <dOut, h_t>;  dh_t = a_t dOut;  de = softmax backward;  dz = de (1 - e^2)
    //   db_t += sum_b dz_t;  dw += sum_t h_t^T dz_t;  dh_t += dz_t w^T
    const Eigen::Index B = m_batch;
    requireShape(hs, Eigen::Index(m_steps) * B, m_hidden, "FeedForwardAttention::backward hs");
    requireShape(dOut, B, m_hidden, "FeedForwardAttention::backward dOut");
    requireShape(dHs, Eigen::Index(m_steps) * B, m_hidden, "FeedForwardAttention::backward dHs");
    for (Eigen::Index t = 0; t < m_steps; ++t) {
        m_dWeights.col(t) = (dOut.array() * hs.middleRows(t * B, B).array()).rowwise().sum().matrix();
        dHs.middleRows(t * B, B).array() = dOut.array().colwise() * m_cache.weights.col(t).array();
    }
    softmaxRowsBackward(m_cache.weights, m_dWeights, m_dScores);
    m_dScores.array() *= Scalar(1) - m_cache.scores.array().square();
    m_grads.bias.row(0) += m_dScores.colwise().sum();
    for (Eigen::Index t = 0; t < m_steps; ++t)
        m_dProjection.middleRows(t * B, B) = m_dScores.col(t);
    m_grads.weight.noalias() += hs.transpose() * m_dProjection; // (H, 1), one product
    dHs.noalias() += m_dProjection * m_params.weight.transpose();
}

void FeedForwardAttention::zeroGrad()
{
    m_grads.weight.setZero();
    m_grads.bias.setZero();
}

void FeedForwardAttention::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".weight", &m_params.weight, &m_grads.weight});
    out.push_back({prefix + ".bias", &m_params.bias, &m_grads.bias});
}

} // namespace attn
