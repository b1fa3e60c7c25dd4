// SPDX-License-Identifier: GPL-3.0-or-later
// Feature attention (Keras feature-selection demo): one GEMM for the scores, a softmax over the
// features, an element-wise product with the input.
#include "core/attention/featureattention.h"

#include "core/tensor/init.h"
#include "core/tensor/softmax.h"

namespace attn {

FeatureAttention::FeatureAttention(int features, Rng &rng) : m_features(features)
{
    if (features < 1)
        throw ConfigError("FeatureAttention: features must be >= 1");
    m_params.weight.resize(features, features);
    glorotUniform(m_params.weight, features, features, rng);
    m_params.bias = Mat::Zero(1, features);
    m_grads.weight = Mat::Zero(features, features);
    m_grads.bias = Mat::Zero(1, features);
}

void FeatureAttention::resize(int batch)
{
    if (batch < 1)
        throw ShapeError("FeatureAttention::resize: batch must be >= 1");
    m_batch = batch;
    m_cache.scores.resize(batch, m_features);
    m_cache.weights.resize(batch, m_features);
    m_dWeights.resize(batch, m_features);
    m_dScores.resize(batch, m_features);
}

void FeatureAttention::forward(const ConstMatRef &x, MatRef out)
{
    if (m_batch == 0)
        throw ShapeError("FeatureAttention::forward: call resize(B) first");
    requireShape(x, m_batch, m_features, "FeatureAttention::forward x");
    requireShape(out, m_batch, m_features, "FeatureAttention::forward out");
    m_cache.scores.noalias() = x * m_params.weight.transpose(); // eq. (1)
    m_cache.scores.rowwise() += m_params.bias.row(0);
    softmaxRows(m_cache.scores, m_cache.weights); // eq. (2): the softmax runs along each row
    if (m_hasOverride) { // counterfactual weights (setWeightOverride)
        requireShape(m_override, m_batch, m_features, "FeatureAttention::forward weight override");
        m_cache.weights = m_override;
    }
    out.array() = x.array() * m_cache.weights.array(); // eq. (3)
}

void FeatureAttention::backward(const ConstMatRef &x, const ConstMatRef &dOut, MatRef dX)
{
    // Differentiates out = x * a, a = softmax(z), z = x W^T + b:
    //   da = dOut * x;  dx = dOut * a;  dz = softmax backward(da)
    //   dW += dz^T x;  db += sum_b dz;  dx += dz W
    requireShape(x, m_batch, m_features, "FeatureAttention::backward x");
    requireShape(dOut, m_batch, m_features, "FeatureAttention::backward dOut");
    requireShape(dX, m_batch, m_features, "FeatureAttention::backward dX");
    m_dWeights.array() = dOut.array() * x.array();
    dX.array() = dOut.array() * m_cache.weights.array();
    softmaxRowsBackward(m_cache.weights, m_dWeights, m_dScores);
    m_grads.weight.noalias() += m_dScores.transpose() * x;
    m_grads.bias.row(0) += m_dScores.colwise().sum();
    dX.noalias() += m_dScores * m_params.weight;
}

void FeatureAttention::zeroGrad()
{
    m_grads.weight.setZero();
    m_grads.bias.setZero();
}

void FeatureAttention::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".weight", &m_params.weight, &m_grads.weight});
    out.push_back({prefix + ".bias", &m_params.bias, &m_grads.bias});
}

} // namespace attn
