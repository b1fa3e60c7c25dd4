// SPDX-License-Identifier: GPL-3.0-or-later
// [Embedding ->] LSTM/GRU -> many-to-one attention (or the baseline's last state) -> dropout ->
// dense, forward and backward over preallocated buffers.
#include "core/models/sequencemodel.h"

#include "core/attention/bahdanauattention.h"
#include "core/attention/feedforwardattention.h"
#include "core/layers/gru.h"
#include "core/attention/localattention.h"
#include "core/attention/localmonotonicattention.h"
#include "core/layers/lstm.h"
#include "core/attention/luongattention.h"
#include "core/attention/selfattention.h"

namespace attn {

namespace {

std::unique_ptr<ManyToOneAttention> makeAttention(const ModelConfig &c, Rng &rng)
{
    switch (c.attention) {
    case AttentionKind::Luong:
        return std::make_unique<LuongAttention>(c.hidden, c.attentionUnits,
                                                LuongAttention::Score::General, rng);
    case AttentionKind::LuongDot:
        return std::make_unique<LuongAttention>(c.hidden, c.attentionUnits,
                                                LuongAttention::Score::Dot, rng);
    case AttentionKind::Bahdanau:
        return std::make_unique<BahdanauAttention>(c.hidden, c.attentionUnits, rng);
    case AttentionKind::FeedForward:
        if (c.steps < 1)
            throw ConfigError("SequenceModel: feed-forward attention needs the number of steps T "
                              "(ModelConfig::steps)");
        return std::make_unique<FeedForwardAttention>(
            c.hidden, c.steps, rng, c.normalAttentionInit ? FeedForwardAttention::kKerasNormalStd : 0.0);
    case AttentionKind::Local:
        return std::make_unique<LocalAttention>(c.hidden, c.attentionUnits, c.localHalfWidth, rng);
    case AttentionKind::LocalMonotonic:
        return std::make_unique<LocalMonotonicAttention>(c.hidden, c.attentionUnits, c.localHalfWidth, rng);
    case AttentionKind::SelfAttention:
        return std::make_unique<SelfAttention>(c.hidden, c.heads, c.causal, c.window, rng);
    case AttentionKind::Feature:
        throw ConfigError("SequenceModel: feature attention works on the FeatureModel only");
    case AttentionKind::Transformer:
        throw ConfigError("SequenceModel: the transformer is its own model (TransformerModel)");
    case AttentionKind::None:
    case AttentionKind::Plain:
        return nullptr;
    }
    throw ConfigError("SequenceModel: unknown attention kind");
}

std::unique_ptr<RecurrentLayer> makeRecurrent(const ModelConfig &c, int inputs, Rng &rng)
{
    if (c.cell == RecurrentCell::Gru)
        return std::make_unique<Gru>(inputs, c.hidden, rng, c.inputDropout, c.recurrentDropout);
    return std::make_unique<Lstm>(inputs, c.hidden, rng, c.inputDropout, c.recurrentDropout);
}

} // namespace

SequenceModel::SequenceModel(const ModelConfig &config, Rng &initRng, std::uint64_t dropoutSeed)
    : Model(config), m_dropoutRng(dropoutSeed), m_embeddingDropout(config.embeddingDropout),
      m_dropout(config.dropout)
{
    if (config.architecture != ModelArchitecture::Sequence)
        throw ConfigError("SequenceModel: the config describes a FeatureModel");
    if (config.outputs < 1)
        throw ConfigError("SequenceModel: outputs must be >= 1");
    int recurrentInputs = config.inputs;
    if (config.vocabulary > 0) {
        if (config.inputs != 1)
            throw ConfigError("SequenceModel: token inputs need inputs = 1 (one id per step), got " +
                              std::to_string(config.inputs));
        m_embedding = std::make_unique<Embedding>(config.vocabulary, config.embeddingDim, initRng);
        recurrentInputs = config.embeddingDim;
    } else if (config.embeddingDropout > 0.0) {
        throw ConfigError("SequenceModel: embedding dropout needs token inputs (vocabulary > 0)");
    }
    m_recurrent = makeRecurrent(config, recurrentInputs, initRng);
    m_attention = makeAttention(config, initRng);
    if (m_attention) {
        m_featureWidth = m_attention->outputs();
        if (config.attention == AttentionKind::SelfAttention)
            m_self = static_cast<const SelfAttention *>(m_attention.get());
    } else if (config.attention == AttentionKind::Plain) {
        m_baselineUnits = 0; // h_T straight into the final Dense
        m_featureWidth = config.hidden;
    } else {
        m_baselineUnits = config.baselineUnits >= 0 ? config.baselineUnits : baselineWidth(config);
        m_config.baselineUnits = m_baselineUnits;
        if (m_baselineUnits > 0)
            m_baseline = std::make_unique<Dense>(config.hidden, m_baselineUnits, true, initRng);
        m_featureWidth = m_baselineUnits > 0 ? m_baselineUnits : config.hidden;
    }
    m_outputLayer = std::make_unique<Dense>(m_featureWidth, config.outputs, true, initRng);
}

SequenceModel::~SequenceModel() = default;

void SequenceModel::resize(int steps, int batch)
{
    if (steps == m_steps && batch == m_batch)
        return;
    m_recurrent->resize(steps, batch);
    if (m_attention)
        m_attention->resize(steps, batch);
    m_dropout.resize(batch, m_featureWidth);
    const Eigen::Index tb = Eigen::Index(steps) * batch, H = m_config.hidden;
    if (m_embedding) {
        m_embedded.resize(tb, m_embedding->dim());
        m_dEmbedded.resize(tb, m_embedding->dim());
        m_embeddingDropout.resize(tb, m_embedding->dim());
    } else {
        m_dInput.resize(tb, m_config.inputs);
    }
    m_hs.resize(tb, H);
    m_features.resize(batch, m_featureWidth);
    m_dropOut.resize(batch, m_featureWidth);
    m_out.resize(batch, m_config.outputs);
    m_dDrop.resize(batch, m_featureWidth);
    m_dFeatures.resize(batch, m_featureWidth);
    if (m_baseline)
        m_dLast.resize(batch, H);
    m_dHs.resize(tb, H);
    m_steps = steps;
    m_batch = batch;
}

const Mat &SequenceModel::forward(const ConstMatRef &x, bool training)
{
    m_fromEmbedded = false;
    if (!m_embedding)
        return forwardFrom(x, training);
    m_embedding->forward(x, m_embedded);
    // In place: m_embedded becomes the dropped-out embedding the recurrent layer reads.
    m_embeddingDropout.forward(m_embedded, m_embedded, m_dropoutRng, training);
    return forwardFrom(m_embedded, training);
}

int SequenceModel::inputWidth() const
{
    return m_embedding ? m_embedding->dim() : m_config.inputs;
}

void SequenceModel::embedInputs(const ConstMatRef &x, MatRef out) const
{
    if (m_embedding)
        m_embedding->forward(x, out);
    else
        Model::embedInputs(x, out);
}

const Mat &SequenceModel::forwardEmbedded(const ConstMatRef &u)
{
    if (!m_embedding)
        return forward(u, false);
    requireShape(u, Eigen::Index(m_steps) * m_batch, m_embedding->dim(),
                 "SequenceModel::forwardEmbedded u");
    m_embedded = u;
    m_embeddingDropout.forward(m_embedded, m_embedded, m_dropoutRng, false); // no mask for backward
    m_fromEmbedded = true;
    return forwardFrom(m_embedded, false);
}

const Mat &SequenceModel::forwardFrom(const ConstMatRef &input, bool training)
{
    m_recurrent->forward(input, m_hs, training ? &m_dropoutRng : nullptr);
    if (m_attention) {
        m_attention->forward(m_hs, m_features);
    } else if (m_baseline) {
        m_baseline->forward(m_hs.bottomRows(m_batch), m_features); // Dense(h_T)
        m_features = m_features.cwiseMax(Scalar(0));               // ReLU
    } else {
        m_features = m_hs.bottomRows(m_batch); // h_T
    }
    m_dropout.forward(m_features, m_dropOut, m_dropoutRng, training);
    m_outputLayer->forward(m_dropOut, m_out);
    return m_out;
}

void SequenceModel::backward(const ConstMatRef &x, const ConstMatRef &dOut)
{
    if (m_overridden)
        throw ConfigError("SequenceModel::backward: the attention weights are overridden (evaluation only)");
    // Chain rule through Dense <- Dropout <- attention (or the baseline's h_T [-> Dense -> ReLU])
    // <- LSTM/GRU <- Embedding, in reverse order of forward.
    m_outputLayer->backward(m_dropOut, dOut, &m_dDrop);
    m_dropout.backward(m_dDrop, m_dFeatures);
    if (m_attention) {
        m_attention->backward(m_hs, m_dFeatures, m_dHs);
    } else {
        m_dHs.topRows(m_dHs.rows() - m_batch).setZero(); // only h_T feeds the baseline's Dense
        if (m_baseline) {
            // ReLU: the gradient passes where the output is positive.
            m_dFeatures.array() *= (m_features.array() > Scalar(0)).cast<Scalar>();
            m_baseline->backward(m_hs.bottomRows(m_batch), m_dFeatures, &m_dLast);
            m_dHs.bottomRows(m_batch) = m_dLast;
        } else {
            m_dHs.bottomRows(m_batch) = m_dFeatures;
        }
    }
    const ConstMatRef input = m_embedding ? ConstMatRef(m_embedded) : x;
    // dL/dx costs one (T*B, G*H) x (G*H, F) product: F = 1 for most tasks.
    m_recurrent->backward(input, m_hs, m_dHs, m_embedding ? &m_dEmbedded : &m_dInput);
    if (m_embedding) // dL/du = dL/d(dropped u) * m (eq. (1) of dropout.h; m = 1 without dropout)
        m_embeddingDropout.backward(m_dEmbedded, m_dEmbedded);
    if (m_embedding && !m_fromEmbedded)
        m_embedding->backward(x, m_dEmbedded);
}

void SequenceModel::setPaddingMask(const ConstMatRef &mask)
{
    const ConstMatRef used = m_config.maskPadding ? mask : ConstMatRef(m_noWeights);
    m_recurrent->setMask(used);
    if (m_attention)
        m_attention->setMask(used);
}

void SequenceModel::zeroGrad()
{
    if (m_embedding)
        m_embedding->zeroGrad();
    m_recurrent->zeroGrad();
    if (m_attention)
        m_attention->zeroGrad();
    if (m_baseline)
        m_baseline->zeroGrad();
    m_outputLayer->zeroGrad();
}

std::vector<ParamRef> SequenceModel::params()
{
    std::vector<ParamRef> out;
    if (m_embedding)
        m_embedding->appendParams("embedding", out);
    m_recurrent->appendParams(toString(m_config.cell), out);
    if (m_attention)
        m_attention->appendParams("attention", out);
    if (m_baseline)
        m_baseline->appendParams("baseline", out);
    m_outputLayer->appendParams("dense", out);
    return out;
}

void SequenceModel::setAttentionOverride(const ConstMatRef &weights)
{
    if (!m_attention)
        Model::setAttentionOverride(weights);
    m_attention->setWeightOverride(weights);
    m_overridden = weights.size() > 0;
}

const Mat &SequenceModel::attentionWeights() const
{
    return m_attention ? m_attention->weights() : m_noWeights;
}

int SequenceModel::attentionHeads() const { return m_self ? m_self->heads() : 0; }

void SequenceModel::attentionHeadMap(int sequence, int head, MatRef out) const
{
    if (!m_self)
        Model::attentionHeadMap(sequence, head, out);
    else
        m_self->headMap(sequence, head, out);
}

} // namespace attn
