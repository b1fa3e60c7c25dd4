// SPDX-License-Identifier: GPL-3.0-or-later
// The dense autoencoder with attention: forward and backward over preallocated buffers, the
// tied decoder adding its weight gradients to the encoder's.
#include "core/models/autoencodermodel.h"

#include <algorithm>

namespace attn {

namespace {

void relu(MatRef m)
{
    m = m.cwiseMax(Scalar(0));
}

/// dz = dr * [r > 0]: the ReLU's derivative read from its output.
void reluBackward(const ConstMatRef &r, MatRef d)
{
    d.array() *= (r.array() > Scalar(0)).cast<Scalar>();
}

} // namespace

AutoencoderModel::AutoencoderModel(const ModelConfig &config, Rng &initRng, std::uint64_t dropoutSeed)
    : Model(config), m_dropoutRng(dropoutSeed), m_inputDropout(config.inputDropout),
      m_codeDropout(config.dropout), m_norm1(std::max(1, config.hidden)),
      m_norm2(std::max(1, config.codeUnits)), m_onInputs(config.attentionOnInputs)
{
    if (config.architecture != ModelArchitecture::Autoencoder)
        throw ConfigError("AutoencoderModel: the config does not describe an autoencoder");
    if (config.attention != AttentionKind::Feature && config.attention != AttentionKind::None)
        throw ConfigError("AutoencoderModel: attention must be feature or none, got " +
                          toString(config.attention));
    if (config.inputs < 1 || config.hidden < 1 || config.codeUnits < 1)
        throw ConfigError("AutoencoderModel: inputs, hidden and code units must be >= 1");
    if (config.outputs != config.inputs)
        throw ConfigError("AutoencoderModel: outputs (" + std::to_string(config.outputs) +
                          ") must equal inputs (" + std::to_string(config.inputs) +
                          "): the model reconstructs its input");
    if (config.vocabulary > 0)
        throw ConfigError("AutoencoderModel: token inputs need a SequenceModel");
    if (!(config.attentionNoise >= 0.0))
        throw ConfigError("AutoencoderModel: the attention noise must be >= 0");
    const bool attention = config.attention == AttentionKind::Feature;
    if (attention && m_onInputs)
        m_attention = std::make_unique<FeatureAttention>(config.inputs, initRng);
    m_encoder1 = std::make_unique<Dense>(config.inputs, config.hidden, true, initRng);
    if (attention && !m_onInputs)
        m_attention = std::make_unique<FeatureAttention>(config.hidden, initRng);
    m_encoder2 = std::make_unique<Dense>(config.hidden, config.codeUnits, true, initRng);
    m_decoder2 = std::make_unique<TiedDense>(*m_encoder2);
    m_decoder1 = std::make_unique<TiedDense>(*m_encoder1);
}

AutoencoderModel::~AutoencoderModel() = default;

void AutoencoderModel::resize(int steps, int batch)
{
    if (steps != 1)
        throw ShapeError("AutoencoderModel::resize: the model takes one vector per sample "
                         "(T = 1), got T = " + std::to_string(steps));
    if (batch < 1)
        throw ShapeError("AutoencoderModel::resize: batch must be >= 1");
    if (batch == m_batch)
        return;
    const Eigen::Index B = batch, F = m_config.inputs, H1 = m_config.hidden, H2 = m_config.codeUnits;
    m_inputDropout.resize(B, F);
    m_codeDropout.resize(B, H2);
    m_norm1.resize(B);
    m_norm2.resize(B);
    if (m_attention) {
        m_attention->resize(batch);
        m_attended.resize(B, m_onInputs ? F : H1);
    }
    if (m_attention && !m_onInputs) {
        m_dAttended.resize(B, H1);
        m_share.resize(H1, F);
        m_shareSum.resize(H1, 1);
        m_inputAttention.resize(B, F);
    }
    m_dropped.resize(B, F);
    m_r1.resize(B, H1);
    m_n1.resize(B, H1);
    m_r2.resize(B, H2);
    m_n2.resize(B, H2);
    m_code.resize(B, H2);
    m_r3.resize(B, H1);
    m_out.resize(B, F);
    m_dR3.resize(B, H1);
    m_dCode.resize(B, H2);
    m_dR2.resize(B, H2);
    m_dN1.resize(B, H1);
    m_dR1.resize(B, H1);
    m_dFirst.resize(B, F);
    m_dDropped.resize(B, F);
    m_dInput.resize(B, F);
    m_steps = 1;
    m_batch = batch;
}

const Mat &AutoencoderModel::forward(const ConstMatRef &x, bool training)
{
    requireShape(x, m_batch, m_config.inputs, "AutoencoderModel::forward x");
    m_inputDropout.forward(x, m_dropped, m_dropoutRng, training); // (1)
    const bool before = m_attention && m_onInputs, after = m_attention && !m_onInputs;
    if (before)
        m_attention->forward(m_dropped, m_attended); // (2)
    if (before && training)
        addNoise();
    m_encoder1->forward(before ? ConstMatRef(m_attended) : ConstMatRef(m_dropped), m_r1); // (3)
    relu(m_r1);
    if (after) {
        m_attention->forward(m_r1, m_attended); // (4)
        carryToInputs();
        if (training)
            addNoise();
    }
    m_norm1.forward(after ? ConstMatRef(m_attended) : ConstMatRef(m_r1), m_n1); // (5)
    m_encoder2->forward(m_n1, m_r2); // (6)
    relu(m_r2);
    m_norm2.forward(m_r2, m_n2);
    m_codeDropout.forward(m_n2, m_code, m_dropoutRng, training); // (7)
    m_decoder2->forward(m_code, m_r3); // (8)
    relu(m_r3);
    m_decoder1->forward(m_r3, m_out); // (9)
    return m_out;
}

void AutoencoderModel::addNoise()
{
    if (!(m_config.attentionNoise > 0.0))
        return;
    // The noise is added, so backward is unchanged: d(out)/d(attended) = 1.
    const double sd = m_config.attentionNoise / double(m_attended.cols());
    for (Eigen::Index r = 0; r < m_attended.rows(); ++r)
        for (Eigen::Index c = 0; c < m_attended.cols(); ++c)
            m_attended(r, c) += Scalar(sd * m_dropoutRng.normal());
}

void AutoencoderModel::carryToInputs()
{
    // e = a S with S_ji = |W1_ji| / sum_k |W1_jk|: each hidden unit's weight spread over the
    // inputs in proportion to how strongly it reads them. The floor keeps an all-zero row finite.
    m_share = m_encoder1->params().weight.cwiseAbs();
    m_shareSum = m_share.rowwise().sum().cwiseMax(Scalar(1e-30));
    m_share.array().colwise() /= m_shareSum.col(0).array();
    m_inputAttention.noalias() = m_attention->weights() * m_share;
}

void AutoencoderModel::backward(const ConstMatRef & /*x*/, const ConstMatRef &dOut)
{
    if (m_overridden)
        throw ConfigError("AutoencoderModel::backward: the attention weights are overridden (evaluation only)");
    requireShape(dOut, m_batch, m_config.inputs, "AutoencoderModel::backward dOut");
    // Differentiates (9) back to (1): x^ = r3 W1 + c1, r3 = relu(c W2 + c2), c = Drop(n2),
    // n2 = MVN(relu(n1 W2^T + b2)), n1 = MVN(r1'), r1' = r1 * a or r1, r1 = relu(d' W1^T + b1),
    // d' = d * a or d, d = Drop(x). W1 and W2 collect the gradients of both their uses.
    const bool before = m_attention && m_onInputs, after = m_attention && !m_onInputs;
    m_decoder1->backward(m_r3, dOut, &m_dR3);
    reluBackward(m_r3, m_dR3);
    m_decoder2->backward(m_code, m_dR3, &m_dCode);
    m_codeDropout.backward(m_dCode, m_dR2);
    m_norm2.backward(m_dR2, m_dR2);
    reluBackward(m_r2, m_dR2);
    m_encoder2->backward(m_n1, m_dR2, &m_dN1);
    m_norm1.backward(m_dN1, after ? MatRef(m_dAttended) : MatRef(m_dR1));
    if (after)
        m_attention->backward(m_r1, m_dAttended, m_dR1);
    reluBackward(m_r1, m_dR1);
    m_encoder1->backward(before ? ConstMatRef(m_attended) : ConstMatRef(m_dropped), m_dR1, &m_dFirst);
    if (before)
        m_attention->backward(m_dropped, m_dFirst, m_dDropped);
    m_inputDropout.backward(before ? ConstMatRef(m_dDropped) : ConstMatRef(m_dFirst), m_dInput);
}

void AutoencoderModel::zeroGrad()
{
    if (m_attention)
        m_attention->zeroGrad();
    m_encoder1->zeroGrad();
    m_encoder2->zeroGrad();
    m_decoder2->zeroGrad();
    m_decoder1->zeroGrad();
}

std::vector<ParamRef> AutoencoderModel::params()
{
    std::vector<ParamRef> out;
    if (m_attention)
        m_attention->appendParams("attention", out);
    m_encoder1->appendParams("encoder1", out);
    m_encoder2->appendParams("encoder2", out);
    m_decoder2->appendParams("decoder2", out);
    m_decoder1->appendParams("decoder1", out);
    return out;
}

const Mat &AutoencoderModel::attentionWeights() const
{
    if (!m_attention)
        return m_noWeights;
    return m_onInputs ? m_attention->weights() : m_inputAttention;
}

const Mat &AutoencoderModel::hiddenAttention() const
{
    return m_attention && !m_onInputs ? m_attention->weights() : m_noWeights;
}

void AutoencoderModel::setAttentionOverride(const ConstMatRef &weights)
{
    if (!m_attention)
        Model::setAttentionOverride(weights);
    if (!m_onInputs)
        throw ConfigError("AutoencoderModel: counterfactual weights need the attention on the "
                          "inputs (after the first layer the input weights are derived)");
    m_attention->setWeightOverride(weights);
    m_overridden = weights.size() > 0;
}

} // namespace attn
