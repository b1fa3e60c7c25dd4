// SPDX-License-Identifier: GPL-3.0-or-later
// Context vector and tanh attention vector shared by the many-to-one attention layers.
#include "core/attention/attentionreadout.h"

#include "core/tensor/init.h"

namespace attn {

AttentionReadout::AttentionReadout(int hidden, int units, Rng &rng) : m_hidden(hidden)
{
    if (hidden < 1 || units < 1)
        throw ConfigError("AttentionReadout: hidden and units must be >= 1");
    m_params.weightC.resize(units, 2 * hidden);
    glorotUniform(m_params.weightC, 2 * hidden, units, rng);
    m_grads.weightC = Mat::Zero(units, 2 * hidden);
}

void AttentionReadout::resize(int steps, int batch)
{
    m_steps = steps;
    m_batch = batch;
    m_cache.concat.resize(batch, 2 * m_hidden);
    m_cache.output.resize(batch, units());
    m_dPre.resize(batch, units());
    m_dConcat.resize(batch, 2 * m_hidden);
}

void AttentionReadout::forward(const ConstMatRef &hs, const ConstMatRef &weights, MatRef out)
{
    const Eigen::Index B = m_batch, H = m_hidden;
    requireShape(hs, Eigen::Index(m_steps) * B, H, "AttentionReadout::forward hs");
    requireShape(weights, B, m_steps, "AttentionReadout::forward weights");
    requireShape(out, B, units(), "AttentionReadout::forward out");
    MatRef context = m_cache.concat.leftCols(H); // (B, H)
    context.setZero();
    for (Eigen::Index s = 0; s < m_steps; ++s) // eq. (1)
        context.array() += hs.middleRows(s * B, B).array().colwise() * weights.col(s).array();
    m_cache.concat.rightCols(H) = hs.bottomRows(B); // the query h_T
    m_cache.output.noalias() = m_cache.concat * m_params.weightC.transpose(); // eq. (2)
    m_cache.output.array() = m_cache.output.array().tanh();
    out = m_cache.output;
}

void AttentionReadout::backward(const ConstMatRef &hs, const ConstMatRef &weights,
                                const ConstMatRef &dOut, MatRef dWeights, MatRef dHs)
{
    // Differentiates out = tanh([c; h_T] W_c^T), c = sum_s a_s h_s:
    //   dPre = dOut * (1 - out^2);  dW_c += dPre^T [c; h_T];  [dc; dh_T] = dPre W_c
    //   da_s = <dc, h_s>;  dh_s = a_s dc (+ dh_T at s = T-1)
    const Eigen::Index B = m_batch, H = m_hidden;
    requireShape(dOut, B, units(), "AttentionReadout::backward dOut");
    requireShape(dWeights, B, m_steps, "AttentionReadout::backward dWeights");
    requireShape(dHs, Eigen::Index(m_steps) * B, H, "AttentionReadout::backward dHs");
    m_dPre.array() = dOut.array() * (Scalar(1) - m_cache.output.array().square());
    m_grads.weightC.noalias() += m_dPre.transpose() * m_cache.concat;
    m_dConcat.noalias() = m_dPre * m_params.weightC;
    const ConstMatRef dContext = m_dConcat.leftCols(H); // (B, H)
    for (Eigen::Index s = 0; s < m_steps; ++s) {
        dWeights.col(s) = (dContext.array() * hs.middleRows(s * B, B).array()).rowwise().sum().matrix();
        dHs.middleRows(s * B, B).array() = dContext.array().colwise() * weights.col(s).array();
    }
    dHs.bottomRows(B) += m_dConcat.rightCols(H);
}

void AttentionReadout::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".weight_c", &m_params.weightC, &m_grads.weightC});
}

} // namespace attn
