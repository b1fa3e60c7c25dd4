// SPDX-License-Identifier: GPL-3.0-or-later
// Transformer encoder model: input layer, positional encoding, N encoder layers, attention
// pooling, Dense; forward and backward over preallocated buffers.
#include "core/models/transformermodel.h"

#include <cmath>
#include <utility>

namespace attn {

TransformerModel::TransformerModel(const ModelConfig &config, Rng &initRng, std::uint64_t dropoutSeed)
    : Model(config), m_dropoutRng(dropoutSeed),
      m_embedScale(std::sqrt(Scalar(config.modelWidth > 0 ? config.modelWidth : 1))),
      m_positions(config.modelWidth),
      m_inputDropout(config.encoderDropout),
      m_pooling((config.modelWidth < 1 || config.encoderLayers < 1 || config.feedForwardUnits < 1)
                    ? throw ConfigError("TransformerModel: model width, layers and feed-forward "
                                        "units must be >= 1")
                    : config.modelWidth,
                initRng),
      m_dropout(config.dropout)
{
    const int D = config.modelWidth;
    if (config.architecture != ModelArchitecture::Sequence)
        throw ConfigError("TransformerModel: the config describes a FeatureModel");
    if (config.outputs < 1)
        throw ConfigError("TransformerModel: outputs must be >= 1");
    if (config.vocabulary > 0) {
        if (config.inputs != 1)
            throw ConfigError("TransformerModel: token inputs need inputs = 1 (one id per step), got " +
                              std::to_string(config.inputs));
        m_embedding = std::make_unique<Embedding>(config.vocabulary, D, initRng);
    } else {
        m_projection = std::make_unique<Dense>(config.inputs, D, true, initRng);
    }
    for (int l = 0; l < config.encoderLayers; ++l)
        m_layers.push_back(std::make_unique<TransformerEncoderLayer>(
            D, config.heads, config.feedForwardUnits, config.encoderDropout, config.preNorm, initRng));
    if (config.preNorm)
        m_finalNorm = std::make_unique<LayerNorm>(D);
    m_outputLayer = std::make_unique<Dense>(D, config.outputs, true, initRng);
}

TransformerModel::~TransformerModel() = default;

void TransformerModel::resize(int steps, int batch)
{
    if (steps == m_steps && batch == m_batch)
        return;
    if (steps < 1 || batch < 1)
        throw ShapeError("TransformerModel::resize: steps and batch must be >= 1");
    const Eigen::Index tb = Eigen::Index(steps) * batch, D = m_config.modelWidth;
    m_positions.resize(steps, batch);
    m_inputDropout.resize(tb, D);
    for (auto &layer : m_layers)
        layer->resize(steps, batch);
    if (m_finalNorm) {
        m_finalNorm->resize(tb);
        m_encoded.resize(tb, D);
    }
    m_pooling.resize(steps, batch);
    m_dropout.resize(batch, D);
    if (m_embedding) {
        m_embedded.resize(tb, D);
        m_dEmbedded.resize(tb, D);
    } else {
        m_dInput.resize(tb, m_config.inputs);
    }
    m_z.assign(m_layers.size() + 1, Mat(tb, D));
    m_features.resize(batch, D);
    m_dropOut.resize(batch, D);
    m_out.resize(batch, m_config.outputs);
    m_dDrop.resize(batch, D);
    m_dFeatures.resize(batch, D);
    m_dZ.resize(tb, D);
    m_dZNext.resize(tb, D);
    m_steps = steps;
    m_batch = batch;
}

const Mat &TransformerModel::forward(const ConstMatRef &x, bool training)
{
    m_fromEmbedded = false;
    if (!m_embedding)
        return forwardFrom(x, training);
    m_embedding->forward(x, m_embedded);
    return forwardFrom(m_embedded, training);
}

int TransformerModel::inputWidth() const
{
    return m_embedding ? m_embedding->dim() : m_config.inputs;
}

void TransformerModel::embedInputs(const ConstMatRef &x, MatRef out) const
{
    if (m_embedding)
        m_embedding->forward(x, out);
    else
        Model::embedInputs(x, out);
}

const Mat &TransformerModel::forwardEmbedded(const ConstMatRef &u)
{
    if (!m_embedding)
        return forward(u, false);
    requireShape(u, Eigen::Index(m_steps) * m_batch, m_embedding->dim(),
                 "TransformerModel::forwardEmbedded u");
    m_embedded = u;
    m_fromEmbedded = true;
    return forwardFrom(m_embedded, false);
}

const Mat &TransformerModel::forwardFrom(const ConstMatRef &input, bool training)
{
    if (m_steps == 0)
        throw ShapeError("TransformerModel::forward: call resize(T, B) first");
    Mat &z0 = m_z.front();
    if (m_embedding) { // (1)
        z0 = input * m_embedScale;
    } else {
        m_projection->forward(input, z0);
        z0 *= m_embedScale;
    }
    m_positions.forward(z0, z0);                                    // (2)
    m_inputDropout.forward(z0, z0, m_dropoutRng, training);
    for (std::size_t l = 0; l < m_layers.size(); ++l)                // (3)
        m_layers[l]->forward(m_z[l], m_z[l + 1], training ? &m_dropoutRng : nullptr);
    const Mat *encoded = &m_z.back();
    if (m_finalNorm) {
        m_finalNorm->forward(m_z.back(), m_encoded);
        encoded = &m_encoded;
    }
    m_pooling.forward(*encoded, m_features);                         // (4)
    m_dropout.forward(m_features, m_dropOut, m_dropoutRng, training); // (5)
    m_outputLayer->forward(m_dropOut, m_out);
    return m_out;
}

void TransformerModel::backward(const ConstMatRef &x, const ConstMatRef &dOut)
{
    if (m_overridden)
        throw ConfigError("TransformerModel::backward: the attention weights are overridden (evaluation only)");
    // Chain rule through (5) Dense <- Dropout, (4) pooling [<- encoder.norm], (3) the layers in
    // reverse, (2) dropout and the positional encoding (identity), (1) the input layer.
    m_outputLayer->backward(m_dropOut, dOut, &m_dDrop);
    m_dropout.backward(m_dDrop, m_dFeatures);
    if (m_finalNorm) {
        m_pooling.backward(m_encoded, m_dFeatures, m_dZNext);
        m_finalNorm->backward(m_dZNext, m_dZ);
    } else {
        m_pooling.backward(m_z.back(), m_dFeatures, m_dZ);
    }
    for (std::size_t l = m_layers.size(); l-- > 0;) {
        m_layers[l]->backward(m_z[l], m_dZ, m_dZNext);
        std::swap(m_dZ, m_dZNext);
    }
    m_inputDropout.backward(m_dZ, m_dZ);
    m_positions.backward(m_dZ, m_dZ);
    if (m_embedding) {
        m_dEmbedded = m_dZ * m_embedScale;
        if (!m_fromEmbedded)
            m_embedding->backward(x, m_dEmbedded);
    } else {
        m_dZ *= m_embedScale; // u = sqrt(D) (x W_p^T + b_p)
        m_projection->backward(x, m_dZ, &m_dInput);
    }
}

void TransformerModel::setPaddingMask(const ConstMatRef &mask)
{
    const ConstMatRef used = m_config.maskPadding ? mask : ConstMatRef(m_noMask);
    for (auto &layer : m_layers)
        layer->setMask(used);
    m_pooling.setMask(used);
}

void TransformerModel::zeroGrad()
{
    if (m_embedding)
        m_embedding->zeroGrad();
    if (m_projection)
        m_projection->zeroGrad();
    for (auto &layer : m_layers)
        layer->zeroGrad();
    if (m_finalNorm)
        m_finalNorm->zeroGrad();
    m_pooling.zeroGrad();
    m_outputLayer->zeroGrad();
}

std::vector<ParamRef> TransformerModel::params()
{
    std::vector<ParamRef> out;
    if (m_embedding)
        m_embedding->appendParams("embedding", out);
    if (m_projection)
        m_projection->appendParams("input_projection", out);
    for (std::size_t l = 0; l < m_layers.size(); ++l)
        m_layers[l]->appendParams("encoder.layers." + std::to_string(l), out);
    if (m_finalNorm)
        m_finalNorm->appendParams("encoder.norm", out);
    m_pooling.appendParams("pooling", out);
    m_outputLayer->appendParams("dense", out);
    return out;
}

void TransformerModel::setAttentionOverride(const ConstMatRef &weights)
{
    m_pooling.setWeightOverride(weights);
    m_overridden = weights.size() > 0;
}

int TransformerModel::attentionHeads() const
{
    return int(m_layers.size()) * m_config.heads;
}

void TransformerModel::attentionHeadMap(int sequence, int head, MatRef out) const
{
    const int K = m_config.heads;
    if (head < 0 || head >= attentionHeads())
        throw ShapeError("TransformerModel::attentionHeadMap: map " + std::to_string(head) +
                         " is outside 0.." + std::to_string(attentionHeads() - 1));
    m_layers[std::size_t(head / K)]->attention().headMap(sequence, head % K, out);
}

} // namespace attn
