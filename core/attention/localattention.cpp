// SPDX-License-Identifier: GPL-3.0-or-later
// Luong local-p attention: predicted centre, general-score softmax, Gaussian window, readout.
#include "core/attention/localattention.h"

#include "core/tensor/init.h"
#include "core/tensor/softmax.h"

#include <algorithm>

namespace attn {

LocalAttention::LocalAttention(int hidden, int units, int halfWidth, Rng &rng)
    : m_hidden(hidden), m_inner(hidden), m_halfWidth(halfWidth), m_sigma(Scalar(halfWidth) / 2),
      m_readout(hidden, units, rng)
{
    if (halfWidth < 1)
        throw ConfigError("LocalAttention: window half-width D must be >= 1");
    m_params.wP.resize(m_inner, hidden);
    m_params.vP.resize(1, m_inner);
    m_params.wA.resize(hidden, hidden);
    glorotUniform(m_params.wP, hidden, m_inner, rng);
    glorotUniform(m_params.vP, m_inner, 1, rng);
    glorotUniform(m_params.wA, hidden, hidden, rng);
    m_grads.wP = Mat::Zero(m_inner, hidden);
    m_grads.vP = Mat::Zero(1, m_inner);
    m_grads.wA = Mat::Zero(hidden, hidden);
}

void LocalAttention::resize(int steps, int batch)
{
    if (steps < 1 || batch < 1)
        throw ShapeError("LocalAttention::resize: steps and batch must be >= 1");
    m_steps = steps;
    m_batch = batch;
    m_readout.resize(steps, batch);
    m_cache.positionHidden.resize(batch, m_inner);
    m_cache.centre.resize(batch, 1);
    m_cache.queryW.resize(batch, m_hidden);
    m_cache.scores.resize(batch, steps);
    m_cache.contentWeights.resize(batch, steps);
    m_cache.gauss.resize(batch, steps);
    m_cache.weights.resize(batch, steps);
    m_positions.resize(1, steps);
    for (int s = 0; s < steps; ++s)
        m_positions(0, s) = Scalar(s + 1);
    m_positionLogit.resize(batch, 1);
    m_offset.resize(batch, 1);
    m_length.resize(batch, 1);
    m_dWeights.resize(batch, steps);
    m_dContentWeights.resize(batch, steps);
    m_dScores.resize(batch, steps);
    m_dQueryW.resize(batch, m_hidden);
    m_dLogit.resize(batch, 1);
    m_dPositionPre.resize(batch, m_inner);
}

void LocalAttention::forward(const ConstMatRef &hs, MatRef out)
{
    const Eigen::Index B = m_batch;
    if (B == 0)
        throw ShapeError("LocalAttention::forward: call resize(T, B) first");
    requireShape(hs, Eigen::Index(m_steps) * B, m_hidden, "LocalAttention::forward hs");
    requireShape(out, B, outputs(), "LocalAttention::forward out");
    requireMask(m_steps, B, "LocalAttention::forward mask");
    const ConstMatRef query = hs.bottomRows(B); // (B, H) h_T
    Cache &c = m_cache;
    // Masked: p of eq. (1) spans the real steps of each row, first + L sigmoid(.), with first the
    // index of the first real step and L the number of real steps (0 and T unmasked).
    if (const Mat *m = mask()) {
        for (Eigen::Index b = 0; b < B; ++b) {
            Eigen::Index first = 0;
            while (first + 1 < m_steps && m->coeff(b, first) <= Scalar(0))
                ++first;
            m_offset(b, 0) = Scalar(first);
            m_length(b, 0) = std::max(Scalar(1), m->row(b).sum());
        }
    } else {
        m_offset.setZero();
        m_length.setConstant(Scalar(m_steps));
    }
    c.positionHidden.noalias() = query * m_params.wP.transpose(); // eq. (1)
    c.positionHidden.array() = c.positionHidden.array().tanh();
    m_positionLogit.noalias() = c.positionHidden * m_params.vP.transpose();
    // sigmoid(x) = 0.5 tanh(0.5 x) + 0.5 never overflows, unlike 1 / (1 + exp(-x)).
    c.centre.array() = m_offset.array() + m_length.array() *
                       ((m_positionLogit.array() * Scalar(0.5)).tanh() * Scalar(0.5) + Scalar(0.5));
    c.queryW.noalias() = query * m_params.wA; // row form of h_T^T W_a
    for (Eigen::Index s = 0; s < m_steps; ++s) // eq. (2), scores
        c.scores.col(s) = (hs.middleRows(s * B, B).array() * c.queryW.array()).rowwise().sum().matrix();
    softmaxOverSteps(c.scores, c.contentWeights); // padding: exactly 0, so a_s = 0 there too
    const Scalar inv2Var = Scalar(1) / (2 * m_sigma * m_sigma);
    for (Eigen::Index b = 0; b < B; ++b) // eq. (3)
        c.gauss.row(b) = (-(m_positions.array() - c.centre(b, 0)).square() * inv2Var).exp().matrix();
    c.weights.array() = c.contentWeights.array() * c.gauss.array();
    applyWeightOverride(c.weights, "LocalAttention::forward weight override");
    m_readout.forward(hs, c.weights, out); // eq. (4)
}

void LocalAttention::backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs)
{
    // Differentiates a_s = w_s g_s, g_s = exp(-(s - p)^2 / (2 sigma^2)), w = softmax(e),
    // e_s = <q, h_s> with q = h_T^T W_a, p = first + L sigmoid(z), z = v_p^T u, u = tanh(W_p h_T):
    //   dw_s = da_s g_s;  dp = sum_s da_s a_s (s - p) / sigma^2
    //   de = softmax backward;  dq = sum_s de_s h_s;  dh_s += de_s q;  dW_a += h_T^T dq;  dh_T += dq W_a^T
    //   dz = dp L sigmoid(z) (1 - sigmoid(z));  dv_p += dz^T u;  dpre = dz v_p (1 - u^2)
    //   dW_p += dpre^T h_T;  dh_T += dpre W_p
    const Eigen::Index B = m_batch;
    const Cache &c = m_cache;
    m_readout.backward(hs, c.weights, dOut, m_dWeights, dHs); // checks the shapes, writes dHs
    m_dContentWeights.array() = m_dWeights.array() * c.gauss.array();
    const Scalar invVar = Scalar(1) / (m_sigma * m_sigma);
    for (Eigen::Index b = 0; b < B; ++b) {
        const Scalar p = c.centre(b, 0);
        const Scalar dCentre = (m_dWeights.row(b).array() * c.weights.row(b).array() *
                                (m_positions.row(0).array() - p))
                                   .sum() *
                               invVar;
        const Scalar sig = (p - m_offset(b, 0)) / m_length(b, 0);
        m_dLogit(b, 0) = dCentre * m_length(b, 0) * sig * (Scalar(1) - sig);
    }
    softmaxRowsBackward(c.contentWeights, m_dContentWeights, m_dScores);
    m_dQueryW.setZero();
    for (Eigen::Index s = 0; s < m_steps; ++s) {
        m_dQueryW.array() += hs.middleRows(s * B, B).array().colwise() * m_dScores.col(s).array();
        dHs.middleRows(s * B, B).array() += c.queryW.array().colwise() * m_dScores.col(s).array();
    }
    const ConstMatRef query = hs.bottomRows(B);
    m_grads.wA.noalias() += query.transpose() * m_dQueryW;
    dHs.bottomRows(B).noalias() += m_dQueryW * m_params.wA.transpose();
    m_grads.vP.noalias() += m_dLogit.transpose() * c.positionHidden;
    m_dPositionPre.noalias() = m_dLogit * m_params.vP;
    m_dPositionPre.array() *= Scalar(1) - c.positionHidden.array().square();
    m_grads.wP.noalias() += m_dPositionPre.transpose() * query;
    dHs.bottomRows(B).noalias() += m_dPositionPre * m_params.wP;
}

void LocalAttention::zeroGrad()
{
    m_grads.wP.setZero();
    m_grads.vP.setZero();
    m_grads.wA.setZero();
    m_readout.zeroGrad();
}

void LocalAttention::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".w_p", &m_params.wP, &m_grads.wP});
    out.push_back({prefix + ".v_p", &m_params.vP, &m_grads.vP});
    out.push_back({prefix + ".w_a", &m_params.wA, &m_grads.wA});
    m_readout.appendParams(prefix, out);
}

} // namespace attn
