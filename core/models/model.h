// SPDX-License-Identifier: GPL-3.0-or-later
// What every trainable model offers the Trainer (forward, backward, parameters, attention
// weights), the configuration that builds one, and the no-attention baseline's width rule.
// The models implementing it: SequenceModel (recurrent layer -> attention -> Dense,
// sequencemodel.h), FeatureModel (feature attention -> Dense -> Dense, featuremodel.h),
// TransformerModel, InstanceNormModel (a wrapper) and AutoencoderModel (autoencodermodel.h).
#pragma once

#include "core/tensor/rng.h"
#include "core/tensor/tensor.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace attn {

/// The attention mechanisms (docs/architecture.md, "Index"), plus the no-attention baseline.
enum class AttentionKind {
    Luong,         // "luong": general score, luongattention.h
    LuongDot,      // "luong-dot": dot score
    Bahdanau,      // "bahdanau": additive score, bahdanauattention.h
    FeedForward,   // "feed-forward": Raffel & Ellis, feedforwardattention.h
    Local,         // "local": Luong local-p, localattention.h
    LocalMonotonic, // "local-m": Luong local-m, window [T-1-D, T-1]; localmonotonicattention.h
    SelfAttention, // "self": multi-head scaled dot-product, pooled; selfattention.h
    Transformer,   // "transformer": encoder stack + attention pooling, no recurrent layer; transformermodel.h
    Feature,       // "feature": softmax over the input features (FeatureModel only)
    None,          // "none": no attention; the last state (or the input) feeds Dense layers
    Plain,         // "plain": no attention; the last hidden state straight into the final Dense
                   // (the sentiment blog's plain LSTM), whatever the parameter count
};

/// "luong", "luong-dot", "bahdanau", "feed-forward", "local", "local-m", "self", "transformer",
/// "feature", "none", "plain".
std::string toString(AttentionKind kind);
/// Inverse of toString; nullopt for an unknown name.
std::optional<AttentionKind> attentionKindFromString(const std::string &name);
/// True for the kinds without attention weights: "none" and "plain".
inline bool isBaseline(AttentionKind kind) { return kind == AttentionKind::None || kind == AttentionKind::Plain; }
/// Every kind, in the order above (for pickers and option messages).
std::vector<AttentionKind> allAttentionKinds();

enum class RecurrentCell { Lstm, Gru };
/// "lstm", "gru".
std::string toString(RecurrentCell cell);
std::optional<RecurrentCell> recurrentCellFromString(const std::string &name);

/// How makeModel draws the initial weights: Keras' initialisers (the layers' own, as
/// keras-attention; the app's default) or torch.nn's defaults (pytorchinit.h, docs/parity.md).
enum class WeightInit { Keras, PyTorch };
/// "keras", "pytorch".
std::string toString(WeightInit init);
std::optional<WeightInit> weightInitFromString(const std::string &name);

/// Which model a config builds.
enum class ModelArchitecture {
    Sequence, // x (T*B, F) -> [Embedding -> Dropout] -> LSTM/GRU -> attention -> Dropout -> Dense: SequenceModel
    Feature,  // x (B, F), one step per sample -> feature attention -> Dense -> Dense: FeatureModel
    Autoencoder, // x (B, F) -> dense encoder with attention -> tied decoder -> x^ (B, F): AutoencoderModel
};
/// Feature and Autoencoder take one vector of F values per sample (T = 1) and attend over its
/// features: attention (B, F), ground truth (N, F).
inline bool attendsOverFeatures(ModelArchitecture a) { return a != ModelArchitecture::Sequence; }

struct ModelConfig {
    int inputs = 1;           // F (1 when the inputs are token ids)
    int hidden = 100;         // H: recurrent units of the SequenceModel (unused by the FeatureModel)
    AttentionKind attention = AttentionKind::Luong;
    int attentionUnits = 128; // U: output width of luong, bahdanau and local (feed-forward and self output H)
    double dropout = 0.0;     // before the last Dense layer
    int outputs = 1;          // O
    // The fields below were appended so that aggregate initialisation of the ones above still works.
    ModelArchitecture architecture = ModelArchitecture::Sequence;
    RecurrentCell cell = RecurrentCell::Lstm;
    int steps = 0;            // T; feed-forward attention needs it (one bias per step). 0 = the Trainer takes it from the task
    int heads = 1;            // K: self-attention heads (H must be divisible by K)
    bool causal = false;      // self-attention: each step sees only itself and the past
    int window = 0;           // self-attention window width w: |t - s| < w (0 = no window)
    int localHalfWidth = 4;   // D: local-p's Gaussian has sigma = D / 2; local-m's window is [T-1-D, T-1]
    int vocabulary = 0;       // V > 0: x holds token ids 0..V (0 = padding) fed to Embedding(V+1, E); the Trainer takes it from the task
    int embeddingDim = 32;    // E
    double inputDropout = 0.0;     // recurrent layer: dropout on x_t, one mask per sequence
    double recurrentDropout = 0.0; // recurrent layer: dropout on h_{t-1}, one mask per sequence
    // "none" only: the mechanism whose parameter count the baseline matches (the task's published
    // one), and the width W of the baseline's hidden Dense; < 0 = chosen by baselineWidth().
    AttentionKind baselineReference = AttentionKind::Luong;
    int baselineUnits = -1;
    int denseUnits = 64;      // FeatureModel: width of the Dense after the feature attention
    // Padding mask (Keras mask_zero, PyTorch key_padding_mask) for data that has padding
    // (Dataset::mask: sentiment's token id 0, shorter CSV sequences): padding steps get exactly 0
    // attention and the recurrent layer carries its state through them. false = the unmasked
    // behaviour (padding is read like any step). No effect on data without padding. A model
    // file without the field is unmasked (modelspec.h).
    bool maskPadding = true;
    // "transformer" only (transformermodel.h): d_model D, encoder layers N, the feed-forward
    // inner width F', pre-norm instead of the paper's post-norm, the residual dropout rate. The
    // heads are `heads` (K must divide D); `hidden` is unused.
    int modelWidth = 32;
    int encoderLayers = 2;
    int feedForwardUnits = 64;
    bool preNorm = false;
    double encoderDropout = 0.0;
    // Forecasts: standardise each window by its own mean and spread and put the forecast back
    // on the window's level (RevIN; InstanceNormModel, instancenormmodel.h). The feature k
    // whose statistics rescale the output is the series. A model file without the field has
    // it off (modelspec.h).
    bool instanceNorm = false;
    int instanceNormFeature = 0;
    // The autoencoder (autoencodermodel.h): `hidden` is the first encoder layer's width H1,
    // codeUnits the second's (the code) H2; inputDropout is the dropout on x, dropout the one on
    // the code. The attention block sits after the first encoder layer (the Q&A's place), or
    // with attentionOnInputs on the inputs (the feature-selection demo's place).
    int codeUnits = 128;
    bool attentionOnInputs = false;
    // Training only: Gaussian noise of std attentionNoise / W added after the attention multiply
    // (W its width), so that a small weight cannot be undone by the next layer's scale: the
    // softmax then shares out a signal-to-noise budget (docs/tasks.md, "autoencoder"). 0 = none.
    double attentionNoise = 0.0;
    // Token inputs: inverted dropout on every element of the embedding output (T*B, E), a new
    // mask per step (Keras' Dropout after its Embedding, keras-attention's examples/imdb.py).
    double embeddingDropout = 0.0;
    // Feed-forward attention's w drawn from N(0, 0.05^2), Keras' "normal" initialiser (the
    // sentiment blog's attention layer), instead of Glorot-uniform; the bias is zero either way.
    bool normalAttentionInit = false;
    // The initial weights: Keras' initialisers (each layer's own) or, with PyTorch, every
    // parameter redrawn as torch.nn's default for the equivalent module (pytorchinit.h; the
    // option docs/parity.md's Luong-on-add comparison calls for). normalAttentionInit has no
    // effect with PyTorch. A model file without the field is Keras (modelspec.h).
    WeightInit init = WeightInit::Keras;

    /// The one "hidden units" setting of the command line (--hidden), the GUI, session files and
    /// the architecture JSON's "hidden" key: hidden (H) for the SequenceModel, denseUnits for
    /// the FeatureModel.
    int &hiddenSetting() { return architecture == ModelArchitecture::Feature ? denseUnits : hidden; }
    int hiddenSetting() const { return architecture == ModelArchitecture::Feature ? denseUnits : hidden; }
};

/// A trainable model. Layout as in tensor.h: x (T*B, F) time-major; the FeatureModel has T = 1.
class Model {
public:
    virtual ~Model() = default;
    /// Allocates every workspace for T steps of B sequences; no-op if unchanged.
    /// Throws ShapeError for a T the model cannot take (e.g. feed-forward attention's fixed T).
    virtual void resize(int steps, int batch) = 0;
    /// x (T*B, F) -> predictions / logits (B, O). Valid until the next forward. training turns
    /// dropout on. Throws ShapeError on a shape mismatch, DataError on a bad token id.
    virtual const Mat &forward(const ConstMatRef &x, bool training) = 0;
    /// The padding mask (B, T) of the next forward/backward passes (1 = real step, 0 = padding),
    /// or an empty matrix (no padding). Ignored unless config().maskPadding; the FeatureModel
    /// has no steps and ignores it. Stays until the next call.
    virtual void setPaddingMask(const ConstMatRef & /*mask*/) {}
    /// dOut (B, O) = dL/d(output) of the last forward (already divided by B in the loss); adds
    /// every parameter gradient and writes inputGradient().
    virtual void backward(const ConstMatRef &x, const ConstMatRef &dOut) = 0;
    /// dL/du of the last backward, (T*B, D) time-major (the FeatureModel: (B, F)): the gradient
    /// with respect to the differentiable input u, which is x itself for number inputs (D = F)
    /// and the embedding output for token ids (D = E; ids are not differentiable). Includes the
    /// input dropout mask of a training forward. Preallocated by resize(); the last backward's
    /// values (unspecified before the first one). Used by the attributions of core/explain.
    virtual const Mat &inputGradient() const = 0;
    /// D, the width of the differentiable input: E for token ids, else F.
    virtual int inputWidth() const { return m_config.inputs; }
    /// x (T*B, F) -> the differentiable input u (T*B, D) into out: the embedding lookup for token
    /// ids, a copy of x otherwise. Throws ShapeError on a shape mismatch, DataError on a bad id.
    virtual void embedInputs(const ConstMatRef &x, MatRef out) const;
    /// Evaluation forward (dropout off) from the differentiable input u (T*B, D) (embedInputs):
    /// a token model skips its embedding lookup and reads u as the embedding output; other
    /// models run forward(u, false). A following backward(u, dOut) writes inputGradient() and
    /// every parameter gradient except the embedding's (u holds no ids). Throws ShapeError on a
    /// shape mismatch. Used by integrated gradients (core/explain), which interpolate in u.
    virtual const Mat &forwardEmbedded(const ConstMatRef &u) { return forward(u, false); }
    virtual void zeroGrad() = 0;
    /// Every parameter with its gradient, PyTorch-style names ("lstm.weight_ih_l0", ...).
    virtual std::vector<ParamRef> params() = 0;
    long long parameterCount();
    /// Attention weights of the last forward: (B, T) for sequence models, (B, F) for the
    /// FeatureModel; an empty (0 x 0) matrix for the no-attention baseline.
    virtual const Mat &attentionWeights() const = 0;
    /// Counterfactual attention (core/explain): the weights (B, T) (the FeatureModel: (B, F))
    /// the following forward passes use in place of the computed ones, or an empty matrix: back
    /// to the computed weights (ManyToOneAttention::setWeightOverride; for evaluation only: a
    /// backward after an overridden forward throws ConfigError). Throws ConfigError for the
    /// no-attention baseline; the shape is checked by forward (ShapeError).
    virtual void setAttentionOverride(const ConstMatRef &weights);
    /// K for self-attention, N K for the Transformer (every layer's heads), 0 for other models.
    virtual int attentionHeads() const { return 0; }
    /// The layers the attentionHeads() maps come from: N for the Transformer (map l K + k is
    /// head k of layer l), 1 for self-attention, 0 without head maps.
    virtual int attentionLayers() const { return attentionHeads() > 0 ? 1 : 0; }
    /// Self-attention: copies the (T, T) map (row = query step, column = key step) of head
    /// `head` (0..K-1, or -1 for the mean over heads) for sequence `sequence` of the last
    /// forward into out. Throws ShapeError for other models or out-of-range arguments.
    virtual void attentionHeadMap(int sequence, int head, MatRef out) const;
    const ModelConfig &config() const { return m_config; }
    int steps() const { return m_steps; }
    int batch() const { return m_batch; }

protected:
    explicit Model(const ModelConfig &config) : m_config(config) {}
    ModelConfig m_config;
    int m_steps = 0;
    int m_batch = 0;
};

/// Builds the model the config describes (SequenceModel or FeatureModel), weights from
/// initRng (with config.init PyTorch, redrawn from initRng after construction by
/// applyPytorchInit, pytorchinit.h), dropout masks from dropoutSeed. Throws ConfigError on an invalid config: sizes < 1,
/// sizes beyond the app's limits (checkModelSize, core/models/modellimits.h),
/// a mechanism the architecture cannot use ("feature" outside the FeatureModel, a sequence
/// mechanism inside it), feed-forward attention without steps, self-attention with H not
/// divisible by K, token inputs with inputs != 1, a dropout rate outside [0, 1).
std::unique_ptr<Model> makeModel(const ModelConfig &config, Rng &initRng, std::uint64_t dropoutSeed);

/// The number of trainable parameters of the model the config builds (built once, scratch Rng).
/// Throws like makeModel.
long long parameterCount(const ModelConfig &config);

/// Width W of the no-attention baseline's hidden Dense, as in the keras-attention IMDB
/// comparison (LSTM(100) -> Dense(350, relu) against LSTM(100) -> attention: "same number of
/// parameters so fair comparison"). The target is the parameter count P of the same config with
/// attention = config.baselineReference. If the baseline without a hidden layer (last state, or
/// the input, straight into the final Dense) is already within 5% of P, W = 0: no layer is added
/// (the case of feed-forward attention, whose H + T parameters are a rounding error). Otherwise W
/// is the width >= 1 whose parameter count is closest to P (one unit changes the count by D + 1 + O,
/// D = H or F, so the closest W is well within 5%). Returns 0 if the reference is "none".
int baselineWidth(const ModelConfig &config);

} // namespace attn
