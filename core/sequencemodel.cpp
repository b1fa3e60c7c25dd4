// SPDX-License-Identifier: GPL-3.0-or-later
// LSTM -> many-to-one attention -> dropout -> dense, forward and backward over preallocated buffers.
#include "core/sequencemodel.h"

#include "core/bahdanauattention.h"
#include "core/luongattention.h"

namespace attn {

std::string toString(AttentionKind kind)
{
    switch (kind) {
    case AttentionKind::Luong: return "luong";
    case AttentionKind::LuongDot: return "luong-dot";
    case AttentionKind::Bahdanau: return "bahdanau";
    }
    return "?";
}

std::optional<AttentionKind> attentionKindFromString(const std::string &name)
{
    for (AttentionKind k : {AttentionKind::Luong, AttentionKind::LuongDot, AttentionKind::Bahdanau})
        if (toString(k) == name)
            return k;
    return std::nullopt;
}

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
    }
    throw ShapeError("unknown attention kind");
}

} // namespace

SequenceModel::SequenceModel(const ModelConfig &config, Rng &initRng, std::uint64_t dropoutSeed)
    : m_config(config),
      m_dropoutRng(dropoutSeed),
      m_lstm(config.inputs, config.hidden, initRng),
      m_attention(makeAttention(config, initRng)),
      m_dropout(config.dropout),
      m_head(config.attentionUnits, config.outputs, true, initRng)
{
}

void SequenceModel::resize(int steps, int batch)
{
    if (steps == m_steps && batch == m_batch)
        return;
    m_lstm.resize(steps, batch);
    m_attention->resize(steps, batch);
    m_dropout.resize(batch, m_config.attentionUnits);
    const Eigen::Index tb = Eigen::Index(steps) * batch;
    m_hs.resize(tb, m_config.hidden);
    m_attnOut.resize(batch, m_config.attentionUnits);
    m_dropOut.resize(batch, m_config.attentionUnits);
    m_out.resize(batch, m_config.outputs);
    m_dDrop.resize(batch, m_config.attentionUnits);
    m_dAttn.resize(batch, m_config.attentionUnits);
    m_dHs.resize(tb, m_config.hidden);
    m_steps = steps;
    m_batch = batch;
}

const Mat &SequenceModel::forward(const ConstMatRef &x, bool training)
{
    m_lstm.forward(x, m_hs);
    m_attention->forward(m_hs, m_attnOut);
    m_dropout.forward(m_attnOut, m_dropOut, m_dropoutRng, training);
    m_head.forward(m_dropOut, m_out);
    return m_out;
}

void SequenceModel::backward(const ConstMatRef &x, const ConstMatRef &dOut)
{
    // Chain rule through Dense <- Dropout <- attention <- LSTM, in reverse order of forward.
    m_head.backward(m_dropOut, dOut, &m_dDrop);
    m_dropout.backward(m_dDrop, m_dAttn);
    m_attention->backward(m_hs, m_dAttn, m_dHs);
    m_lstm.backward(x, m_hs, m_dHs, nullptr);
}

void SequenceModel::zeroGrad()
{
    m_lstm.zeroGrad();
    m_attention->zeroGrad();
    m_head.zeroGrad();
}

std::vector<ParamRef> SequenceModel::params()
{
    std::vector<ParamRef> out;
    m_lstm.appendParams("lstm", out);
    m_attention->appendParams("attention", out);
    m_head.appendParams("dense", out);
    return out;
}

long long SequenceModel::parameterCount()
{
    long long n = 0;
    for (const ParamRef &p : params())
        n += p.value->size();
    return n;
}

} // namespace attn
