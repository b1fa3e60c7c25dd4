// SPDX-License-Identifier: GPL-3.0-or-later
// ModelSpec <-> NAME.json with nlohmann-json. Reading checks every key's presence and type and
// names the first one at fault as a JSON path ("model.hidden: expected an integer").
#include "core/savedmodel/modelspec.h"

#include "core/models/modellimits.h"
#include "core/savedmodel/layerlist.h"

#include "core/io/modelfile.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

namespace attn {

namespace {

using Json = nlohmann::ordered_json;

std::string sideName(SequenceSide s) { return s == SequenceSide::Pre ? "pre" : "post"; }

std::string headerName(CsvHeader h)
{
    return h == CsvHeader::Yes ? "yes" : h == CsvHeader::No ? "no" : "auto";
}

std::string columnText(const CsvColumn &c)
{
    switch (c.kind) {
    case CsvColumn::Kind::None: return "";
    case CsvColumn::Kind::Auto: return "auto";
    case CsvColumn::Kind::First: return "first";
    case CsvColumn::Kind::Last: return "last";
    case CsvColumn::Kind::Index: return std::to_string(c.index);
    case CsvColumn::Kind::Name: return c.name;
    }
    return "";
}

// Overloads so Reader::choice can name every enum the same way.
std::string toString(CsvHeader h) { return headerName(h); }
std::string toString(SequenceSide s) { return sideName(s); }

Json statistics(const Standardizer &s)
{
    if (!s.isFitted())
        return nullptr;
    return Json{{"mean", s.mean()}, {"scale", s.scale()}};
}

const char *architectureName(ModelArchitecture a)
{
    return a == ModelArchitecture::Feature ? "feature" : a == ModelArchitecture::Autoencoder ? "autoencoder" : "sequence";
}

// --- reading -------------------------------------------------------------------------------

class Reader {
public:
    explicit Reader(std::string file) : m_file(std::move(file)) {}

    [[noreturn]] void fail(const std::string &path, const std::string &what) const
    {
        throw ModelFileError(m_file, path + ": " + what);
    }
    const Json &at(const Json &o, const std::string &key, const std::string &path) const
    {
        const auto it = o.find(key);
        if (it == o.end())
            fail(path + key, "missing");
        return *it;
    }
    const Json &object(const Json &o, const std::string &key, const std::string &path) const
    {
        const Json &v = at(o, key, path);
        if (!v.is_object())
            fail(path + key, "expected an object");
        return v;
    }
    int integer(const Json &o, const std::string &key, const std::string &path) const
    {
        const Json &v = at(o, key, path);
        if (!v.is_number_integer() || v.get<long long>() < -1 || v.get<long long>() > 1'000'000'000)
            fail(path + key, "expected a whole number from -1 to 1000000000");
        return v.get<int>();
    }
    double number(const Json &o, const std::string &key, const std::string &path) const
    {
        const Json &v = at(o, key, path);
        if (!v.is_number())
            fail(path + key, "expected a number");
        return v.get<double>();
    }
    bool boolean(const Json &o, const std::string &key, const std::string &path) const
    {
        const Json &v = at(o, key, path);
        if (!v.is_boolean())
            fail(path + key, "expected true or false");
        return v.get<bool>();
    }
    std::string text(const Json &o, const std::string &key, const std::string &path) const
    {
        const Json &v = at(o, key, path);
        if (!v.is_string())
            fail(path + key, "expected a string");
        return v.get<std::string>();
    }
    std::vector<std::string> texts(const Json &o, const std::string &key, const std::string &path) const
    {
        const Json &v = at(o, key, path);
        if (!v.is_array())
            fail(path + key, "expected an array of strings");
        std::vector<std::string> out;
        for (const Json &e : v) {
            if (!e.is_string())
                fail(path + key, "expected an array of strings");
            out.push_back(e.get<std::string>());
        }
        return out;
    }
    std::vector<double> numbers(const Json &o, const std::string &key, const std::string &path) const
    {
        const Json &v = at(o, key, path);
        if (!v.is_array())
            fail(path + key, "expected an array of numbers");
        std::vector<double> out;
        for (const Json &e : v) {
            if (!e.is_number())
                fail(path + key, "expected an array of numbers");
            out.push_back(e.get<double>());
        }
        return out;
    }
    /// A name that must be one of the values of toString over `all`.
    template <typename E>
    E choice(const Json &o, const std::string &key, const std::string &path,
             const std::vector<E> &all) const
    {
        const std::string name = text(o, key, path);
        std::string list;
        for (E e : all) {
            if (toString(e) == name)
                return e;
            list += (list.empty() ? "" : ", ") + toString(e);
        }
        fail(path + key, "unknown value \"" + name + "\" (expected one of " + list + ")");
    }
    void statistics(const Json &o, const std::string &key, const std::string &path, int size,
                    Standardizer &out) const
    {
        const Json &v = at(o, key, path);
        if (v.is_null())
            return;
        if (!v.is_object())
            fail(path + key, "expected an object or null");
        std::vector<double> mean = numbers(v, "mean", path + key + ".");
        std::vector<double> scale = numbers(v, "scale", path + key + ".");
        if (int(mean.size()) != size || int(scale.size()) != size)
            fail(path + key, std::to_string(mean.size()) + " means and " +
                                 std::to_string(scale.size()) + " scales (expected " +
                                 std::to_string(size) + " of each)");
        try {
            out.setStatistics(std::move(mean), std::move(scale));
        } catch (const DataError &e) {
            fail(path + key, e.what());
        }
    }

private:
    std::string m_file;
};

} // namespace

std::string modelSpecToJson(const ModelSpec &spec)
{
    const ModelConfig &m = spec.model;
    Json j;
    j["format"] = kModelFormat;
    j["version"] = kModelFormatVersion;
    j["task"] = toString(spec.task);
    j["epochs_trained"] = spec.epochsTrained;
    j["layers"] = layerList(spec);
    j["model"] = {
        {"architecture", architectureName(m.architecture)},
        {"inputs", m.inputs}, {"hidden", m.hiddenSetting()}, {"attention", toString(m.attention)},
        {"attention_units", m.attentionUnits}, {"dropout", m.dropout}, {"outputs", m.outputs},
        {"cell", toString(m.cell)}, {"steps", m.steps}, {"heads", m.heads}, {"causal", m.causal},
        {"window", m.window}, {"local_half_width", m.localHalfWidth},
        {"vocabulary", m.vocabulary}, {"embedding_dim", m.embeddingDim},
        {"input_dropout", m.inputDropout}, {"recurrent_dropout", m.recurrentDropout},
        {"baseline_reference", toString(m.baselineReference)},
        {"baseline_units", m.baselineUnits}, {"mask_padding", m.maskPadding},
        {"model_width", m.modelWidth}, {"encoder_layers", m.encoderLayers},
        {"feed_forward_units", m.feedForwardUnits}, {"pre_norm", m.preNorm},
        {"encoder_dropout", m.encoderDropout},
        {"instance_norm", m.instanceNorm}, {"instance_norm_feature", m.instanceNormFeature},
        {"code_units", m.codeUnits}, {"attention_on_inputs", m.attentionOnInputs}, {"attention_noise", m.attentionNoise},
        {"init", toString(m.init)},
    };
    j["loss"] = toString(spec.loss);
    j["outputs"] = {{"type", toString(spec.taskType)},
                    {"classes", spec.classNames},
                    {"text_classes", spec.textClasses},
                    {"target_standardization", statistics(spec.scaling.target)}};
    j["inputs"] = {{"steps", spec.steps},
                   {"features", spec.features},
                   {"layout", "time-major rows of T*F values: column t*F + f"},
                   {"standardization", statistics(spec.scaling.input)}};
    const CsvOptions &c = spec.csv;
    j["csv"] = {{"layout", toString(c.layout)}, {"target", columnText(c.target)},
                {"delimiter", toString(c.delimiter)}, {"header", headerName(c.header)},
                {"quoting", c.quoting}, {"features", c.features},
                {"sequence_id", columnText(c.sequenceId)}, {"window", c.window},
                {"date", columnText(c.date)}};
    if (!spec.words.empty())
        j["tokenizer"] = {{"max_length", spec.tokenizer.maxLength},
                          {"padding", sideName(spec.tokenizer.padding)},
                          {"truncation", sideName(spec.tokenizer.truncation)},
                          {"vocabulary_limit", spec.tokenizer.vocabularyLimit},
                          {"words", spec.words}};
    return j.dump(2) + "\n";
}

ModelSpec modelSpecFromJson(std::string_view text, const std::string &file)
{
    Json j;
    try {
        j = Json::parse(text);
    } catch (const Json::exception &e) { // parse_error, or out_of_range for a number like 1e999
        throw ModelFileError(file, std::string("architecture is not valid JSON: ") + e.what());
    }
    const Reader r(file);
    if (!j.is_object())
        throw ModelFileError(file, "architecture is not a JSON object");
    if (const std::string format = r.text(j, "format", ""); format != kModelFormat)
        r.fail("format", "\"" + format + "\" is not \"" + kModelFormat + "\"");
    if (const int v = r.integer(j, "version", ""); v > kModelFormatVersion || v < 1)
        r.fail("version", std::to_string(v) + " (this program reads version " +
                              std::to_string(kModelFormatVersion) + ")");
    ModelSpec s;
    {
        const std::string name = r.text(j, "task", "");
        const auto task = anyTaskKindFromString(name);
        if (!task)
            r.fail("task", "unknown task \"" + name + "\"");
        s.task = *task;
    }
    if (j.contains("epochs_trained"))
        s.epochsTrained = r.integer(j, "epochs_trained", "");
    const Json &m = r.object(j, "model", "");
    const std::string p = "model.";
    ModelConfig &c = s.model;
    const std::string arch = r.text(m, "architecture", p);
    if (arch != "sequence" && arch != "feature" && arch != "autoencoder")
        r.fail(p + "architecture", "expected \"sequence\", \"feature\" or \"autoencoder\"");
    c.architecture = arch == "feature"       ? ModelArchitecture::Feature
                     : arch == "autoencoder" ? ModelArchitecture::Autoencoder
                                             : ModelArchitecture::Sequence;
    c.inputs = r.integer(m, "inputs", p);
    c.hiddenSetting() = r.integer(m, "hidden", p); // after the architecture it depends on
    c.attention = r.choice(m, "attention", p, allAttentionKinds());
    c.attentionUnits = r.integer(m, "attention_units", p);
    c.dropout = r.number(m, "dropout", p);
    c.outputs = r.integer(m, "outputs", p);
    c.cell = r.choice(m, "cell", p, std::vector{RecurrentCell::Lstm, RecurrentCell::Gru});
    c.steps = r.integer(m, "steps", p);
    c.heads = r.integer(m, "heads", p);
    c.causal = r.boolean(m, "causal", p);
    c.window = r.integer(m, "window", p);
    c.localHalfWidth = r.integer(m, "local_half_width", p);
    c.vocabulary = r.integer(m, "vocabulary", p);
    c.embeddingDim = r.integer(m, "embedding_dim", p);
    c.inputDropout = r.number(m, "input_dropout", p);
    c.recurrentDropout = r.number(m, "recurrent_dropout", p);
    c.baselineReference = r.choice(m, "baseline_reference", p, allAttentionKinds());
    c.baselineUnits = r.integer(m, "baseline_units", p);
    // Files written before padding masks existed have no "mask_padding": they were unmasked.
    c.maskPadding = m.contains("mask_padding") && r.boolean(m, "mask_padding", p);
    // The Transformer's settings; files written before it have none (the defaults of model.h).
    if (m.contains("model_width"))
        c.modelWidth = r.integer(m, "model_width", p);
    if (m.contains("encoder_layers"))
        c.encoderLayers = r.integer(m, "encoder_layers", p);
    if (m.contains("feed_forward_units"))
        c.feedForwardUnits = r.integer(m, "feed_forward_units", p);
    if (m.contains("pre_norm"))
        c.preNorm = r.boolean(m, "pre_norm", p);
    if (m.contains("encoder_dropout"))
        c.encoderDropout = r.number(m, "encoder_dropout", p);
    // Files written before instance normalisation have none: off.
    if (m.contains("instance_norm"))
        c.instanceNorm = r.boolean(m, "instance_norm", p);
    if (m.contains("instance_norm_feature"))
        c.instanceNormFeature = r.integer(m, "instance_norm_feature", p);
    // The autoencoder's settings; files written before it have none (the defaults of model.h).
    if (m.contains("code_units"))
        c.codeUnits = r.integer(m, "code_units", p);
    if (m.contains("attention_on_inputs"))
        c.attentionOnInputs = r.boolean(m, "attention_on_inputs", p);
    if (m.contains("attention_noise"))
        c.attentionNoise = r.number(m, "attention_noise", p);
    // Files written before the initialisation option have none: Keras', the only one then.
    if (m.contains("init"))
        c.init = r.choice(m, "init", p, std::vector{WeightInit::Keras, WeightInit::PyTorch});
    // Sizes beyond what the app can train are refused before anything is allocated: a damaged
    // file must not make the loader reserve gigabytes. Whether the sizes combine into a model
    // (heads dividing hidden, ...) is found when loadTrainedModel builds it, once.
    try {
        checkModelSize(c);
    } catch (const ConfigError &e) {
        r.fail("model", e.what());
    }
    // The transformer's input projection is scaled by sqrt(D) (transformermodel.h, eq. 1) since
    // files say so in its layer entry; the weights of an older file would give other outputs.
    if (c.attention == AttentionKind::Transformer && c.vocabulary == 0)
        if (const auto layers = j.find("layers"); layers != j.end() && layers->is_array())
            for (const Json &layer : *layers)
                if (layer.is_object() && layer.contains("name") && layer["name"] == "input_projection" &&
                    !layer.contains("scale"))
                    r.fail("layers", "the transformer's input projection has no \"scale\": the file "
                                     "was written before the model multiplied it by sqrt(d_model), "
                                     "and its weights would give other outputs; train it again");
    s.loss = r.choice(j, "loss", "",
                      std::vector{LossKind::Mse, LossKind::Mae, LossKind::BinaryCrossEntropy,
                                  LossKind::SoftmaxCrossEntropy});

    const Json &in = r.object(j, "inputs", "");
    s.steps = r.integer(in, "steps", "inputs.");
    s.features = r.integer(in, "features", "inputs.");
    if (s.steps < 1 || s.features < 1)
        r.fail("inputs", "steps and features must be at least 1");
    if (c.steps != 0 && c.steps != s.steps && c.architecture == ModelArchitecture::Sequence)
        r.fail("inputs.steps", std::to_string(s.steps) + " differs from model.steps " +
                                   std::to_string(c.steps));
    r.statistics(in, "standardization", "inputs.", s.features, s.scaling.input);

    const Json &out = r.object(j, "outputs", "");
    s.taskType = r.choice(out, "type", "outputs.",
                          std::vector{TaskType::Regression, TaskType::Binary, TaskType::MultiClass});
    s.classNames = r.texts(out, "classes", "outputs.");
    s.textClasses = r.boolean(out, "text_classes", "outputs.");
    const std::size_t expectedClasses =
        s.taskType == TaskType::Regression ? 0 : s.taskType == TaskType::Binary ? 2 : std::size_t(c.outputs);
    if (s.classNames.size() != expectedClasses)
        r.fail("outputs.classes", std::to_string(s.classNames.size()) + " classes for a " +
                                      toString(s.taskType) + " model with " +
                                      std::to_string(c.outputs) + " outputs (expected " +
                                      std::to_string(expectedClasses) + ")");
    r.statistics(out, "target_standardization", "outputs.", c.outputs, s.scaling.target);

    const Json &csv = r.object(j, "csv", "");
    const std::string q = "csv.";
    s.csv.layout = r.choice(csv, "layout", q,
                            std::vector{CsvLayout::Wide, CsvLayout::WideMultivariate,
                                        CsvLayout::Long, CsvLayout::Series});
    s.csv.target = CsvColumn::parse(r.text(csv, "target", q));
    s.csv.delimiter = r.choice(csv, "delimiter", q,
                               std::vector{CsvDelimiter::Auto, CsvDelimiter::Comma,
                                           CsvDelimiter::Semicolon, CsvDelimiter::Tab,
                                           CsvDelimiter::Whitespace});
    s.csv.header = r.choice(csv, "header", q, std::vector{CsvHeader::Auto, CsvHeader::Yes, CsvHeader::No});
    s.csv.quoting = r.boolean(csv, "quoting", q);
    s.csv.features = r.integer(csv, "features", q);
    const std::string id = r.text(csv, "sequence_id", q);
    s.csv.sequenceId = id.empty() ? CsvColumn::none() : CsvColumn::parse(id);
    s.csv.window = r.integer(csv, "window", q);
    const std::string date = r.text(csv, "date", q);
    s.csv.date = date == "auto" ? CsvColumn::automatic() : date.empty() ? CsvColumn::none()
                                                                        : CsvColumn::parse(date);
    s.csv.taskType = s.taskType;

    if (const auto t = j.find("tokenizer"); t != j.end()) {
        if (!t->is_object())
            r.fail("tokenizer", "expected an object");
        const std::string k = "tokenizer.";
        s.tokenizer.maxLength = r.integer(*t, "max_length", k);
        s.tokenizer.padding = r.choice(*t, "padding", k, std::vector{SequenceSide::Pre, SequenceSide::Post});
        s.tokenizer.truncation =
            r.choice(*t, "truncation", k, std::vector{SequenceSide::Pre, SequenceSide::Post});
        s.tokenizer.vocabularyLimit = r.integer(*t, "vocabulary_limit", k);
        s.words = r.texts(*t, "words", k);
        if (c.vocabulary > 0 && int(s.words.size()) != c.vocabulary + 1)
            r.fail("tokenizer.words", std::to_string(s.words.size()) + " words for vocabulary " +
                                          std::to_string(c.vocabulary) + " (expected V + 1 = " +
                                          std::to_string(c.vocabulary + 1) + ")");
    } else if (c.vocabulary > 0) {
        r.fail("tokenizer", "missing (the model reads token ids)");
    }
    return s;
}

ModelSpec readModelSpec(const std::string &path)
{
    const std::string file = modelPaths(path).architecture;
    return modelSpecFromJson(readModelArchitecture(path), file);
}

} // namespace attn
