// SPDX-License-Identifier: GPL-3.0-or-later
// Multi-head self-attention of the Transformer encoder: one GEMM for Q, K, V, per sequence and
// head a (masked) softmax of Q K^T / sqrt(d_k) times V, the output GEMM; and the backward.
#include "core/attention/multiheadattention.h"

#include "core/tensor/init.h"
#include "core/tensor/softmax.h"

#include <cmath>

namespace attn {

namespace {

using SeqStride = Eigen::OuterStride<>;
using HeadView = Eigen::Map<Mat, 0, SeqStride>;
using ConstHeadView = Eigen::Map<const Mat, 0, SeqStride>;

// Columns col .. col + dk - 1 of sequence b's rows in a time-major (T*B, W) matrix, as a strided
// (T, dk) view without a copy: row t of the view is row t*B + b of m.
ConstHeadView view(const Mat &m, Eigen::Index b, Eigen::Index col, Eigen::Index steps,
                   Eigen::Index batch, Eigen::Index dk)
{
    return ConstHeadView(m.data() + b * m.cols() + col, steps, dk, SeqStride(batch * m.cols()));
}
HeadView view(Mat &m, Eigen::Index b, Eigen::Index col, Eigen::Index steps, Eigen::Index batch,
              Eigen::Index dk)
{
    return HeadView(m.data() + b * m.cols() + col, steps, dk, SeqStride(batch * m.cols()));
}

} // namespace

MultiHeadAttention::MultiHeadAttention(int width, int heads, Rng &rng)
    : m_width(width), m_heads(heads), m_headDim(heads > 0 ? width / heads : 0)
{
    if (width < 1 || heads < 1)
        throw ConfigError("MultiHeadAttention: width and heads must be >= 1");
    if (width % heads != 0)
        throw ConfigError("MultiHeadAttention: width " + std::to_string(width) +
                          " is not divisible by heads " + std::to_string(heads));
    m_params.inWeight.resize(3 * width, width);
    glorotUniform(m_params.inWeight, width, 3 * width, rng);
    m_params.inBias = Mat::Zero(1, 3 * width);
    m_params.outWeight.resize(width, width);
    glorotUniform(m_params.outWeight, width, width, rng);
    m_params.outBias = Mat::Zero(1, width);
    m_grads.inWeight = Mat::Zero(3 * width, width);
    m_grads.inBias = Mat::Zero(1, 3 * width);
    m_grads.outWeight = Mat::Zero(width, width);
    m_grads.outBias = Mat::Zero(1, width);
}

void MultiHeadAttention::resize(int steps, int batch)
{
    if (steps < 1 || batch < 1)
        throw ShapeError("MultiHeadAttention::resize: steps and batch must be >= 1");
    if (steps == m_steps && batch == m_batch)
        return;
    m_steps = steps;
    m_batch = batch;
    const Eigen::Index rows = Eigen::Index(steps) * batch, D = m_width;
    m_cache.qkv.resize(rows, 3 * D);
    m_cache.headWeights.resize(Eigen::Index(m_heads) * rows, steps);
    m_cache.concat.resize(rows, D);
    m_seqVisible.resize(steps, steps);
    m_dA.resize(steps, steps);
    m_dScores.resize(steps, steps);
    m_dConcat.resize(rows, D);
    m_dQkv.resize(rows, 3 * D);
}

void MultiHeadAttention::setMask(const ConstMatRef &mask)
{
    if (mask.size() == 0)
        m_mask.resize(0, 0);
    else
        m_mask = mask;
}

void MultiHeadAttention::forward(const ConstMatRef &x, MatRef y)
{
    const Eigen::Index B = m_batch, T = m_steps, D = m_width, dk = m_headDim;
    if (B == 0)
        throw ShapeError("MultiHeadAttention::forward: call resize(T, B) first");
    requireShape(x, T * B, D, "MultiHeadAttention::forward x");
    requireShape(y, T * B, D, "MultiHeadAttention::forward y");
    const bool masked = m_mask.size() > 0;
    if (masked)
        requireShape(m_mask, B, T, "MultiHeadAttention::forward mask");
    Cache &c = m_cache;
    c.qkv.noalias() = x * m_params.inWeight.transpose(); // eq. (1)
    c.qkv.rowwise() += m_params.inBias.row(0);
    const Scalar scale = Scalar(1) / std::sqrt(Scalar(dk));
    for (Eigen::Index b = 0; b < B; ++b) {
        if (masked)
            m_seqVisible.rowwise() = m_mask.row(b);
        for (Eigen::Index k = 0; k < m_heads; ++k) {
            MatRef a = c.headWeights.middleRows((k * B + b) * T, T); // (T, T)
            a.noalias() = view(c.qkv, b, k * dk, T, B, dk) * view(c.qkv, b, D + k * dk, T, B, dk).transpose();
            a *= scale;
            if (masked) // eq. (2); padding keys get exactly 0
                maskedSoftmaxRows(a, m_seqVisible, a);
            else
                softmaxRows(a, a);
            view(c.concat, b, k * dk, T, B, dk).noalias() = a * view(c.qkv, b, 2 * D + k * dk, T, B, dk); // eq. (3)
        }
    }
    y.noalias() = c.concat * m_params.outWeight.transpose(); // eq. (4)
    y.rowwise() += m_params.outBias.row(0);
}

void MultiHeadAttention::backward(const ConstMatRef &x, const ConstMatRef &dy, MatRef dx)
{
    // Differentiates y = C W_o^T + b_o, C = concat_k A_k V_k, A_k = softmax(Q_k K_k^T / sqrt(d_k)),
    // [Q K V] = x W_in^T + b_in:
    //   dW_o += dy^T C;  db_o += sum dy;  dC = dy W_o
    //   per head and sequence: dA = dC_k V_k^T;  dV_k = A^T dC_k;  dS = softmax backward(dA) / sqrt(d_k);
    //   dQ_k = dS K_k;  dK_k = dS^T Q_k
    //   dW_in += d[Q K V]^T x;  db_in += sum d[Q K V];  dx = d[Q K V] W_in
    const Eigen::Index B = m_batch, T = m_steps, D = m_width, dk = m_headDim;
    requireShape(x, T * B, D, "MultiHeadAttention::backward x");
    requireShape(dy, T * B, D, "MultiHeadAttention::backward dy");
    requireShape(dx, T * B, D, "MultiHeadAttention::backward dx");
    const Cache &c = m_cache;
    m_grads.outWeight.noalias() += dy.transpose() * c.concat;
    m_grads.outBias.row(0) += dy.colwise().sum();
    m_dConcat.noalias() = dy * m_params.outWeight;
    const Scalar scale = Scalar(1) / std::sqrt(Scalar(dk));
    for (Eigen::Index k = 0; k < m_heads; ++k)
        for (Eigen::Index b = 0; b < B; ++b) {
            const ConstMatRef a = c.headWeights.middleRows((k * B + b) * T, T);
            const HeadView dC = view(m_dConcat, b, k * dk, T, B, dk);
            m_dA.noalias() = dC * view(c.qkv, b, 2 * D + k * dk, T, B, dk).transpose();
            view(m_dQkv, b, 2 * D + k * dk, T, B, dk).noalias() = a.transpose() * dC;
            softmaxRowsBackward(a, m_dA, m_dScores);
            m_dScores *= scale;
            view(m_dQkv, b, k * dk, T, B, dk).noalias() = m_dScores * view(c.qkv, b, D + k * dk, T, B, dk);
            view(m_dQkv, b, D + k * dk, T, B, dk).noalias() =
                m_dScores.transpose() * view(c.qkv, b, k * dk, T, B, dk);
        }
    m_grads.inWeight.noalias() += m_dQkv.transpose() * x;
    m_grads.inBias.row(0) += m_dQkv.colwise().sum();
    dx.noalias() = m_dQkv * m_params.inWeight;
}

void MultiHeadAttention::headMap(int sequence, int head, MatRef out) const
{
    const Eigen::Index B = m_batch, T = m_steps;
    requireShape(out, T, T, "MultiHeadAttention::headMap out");
    if (sequence < 0 || sequence >= B)
        throw ShapeError("MultiHeadAttention::headMap: sequence " + std::to_string(sequence) +
                         " is outside 0.." + std::to_string(B - 1));
    if (head < 0 || head >= m_heads)
        throw ShapeError("MultiHeadAttention::headMap: head " + std::to_string(head) +
                         " is outside 0.." + std::to_string(m_heads - 1));
    out = m_cache.headWeights.middleRows((head * B + sequence) * T, T);
}

void MultiHeadAttention::zeroGrad()
{
    m_grads.inWeight.setZero();
    m_grads.inBias.setZero();
    m_grads.outWeight.setZero();
    m_grads.outBias.setZero();
}

void MultiHeadAttention::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".in_proj_weight", &m_params.inWeight, &m_grads.inWeight});
    out.push_back({prefix + ".in_proj_bias", &m_params.inBias, &m_grads.inBias});
    out.push_back({prefix + ".out_proj.weight", &m_params.outWeight, &m_grads.outWeight});
    out.push_back({prefix + ".out_proj.bias", &m_params.outBias, &m_grads.outBias});
}

} // namespace attn
