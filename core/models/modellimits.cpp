// SPDX-License-Identifier: GPL-3.0-or-later
// The size estimate of a model config and the check against the app's limits.
#include "core/models/modellimits.h"

#include "core/tensor/errors.h"

#include <algorithm>

namespace attn {

namespace {

/// "16,400,000,000": thousands separated, for messages.
std::string grouped(long long n)
{
    std::string digits = std::to_string(n);
    for (int i = int(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(std::size_t(i), ",");
    return digits;
}

class SizeSum {
public:
    void add(const std::string &name, long long rows, long long cols)
    {
        const long long values = rows * cols;
        m_size.parameters += values;
        if (values > m_size.largestValues) {
            m_size.largestValues = values;
            m_size.largest = name + " (" + std::to_string(rows) + " x " + std::to_string(cols) + ")";
        }
    }
    const ModelSize &size() const { return m_size; }

private:
    ModelSize m_size;
};

/// The attention part of a SequenceModel of H hidden units: its weights, and the width of the
/// features it hands to the output layer. Matches the mechanisms' Params (core/attention/).
long long attentionWeights(const ModelConfig &c, AttentionKind kind, SizeSum *sum, long long *width)
{
    const long long H = c.hidden, U = c.attentionUnits;
    SizeSum scratch;
    SizeSum &s = sum ? *sum : scratch;
    const long long before = s.size().parameters;
    const bool readout = kind == AttentionKind::Luong || kind == AttentionKind::LuongDot ||
                         kind == AttentionKind::Bahdanau || kind == AttentionKind::Local ||
                         kind == AttentionKind::LocalMonotonic;
    switch (kind) {
    case AttentionKind::Luong:
    case AttentionKind::LocalMonotonic: s.add("attention.weight", H, H); break;
    case AttentionKind::Bahdanau:
        s.add("attention.w1", H, H); // A = H
        s.add("attention.w2", H, H);
        s.add("attention.v", 1, H);
        break;
    case AttentionKind::Local:
        s.add("attention.w_p", H, H); // A = H
        s.add("attention.v_p", 1, H);
        s.add("attention.w_a", H, H);
        break;
    case AttentionKind::FeedForward:
        s.add("attention.weight", H, 1);
        s.add("attention.bias", 1, std::max(1, c.steps));
        break;
    case AttentionKind::SelfAttention:
        for (const char *n : {"w_q", "w_k", "w_v", "w_o"})
            s.add(std::string("attention.") + n, H + 1, H);
        break;
    default: break;
    }
    if (readout)
        s.add("attention.readout", U, 2 * H + 1);
    *width = readout ? U : H;
    return s.size().parameters - before;
}

} // namespace

ModelSize estimateModelSize(const ModelConfig &c)
{
    SizeSum s;
    const long long O = c.outputs;
    if (c.architecture == ModelArchitecture::Feature) {
        const long long F = c.inputs, W = c.denseUnits;
        s.add("attention.weight", F + 1, F);
        s.add("dense.weight", W, F + 1);
        s.add("output.weight", O, W + 1);
        return s.size();
    }
    if (c.architecture == ModelArchitecture::Autoencoder) {
        // autoencodermodel.h: the decoders reuse the encoders' weights and add a bias each.
        const long long F = c.inputs, H1 = c.hidden, H2 = c.codeUnits;
        if (c.attention != AttentionKind::None) {
            const long long A = c.attentionOnInputs ? F : H1;
            s.add("attention.weight", A + 1, A);
        }
        s.add("encoder1.weight", H1, F + 1);
        s.add("encoder2.weight", H2, H1 + 1);
        s.add("decoder2.bias", 1, H1);
        s.add("decoder1.bias", 1, F);
        return s.size();
    }
    if (c.attention == AttentionKind::Transformer) {
        // transformermodel.h: input layer, N encoder layers, pooling query, Dense(D -> O).
        const long long D = c.modelWidth, N = c.encoderLayers, Fi = c.feedForwardUnits;
        if (c.vocabulary > 0)
            s.add("embedding.weight", (long long)c.vocabulary + 1, D);
        else
            s.add("input_projection.weight", D, (long long)c.inputs + 1);
        for (long long l = 0; l < N; ++l) {
            const std::string p = "encoder.layers." + std::to_string(l);
            s.add(p + ".self_attn.in_proj_weight", 3 * D, D + 1);
            s.add(p + ".self_attn.out_proj.weight", D, D + 1);
            s.add(p + ".linear1.weight", Fi, D + 1);
            s.add(p + ".linear2.weight", D, Fi + 1);
            s.add(p + ".norms", 4, D);
        }
        s.add("encoder.norm", 2, D);
        s.add("pooling.query", 1, D);
        s.add("output.weight", O, D + 1);
        return s.size();
    }
    const long long H = c.hidden;
    long long D = c.inputs;
    if (c.vocabulary > 0) {
        s.add("embedding.weight", (long long)c.vocabulary + 1, c.embeddingDim);
        D = c.embeddingDim;
    }
    const long long G = c.cell == RecurrentCell::Lstm ? 4 : 3;
    const std::string rnn = c.cell == RecurrentCell::Lstm ? "lstm" : "gru";
    s.add(rnn + ".weight_ih_l0", G * H, D + 2); // + both biases
    s.add(rnn + ".weight_hh_l0", G * H, H);
    long long width = H;
    if (c.attention == AttentionKind::None) {
        // The baseline matches the reference mechanism's parameters with a Dense of W units.
        long long W = c.baselineUnits;
        if (W < 0) {
            long long referenceWidth = 0;
            const long long reference =
                isBaseline(c.baselineReference)
                    ? 0
                    : attentionWeights(c, c.baselineReference, nullptr, &referenceWidth) +
                          O * (referenceWidth + 1);
            W = reference / (H + 1 + O) + 1;
        }
        if (W > 0) {
            s.add("baseline.weight", W, H + 1);
            width = W;
        }
    } else { // "plain" adds nothing: h_T (width H) goes to the output
        attentionWeights(c, c.attention, &s, &width);
    }
    s.add("output.weight", O, width + 1);
    return s.size();
}

void checkModelSize(const ModelConfig &c)
{
    const struct {
        const char *key;
        int value, min, max;
    } limits[] = {{"inputs", c.inputs, 1, kMaxInputs},
                  {"hidden", c.hiddenSetting(), 1, kMaxHidden},
                  {"attention_units", c.attentionUnits, 1, kMaxAttentionUnits},
                  {"outputs", c.outputs, 1, kMaxOutputs},
                  {"steps", c.steps, 0, kMaxSteps},
                  {"heads", c.heads, 1, kMaxHeads},
                  {"model_width", c.modelWidth, 1, kMaxHidden},
                  {"encoder_layers", c.encoderLayers, 1, kMaxEncoderLayers},
                  {"feed_forward_units", c.feedForwardUnits, 1, kMaxFeedForwardUnits},
                  {"local_half_width", c.localHalfWidth, 1, kMaxLocalHalfWidth},
                  {"vocabulary", c.vocabulary, 0, kMaxVocabulary},
                  {"embedding_dim", c.embeddingDim, 1, kMaxEmbeddingDim},
                  {"baseline_units", c.baselineUnits, -1, kMaxBaselineUnits},
                  {"code_units", c.codeUnits, 1, kMaxHidden}};
    for (const auto &l : limits) {
        if (l.value < l.min)
            throw ConfigError(std::string(l.key) + ": " + std::to_string(l.value) +
                              " is less than " + std::to_string(l.min));
        if (l.value > l.max)
            throw ConfigError(std::string(l.key) + ": " + std::to_string(l.value) +
                              " is more than " + std::to_string(l.max));
    }
    const ModelSize size = estimateModelSize(c);
    if (size.parameters > kMaxParameters)
        throw ConfigError("the model would have about " + grouped(size.parameters) +
                          " parameters (largest: " + size.largest + "), more than the " +
                          grouped(kMaxParameters) + " the app can train");
}

} // namespace attn
