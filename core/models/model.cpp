// SPDX-License-Identifier: GPL-3.0-or-later
// Names of the model enums, the model factory and the no-attention baseline's width rule.
#include "core/models/model.h"

#include "core/models/autoencodermodel.h"
#include "core/models/featuremodel.h"
#include "core/models/instancenormmodel.h"
#include "core/models/modellimits.h"
#include "core/models/pytorchinit.h"
#include "core/models/sequencemodel.h"
#include "core/models/transformermodel.h"

#include <algorithm>
#include <cmath>

namespace attn {

std::string toString(AttentionKind kind)
{
    switch (kind) {
    case AttentionKind::Luong: return "luong";
    case AttentionKind::LuongDot: return "luong-dot";
    case AttentionKind::Bahdanau: return "bahdanau";
    case AttentionKind::FeedForward: return "feed-forward";
    case AttentionKind::Local: return "local";
    case AttentionKind::LocalMonotonic: return "local-m";
    case AttentionKind::SelfAttention: return "self";
    case AttentionKind::Transformer: return "transformer";
    case AttentionKind::Feature: return "feature";
    case AttentionKind::None: return "none";
    case AttentionKind::Plain: return "plain";
    }
    return "?";
}

std::vector<AttentionKind> allAttentionKinds()
{
    return {AttentionKind::Luong,       AttentionKind::LuongDot, AttentionKind::Bahdanau,
            AttentionKind::FeedForward, AttentionKind::Local,    AttentionKind::LocalMonotonic, AttentionKind::SelfAttention,
            AttentionKind::Transformer,
            AttentionKind::Feature,     AttentionKind::None,     AttentionKind::Plain};
}

std::optional<AttentionKind> attentionKindFromString(const std::string &name)
{
    for (AttentionKind k : allAttentionKinds())
        if (toString(k) == name)
            return k;
    return std::nullopt;
}

std::string toString(RecurrentCell cell)
{
    return cell == RecurrentCell::Lstm ? "lstm" : "gru";
}

std::optional<RecurrentCell> recurrentCellFromString(const std::string &name)
{
    for (RecurrentCell c : {RecurrentCell::Lstm, RecurrentCell::Gru})
        if (toString(c) == name)
            return c;
    return std::nullopt;
}

std::string toString(WeightInit init)
{
    return init == WeightInit::Keras ? "keras" : "pytorch";
}

std::optional<WeightInit> weightInitFromString(const std::string &name)
{
    for (WeightInit i : {WeightInit::Keras, WeightInit::PyTorch})
        if (toString(i) == name)
            return i;
    return std::nullopt;
}

long long Model::parameterCount()
{
    long long n = 0;
    for (const ParamRef &p : params())
        n += p.value->size();
    return n;
}

void Model::setAttentionOverride(const ConstMatRef &)
{
    throw ConfigError("setAttentionOverride: the model has no attention");
}

void Model::attentionHeadMap(int, int, MatRef) const
{
    throw ShapeError("attentionHeadMap: the model has no self-attention heads");
}

void Model::embedInputs(const ConstMatRef &x, MatRef out) const
{
    requireShape(out, x.rows(), x.cols(), "Model::embedInputs out");
    out = x;
}

std::unique_ptr<Model> makeModel(const ModelConfig &config, Rng &initRng, std::uint64_t dropoutSeed)
{
    checkModelSize(config);
    if (config.instanceNorm) {
        ModelConfig inner = config;
        inner.instanceNorm = false;
        return std::make_unique<InstanceNormModel>(config, makeModel(inner, initRng, dropoutSeed));
    }
    std::unique_ptr<Model> model;
    if (config.architecture == ModelArchitecture::Feature)
        model = std::make_unique<FeatureModel>(config, initRng, dropoutSeed);
    else if (config.architecture == ModelArchitecture::Autoencoder)
        model = std::make_unique<AutoencoderModel>(config, initRng, dropoutSeed);
    else if (config.attention == AttentionKind::Transformer)
        model = std::make_unique<TransformerModel>(config, initRng, dropoutSeed);
    else
        model = std::make_unique<SequenceModel>(config, initRng, dropoutSeed);
    // The layers draw Keras' initial weights; PyTorch's are drawn over them, from the same
    // stream, so a Keras run consumes initRng exactly as before the option existed.
    if (config.init == WeightInit::PyTorch)
        applyPytorchInit(*model, initRng);
    return model;
}

long long parameterCount(const ModelConfig &config)
{
    Rng scratch(0);
    return makeModel(config, scratch, 0)->parameterCount();
}

int baselineWidth(const ModelConfig &config)
{
    if (isBaseline(config.baselineReference))
        return 0;
    ModelConfig reference = config;
    reference.attention = config.baselineReference;
    const double target = double(parameterCount(reference));
    ModelConfig bare = config;
    bare.attention = AttentionKind::None;
    bare.baselineUnits = 0;
    const double withoutLayer = double(parameterCount(bare));
    if (std::abs(withoutLayer - target) <= 0.05 * target)
        return 0;
    // With a hidden layer of W units the final Dense (D -> O) becomes D -> W -> O.
    const double D = config.architecture == ModelArchitecture::Feature ? config.inputs : config.hidden;
    const double O = config.outputs;
    const double base = withoutLayer - (D * O + O);
    auto count = [&](double w) { return base + (D + 1) * w + (w + 1) * O; };
    const int guess = std::max(1, int(std::lround((target - base - O) / (D + 1 + O))));
    int best = guess;
    for (int w : {guess - 1, guess + 1})
        if (w >= 1 && std::abs(count(w) - target) < std::abs(count(best) - target))
            best = w;
    return best;
}

} // namespace attn
