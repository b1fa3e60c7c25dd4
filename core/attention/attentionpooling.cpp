// SPDX-License-Identifier: GPL-3.0-or-later
// Attention pooling with a learned query: scores, (masked) softmax over time, weighted sum.
#include "core/attention/attentionpooling.h"

#include "core/tensor/softmax.h"

#include <cmath>

namespace attn {

AttentionPooling::AttentionPooling(int width, Rng &rng) : m_width(width)
{
    if (width < 1)
        throw ConfigError("AttentionPooling: width must be >= 1");
    const double limit = std::sqrt(3.0 / double(width));
    m_params.query.resize(1, width);
    for (int j = 0; j < width; ++j)
        m_params.query(0, j) = Scalar(rng.uniform(-limit, limit));
    m_grads.query = Mat::Zero(1, width);
}

void AttentionPooling::resize(int steps, int batch)
{
    if (steps < 1 || batch < 1)
        throw ShapeError("AttentionPooling::resize: steps and batch must be >= 1");
    m_steps = steps;
    m_batch = batch;
    m_cache.scores.resize(batch, steps);
    m_cache.weights.resize(batch, steps);
    m_dWeights.resize(batch, steps);
    m_dScores.resize(batch, steps);
}

void AttentionPooling::forward(const ConstMatRef &hs, MatRef out)
{
    const Eigen::Index B = m_batch, T = m_steps;
    if (B == 0)
        throw ShapeError("AttentionPooling::forward: call resize(T, B) first");
    requireShape(hs, T * B, m_width, "AttentionPooling::forward hs");
    requireShape(out, B, m_width, "AttentionPooling::forward out");
    requireMask(T, B, "AttentionPooling::forward mask");
    const Scalar scale = Scalar(1) / std::sqrt(Scalar(m_width));
    for (Eigen::Index s = 0; s < T; ++s) // eq. (1), one dot product per row (no temporary)
        for (Eigen::Index b = 0; b < B; ++b)
            m_cache.scores(b, s) = hs.row(s * B + b).dot(m_params.query.row(0)) * scale;
    softmaxOverSteps(m_cache.scores, m_cache.weights); // eq. (2)
    applyWeightOverride(m_cache.weights, "AttentionPooling::forward weight override");
    out.setZero();
    for (Eigen::Index s = 0; s < T; ++s) // eq. (3)
        out.array() += hs.middleRows(s * B, B).array().colwise() * m_cache.weights.col(s).array();
}

void AttentionPooling::backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs)
{
    // Differentiates out = sum_s a_s h_s, a = softmax(e), e_s = h_s . q / sqrt(D):
    //   da_s = dOut . h_s;  de = softmax backward(da);  dh_s = a_s dOut + de_s q / sqrt(D)
    //   dq += sum_{b,s} de_s h_s / sqrt(D)
    const Eigen::Index B = m_batch, T = m_steps;
    requireShape(hs, T * B, m_width, "AttentionPooling::backward hs");
    requireShape(dOut, B, m_width, "AttentionPooling::backward dOut");
    requireShape(dHs, T * B, m_width, "AttentionPooling::backward dHs");
    const Scalar scale = Scalar(1) / std::sqrt(Scalar(m_width));
    for (Eigen::Index s = 0; s < T; ++s)
        for (Eigen::Index b = 0; b < B; ++b)
            m_dWeights(b, s) = hs.row(s * B + b).dot(dOut.row(b));
    softmaxRowsBackward(m_cache.weights, m_dWeights, m_dScores);
    m_dScores *= scale;
    for (Eigen::Index s = 0; s < T; ++s)
        for (Eigen::Index b = 0; b < B; ++b) {
            const Eigen::Index r = s * B + b;
            dHs.row(r) = m_cache.weights(b, s) * dOut.row(b) + m_dScores(b, s) * m_params.query.row(0);
            m_grads.query.row(0) += m_dScores(b, s) * hs.row(r);
        }
}

void AttentionPooling::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".query", &m_params.query, &m_grads.query});
}

} // namespace attn
