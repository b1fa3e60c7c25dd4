// SPDX-License-Identifier: GPL-3.0-or-later
// Feature attention -> Dense -> Dropout -> Dense (and the no-attention baseline), forward and
// backward over preallocated buffers.
#include "core/models/featuremodel.h"

namespace attn {

FeatureModel::FeatureModel(const ModelConfig &config, Rng &initRng, std::uint64_t dropoutSeed)
    : Model(config), m_dropoutRng(dropoutSeed), m_dropout(config.dropout)
{
    if (config.architecture != ModelArchitecture::Feature)
        throw ConfigError("FeatureModel: the config describes a SequenceModel");
    if (config.attention != AttentionKind::Feature && config.attention != AttentionKind::None)
        throw ConfigError("FeatureModel: attention must be feature or none, got " +
                          toString(config.attention));
    if (config.inputs < 1 || config.denseUnits < 1 || config.outputs < 1)
        throw ConfigError("FeatureModel: inputs, dense units and outputs must be >= 1");
    if (config.vocabulary > 0)
        throw ConfigError("FeatureModel: token inputs need a SequenceModel");
    if (config.attention == AttentionKind::Feature) {
        m_attention = std::make_unique<FeatureAttention>(config.inputs, initRng);
        m_hiddenUnits = config.denseUnits;
    } else {
        m_hiddenUnits = config.baselineUnits >= 0 ? config.baselineUnits : baselineWidth(config);
        m_config.baselineUnits = m_hiddenUnits;
    }
    if (m_hiddenUnits > 0)
        m_hidden = std::make_unique<Dense>(config.inputs, m_hiddenUnits, true, initRng);
    m_featureWidth = m_hiddenUnits > 0 ? m_hiddenUnits : config.inputs;
    m_outputLayer = std::make_unique<Dense>(m_featureWidth, config.outputs, true, initRng);
}

FeatureModel::~FeatureModel() = default;

void FeatureModel::resize(int steps, int batch)
{
    if (steps != 1)
        throw ShapeError("FeatureModel::resize: the model takes one feature vector per sample "
                         "(T = 1), got T = " + std::to_string(steps));
    if (batch < 1)
        throw ShapeError("FeatureModel::resize: batch must be >= 1");
    if (batch == m_batch)
        return;
    const Eigen::Index B = batch, F = m_config.inputs, D = m_featureWidth;
    if (m_attention) {
        m_attention->resize(batch);
        m_attended.resize(B, F);
        m_dAttended.resize(B, F);
    }
    m_dInput.resize(B, F);
    if (m_hidden)
        m_hiddenOut.resize(B, m_hiddenUnits);
    m_dropout.resize(B, D);
    m_dropOut.resize(B, D);
    m_out.resize(B, m_config.outputs);
    m_dDrop.resize(B, D);
    m_dHidden.resize(B, D);
    m_steps = 1;
    m_batch = batch;
}

const Mat &FeatureModel::forward(const ConstMatRef &x, bool training)
{
    requireShape(x, m_batch, m_config.inputs, "FeatureModel::forward x");
    if (m_attention)
        m_attention->forward(x, m_attended);
    const ConstMatRef attended = m_attention ? ConstMatRef(m_attended) : x;
    if (m_hidden) {
        m_hidden->forward(attended, m_hiddenOut);
        m_dropout.forward(m_hiddenOut, m_dropOut, m_dropoutRng, training);
    } else {
        m_dropout.forward(attended, m_dropOut, m_dropoutRng, training);
    }
    m_outputLayer->forward(m_dropOut, m_out);
    return m_out;
}

void FeatureModel::backward(const ConstMatRef &x, const ConstMatRef &dOut)
{
    if (m_overridden)
        throw ConfigError("FeatureModel::backward: the attention weights are overridden (evaluation only)");
    // Chain rule through Dense <- Dropout <- hidden Dense <- feature attention, in reverse order.
    m_outputLayer->backward(m_dropOut, dOut, &m_dDrop);
    m_dropout.backward(m_dDrop, m_dHidden);
    const ConstMatRef attended = m_attention ? ConstMatRef(m_attended) : x;
    if (m_hidden)
        m_hidden->backward(attended, m_dHidden, m_attention ? &m_dAttended : &m_dInput);
    else if (m_attention)
        m_dAttended = m_dHidden;
    else
        m_dInput = m_dHidden; // the baseline without a hidden layer: x feeds the dropout
    if (m_attention)
        m_attention->backward(x, m_dAttended, m_dInput);
}

void FeatureModel::zeroGrad()
{
    if (m_attention)
        m_attention->zeroGrad();
    if (m_hidden)
        m_hidden->zeroGrad();
    m_outputLayer->zeroGrad();
}

std::vector<ParamRef> FeatureModel::params()
{
    std::vector<ParamRef> out;
    if (m_attention)
        m_attention->appendParams("attention", out);
    if (m_hidden)
        m_hidden->appendParams("hidden", out);
    m_outputLayer->appendParams("dense", out);
    return out;
}

void FeatureModel::setAttentionOverride(const ConstMatRef &weights)
{
    if (!m_attention)
        Model::setAttentionOverride(weights);
    m_attention->setWeightOverride(weights);
    m_overridden = weights.size() > 0;
}

const Mat &FeatureModel::attentionWeights() const
{
    return m_attention ? m_attention->weights() : m_noWeights;
}

} // namespace attn
