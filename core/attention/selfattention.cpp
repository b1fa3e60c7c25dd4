// SPDX-License-Identifier: GPL-3.0-or-later
// Multi-head self-attention: three GEMMs over all steps for Q, K, V; per sequence and head a
// masked softmax of Q K^T / sqrt(d_k) and its product with V; mean pooling; the output GEMM.
#include "core/attention/selfattention.h"

#include "core/tensor/init.h"
#include "core/tensor/softmax.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace attn {

namespace {

using SeqStride = Eigen::OuterStride<>;
using HeadView = Eigen::Map<Mat, 0, SeqStride>;
using ConstHeadView = Eigen::Map<const Mat, 0, SeqStride>;

// Head k's columns (k d_k .. (k+1) d_k - 1) of sequence b's rows in a time-major (T*B, H) matrix,
// as a strided (T, d_k) view without a copy: row t of the view is row t*B + b of m.
ConstHeadView headView(const Mat &m, Eigen::Index b, Eigen::Index k, Eigen::Index steps,
                       Eigen::Index batch, Eigen::Index dk)
{
    return ConstHeadView(m.data() + b * m.cols() + k * dk, steps, dk, SeqStride(batch * m.cols()));
}
HeadView headView(Mat &m, Eigen::Index b, Eigen::Index k, Eigen::Index steps, Eigen::Index batch,
                  Eigen::Index dk)
{
    return HeadView(m.data() + b * m.cols() + k * dk, steps, dk, SeqStride(batch * m.cols()));
}

} // namespace

SelfAttention::SelfAttention(int hidden, int heads, bool causal, int window, Rng &rng)
    : m_hidden(hidden), m_heads(heads), m_headDim(heads > 0 ? hidden / heads : 0), m_causal(causal),
      m_window(window)
{
    if (hidden < 1 || heads < 1)
        throw ConfigError("SelfAttention: hidden and heads must be >= 1");
    if (hidden % heads != 0)
        throw ConfigError("SelfAttention: hidden " + std::to_string(hidden) +
                          " is not divisible by heads " + std::to_string(heads));
    if (window < 0)
        throw ConfigError("SelfAttention: window must be >= 0 (0 = no window)");
    for (Mat *w : {&m_params.wQ, &m_params.wK, &m_params.wV, &m_params.wO}) {
        w->resize(hidden, hidden);
        glorotUniform(*w, hidden, hidden, rng);
    }
    m_grads.wQ = Mat::Zero(hidden, hidden);
    m_grads.wK = Mat::Zero(hidden, hidden);
    m_grads.wV = Mat::Zero(hidden, hidden);
    m_grads.wO = Mat::Zero(hidden, hidden);
}

void SelfAttention::resize(int steps, int batch)
{
    if (steps < 1 || batch < 1)
        throw ShapeError("SelfAttention::resize: steps and batch must be >= 1");
    m_steps = steps;
    m_batch = batch;
    const Eigen::Index rows = Eigen::Index(steps) * batch, H = m_hidden;
    m_cache.query.resize(rows, H);
    m_cache.key.resize(rows, H);
    m_cache.value.resize(rows, H);
    m_cache.headWeights.resize(Eigen::Index(m_heads) * rows, steps);
    m_cache.concat.resize(rows, H);
    m_cache.pooled.resize(batch, H);
    m_cache.weights.resize(batch, steps);
    if (m_causal || m_window > 0) {
        m_visible.resize(steps, steps);
        for (int t = 0; t < steps; ++t)
            for (int s = 0; s < steps; ++s) {
                const bool visible =
                    (!m_causal || s <= t) && (m_window == 0 || std::abs(t - s) < m_window);
                m_visible(t, s) = visible ? Scalar(1) : Scalar(0);
            }
    } else {
        m_visible.resize(0, 0);
    }
    m_seqVisible.resize(steps, steps);
    m_queryMask.resize(1, steps);
    m_invLength.resize(batch, 1);
    m_dA.resize(steps, steps);
    m_dScores.resize(steps, steps);
    m_dPooled.resize(batch, H);
    m_dConcat.resize(rows, H);
    m_dQuery.resize(rows, H);
    m_dKey.resize(rows, H);
    m_dValue.resize(rows, H);
}

void SelfAttention::forward(const ConstMatRef &hs, MatRef out)
{
    const Eigen::Index B = m_batch, T = m_steps, dk = m_headDim;
    if (B == 0)
        throw ShapeError("SelfAttention::forward: call resize(T, B) first");
    requireShape(hs, T * B, m_hidden, "SelfAttention::forward hs");
    requireShape(out, B, m_hidden, "SelfAttention::forward out");
    Cache &c = m_cache;
    c.query.noalias() = hs * m_params.wQ.transpose(); // eq. (1), one GEMM each
    c.key.noalias() = hs * m_params.wK.transpose();
    c.value.noalias() = hs * m_params.wV.transpose();
    const Scalar scale = Scalar(1) / std::sqrt(Scalar(dk)); // the 1/sqrt(d_k) of eq. (2)
    const Mat *padding = mask(); // (B, T) or null
    requireMask(T, B, "SelfAttention::forward mask");
    const Mat *override = weightOverride(); // (B, T) or null
    if (override)
        requireShape(*override, B, T, "SelfAttention::forward weight override");
    c.weights.setZero();
    c.pooled.setZero();
    for (Eigen::Index b = 0; b < B; ++b) {
        // Visible keys of sequence b: the causal / window mask M times the key padding mask.
        const bool masked = padding || m_visible.size() > 0;
        if (masked) {
            if (m_visible.size() > 0)
                m_seqVisible = m_visible;
            else
                m_seqVisible.setOnes();
            if (padding)
                m_seqVisible.array().rowwise() *= padding->row(b).array();
        }
        // Pooling and weights() average over the real query steps only (Keras' masked
        // GlobalAveragePooling1D); every step is real without a padding mask.
        if (padding)
            m_queryMask = padding->row(b);
        else
            m_queryMask.setOnes();
        m_invLength(b, 0) = Scalar(1) / std::max(Scalar(1), m_queryMask.sum());
        for (Eigen::Index k = 0; k < m_heads; ++k) {
            MatRef a = c.headWeights.middleRows((k * B + b) * T, T); // (T, T)
            a.noalias() = headView(c.query, b, k, T, B, dk) * headView(c.key, b, k, T, B, dk).transpose();
            a *= scale;
            // eq. (2), row by row, in place. Masked keys are left out of the max and the sum and
            // get exactly 0, so every build (any vector width) gives the same weights.
            if (masked)
                maskedSoftmaxRows(a, m_seqVisible, a);
            else
                softmaxRows(a, a);
            if (override) // counterfactual: every query of every head reads the given weights
                a.rowwise() = override->row(b);
            headView(c.concat, b, k, T, B, dk).noalias() = a * headView(c.value, b, k, T, B, dk); // eq. (3)
            if (padding)
                c.weights.row(b).noalias() += m_queryMask * a;
            else
                c.weights.row(b) += a.colwise().sum();
        }
        c.weights.row(b) *= Scalar(1) / (Scalar(m_heads) * std::max(Scalar(1), m_queryMask.sum()));
        for (Eigen::Index t = 0; t < T; ++t)
            if (m_queryMask(0, t) > Scalar(0))
                c.pooled.row(b) += c.concat.row(t * B + b);
        c.pooled.row(b) *= m_invLength(b, 0);
    }
    out.noalias() = c.pooled * m_params.wO.transpose(); // eqs. (4)-(5)
}

void SelfAttention::backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs)
{
    // Differentiates out = ((1/L) sum_{real t} C_t) W_o^T (L = T unmasked), C = concat_k A_k V_k,
    // A_k = softmax(Q_k K_k^T / sqrt(d_k) + M), Q = hs W_q^T, K = hs W_k^T, V = hs W_v^T:
    //   dW_o += dOut^T pooled;  dC_t = (dOut W_o) / L for every real t, 0 for padding
    //   per head and sequence: dA = dC_k V_k^T;  dV_k = A^T dC_k;  dS = softmax backward(dA) / sqrt(d_k)
    //   (zero where masked, since A is 0 there);  dQ_k = dS K_k;  dK_k = dS^T Q_k
    //   dW_q += dQ^T hs (likewise K, V);  dhs = dQ W_q + dK W_k + dV W_v
    const Eigen::Index B = m_batch, T = m_steps, dk = m_headDim;
    requireShape(hs, T * B, m_hidden, "SelfAttention::backward hs");
    requireShape(dOut, B, m_hidden, "SelfAttention::backward dOut");
    requireShape(dHs, T * B, m_hidden, "SelfAttention::backward dHs");
    const Cache &c = m_cache;
    m_grads.wO.noalias() += dOut.transpose() * c.pooled;
    m_dPooled.noalias() = dOut * m_params.wO;
    m_dPooled.array().colwise() *= m_invLength.col(0).array();
    const Mat *padding = mask();
    for (Eigen::Index t = 0; t < T; ++t) {
        m_dConcat.middleRows(t * B, B) = m_dPooled;
        if (padding) // padding query steps are not pooled
            m_dConcat.middleRows(t * B, B).array().colwise() *= padding->col(t).array();
    }
    const Scalar scale = Scalar(1) / std::sqrt(Scalar(dk));
    for (Eigen::Index k = 0; k < m_heads; ++k)
        for (Eigen::Index b = 0; b < B; ++b) {
            const ConstMatRef a = c.headWeights.middleRows((k * B + b) * T, T); // (T, T)
            const HeadView dC = headView(m_dConcat, b, k, T, B, dk); // (T, d_k)
            m_dA.noalias() = dC * headView(c.value, b, k, T, B, dk).transpose();
            headView(m_dValue, b, k, T, B, dk).noalias() = a.transpose() * dC;
            softmaxRowsBackward(a, m_dA, m_dScores);
            m_dScores *= scale;
            headView(m_dQuery, b, k, T, B, dk).noalias() = m_dScores * headView(c.key, b, k, T, B, dk);
            headView(m_dKey, b, k, T, B, dk).noalias() =
                m_dScores.transpose() * headView(c.query, b, k, T, B, dk);
        }
    m_grads.wQ.noalias() += m_dQuery.transpose() * hs; // one GEMM per weight over all steps
    m_grads.wK.noalias() += m_dKey.transpose() * hs;
    m_grads.wV.noalias() += m_dValue.transpose() * hs;
    dHs.noalias() = m_dQuery * m_params.wQ;
    dHs.noalias() += m_dKey * m_params.wK;
    dHs.noalias() += m_dValue * m_params.wV;
}

void SelfAttention::headMap(int sequence, int head, MatRef out) const
{
    const Eigen::Index B = m_batch, T = m_steps;
    requireShape(out, T, T, "SelfAttention::headMap out");
    if (sequence < 0 || sequence >= B)
        throw ShapeError("SelfAttention::headMap: sequence " + std::to_string(sequence) +
                         " is outside 0.." + std::to_string(B - 1));
    if (head != MeanOfHeads && (head < 0 || head >= m_heads))
        throw ShapeError("SelfAttention::headMap: head " + std::to_string(head) + " is outside 0.." +
                         std::to_string(m_heads - 1));
    if (head != MeanOfHeads) {
        out = m_cache.headWeights.middleRows((head * B + sequence) * T, T);
        return;
    }
    out.setZero();
    for (Eigen::Index k = 0; k < m_heads; ++k)
        out += m_cache.headWeights.middleRows((k * B + sequence) * T, T);
    out *= Scalar(1) / Scalar(m_heads);
}

void SelfAttention::zeroGrad()
{
    m_grads.wQ.setZero();
    m_grads.wK.setZero();
    m_grads.wV.setZero();
    m_grads.wO.setZero();
}

void SelfAttention::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".w_q", &m_params.wQ, &m_grads.wQ});
    out.push_back({prefix + ".w_k", &m_params.wK, &m_grads.wK});
    out.push_back({prefix + ".w_v", &m_params.wV, &m_grads.wV});
    out.push_back({prefix + ".w_o", &m_params.wO, &m_grads.wO});
}

} // namespace attn
