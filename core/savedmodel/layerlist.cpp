// SPDX-License-Identifier: GPL-3.0-or-later
// The "layers" entry of NAME.json: a saved model's layers in order, with the sizes and settings
// a PyTorch user needs to rebuild it from torch.nn modules (docs/model-format.md).
#include "core/savedmodel/layerlist.h"

#include "core/models/instancenormmodel.h"

#include <cmath>

namespace attn {

using Json = nlohmann::ordered_json;

nlohmann::ordered_json layerList(const ModelSpec &spec)
{
    const ModelConfig &m = spec.model;
    Json layers = Json::array();
    if (m.architecture == ModelArchitecture::Autoencoder) { // autoencodermodel.h
        const bool attention = m.attention != AttentionKind::None;
        const auto norm = [](const char *n) { return Json{{"name", n}, {"type", "mean-variance normalisation"}, {"eps", 1e-5}}; };
        layers.push_back({{"name", "input_dropout"}, {"type", "Dropout"}, {"p", m.inputDropout}});
        if (attention && m.attentionOnInputs)
            layers.push_back({{"name", "attention"}, {"type", "feature"}, {"features", m.inputs}});
        layers.push_back({{"name", "encoder1"}, {"type", "Linear"}, {"in", m.inputs}, {"out", m.hidden}, {"activation", "relu"}});
        if (attention && !m.attentionOnInputs)
            layers.push_back({{"name", "attention"}, {"type", "feature"}, {"features", m.hidden}});
        layers.push_back(norm("norm1"));
        layers.push_back({{"name", "encoder2"}, {"type", "Linear"}, {"in", m.hidden}, {"out", m.codeUnits}, {"activation", "relu"}});
        layers.push_back(norm("norm2"));
        layers.push_back({{"name", "dropout"}, {"type", "Dropout"}, {"p", m.dropout}});
        layers.push_back({{"name", "decoder2"}, {"type", "tied Linear"}, {"weight", "encoder2.weight^T"},
                          {"in", m.codeUnits}, {"out", m.hidden}, {"activation", "relu"}});
        layers.push_back({{"name", "decoder1"}, {"type", "tied Linear"}, {"weight", "encoder1.weight^T"}, {"in", m.hidden}, {"out", m.inputs}});
        return layers;
    }
    if (m.architecture == ModelArchitecture::Feature) {
        layers.push_back({{"name", "attention"}, {"type", "feature"}, {"features", m.inputs}});
        layers.push_back({{"name", "hidden"}, {"type", "Linear"}, {"in", m.inputs}, {"out", m.denseUnits}});
        layers.push_back({{"name", "dense"}, {"type", "Linear"}, {"in", m.denseUnits}, {"out", m.outputs}});
        return layers;
    }
    if (m.instanceNorm) // instancenormmodel.h: the output is put back on the window's level
        layers.push_back({{"name", "instance_norm"}, {"type", "reversible instance normalization"},
                          {"feature", m.instanceNormFeature}, {"eps", InstanceNormModel::kEpsilon},
                          {"output", "y * sigma[feature] + mean[feature]"}});
    if (m.attention == AttentionKind::Transformer) { // transformermodel.h
        const int D = m.modelWidth;
        if (m.vocabulary > 0)
            layers.push_back({{"name", "embedding"}, {"type", "Embedding"},
                              {"num_embeddings", m.vocabulary + 1}, {"embedding_dim", D},
                              {"scale", "sqrt(d_model)"}});
        else
            layers.push_back({{"name", "input_projection"}, {"type", "Linear"}, {"in", m.inputs}, {"out", D},
                              {"scale", "sqrt(d_model)"}});
        layers.push_back({{"name", "positional_encoding"}, {"type", "sinusoidal"}, {"d_model", D}});
        layers.push_back({{"name", "encoder"}, {"type", "TransformerEncoder"}, {"num_layers", m.encoderLayers},
                          {"d_model", D}, {"nhead", m.heads}, {"dim_feedforward", m.feedForwardUnits},
                          {"dropout", m.encoderDropout}, {"activation", "relu"},
                          {"norm_first", m.preNorm}, {"final_norm", m.preNorm}});
        layers.push_back({{"name", "pooling"}, {"type", "attention pooling"}, {"query", "learned"}});
        if (m.dropout > 0.0)
            layers.push_back({{"name", "dropout"}, {"type", "Dropout"}, {"p", m.dropout}});
        layers.push_back({{"name", "dense"}, {"type", "Linear"}, {"in", D}, {"out", m.outputs}});
        return layers;
    }
    int width = m.inputs;
    if (m.vocabulary > 0) {
        layers.push_back({{"name", "embedding"}, {"type", "Embedding"},
                          {"num_embeddings", m.vocabulary + 1}, {"embedding_dim", m.embeddingDim}});
        width = m.embeddingDim;
    }
    const std::string cell = toString(m.cell);
    layers.push_back({{"name", cell}, {"type", cell == "lstm" ? "LSTM" : "GRU"},
                      {"input_size", width}, {"hidden_size", m.hidden}, {"batch_first", true}});
    int features = m.hidden;
    if (isBaseline(m.attention)) { // "plain": h_T straight into the output
        const int w = m.attention == AttentionKind::Plain ? 0
                      : m.baselineUnits >= 0              ? m.baselineUnits
                                                          : baselineWidth(m);
        if (w > 0) {
            layers.push_back({{"name", "baseline"}, {"type", "Linear"}, {"in", m.hidden},
                              {"out", w}, {"activation", "relu"}});
            features = w;
        }
    } else {
        Json a = {{"name", "attention"}, {"type", toString(m.attention)}, {"query", "last hidden state"}};
        switch (m.attention) {
        case AttentionKind::Luong:
        case AttentionKind::LuongDot:
        case AttentionKind::Bahdanau:
            a["units"] = m.attentionUnits;
            features = m.attentionUnits;
            break;
        case AttentionKind::Local:
            a["units"] = m.attentionUnits;
            a["half_width"] = m.localHalfWidth;
            features = m.attentionUnits;
            break;
        case AttentionKind::LocalMonotonic: // window [T-1-D, T-1]: D = model.local_half_width
            a["units"] = m.attentionUnits;
            a["window"] = m.localHalfWidth;
            features = m.attentionUnits;
            break;
        case AttentionKind::FeedForward:
            a.erase("query");
            a["steps"] = m.steps;
            break;
        case AttentionKind::SelfAttention:
            a.erase("query");
            a["heads"] = m.heads;
            a["causal"] = m.causal;
            a["window"] = m.window;
            a["pooling"] = "mean over time";
            break;
        default: break;
        }
        layers.push_back(a);
    }
    if (m.dropout > 0.0)
        layers.push_back({{"name", "dropout"}, {"type", "Dropout"}, {"p", m.dropout}});
    layers.push_back({{"name", "dense"}, {"type", "Linear"}, {"in", features}, {"out", m.outputs}});
    return layers;
}

} // namespace attn
