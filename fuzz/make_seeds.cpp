// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the fuzz_modelfile and fuzz_modelspec seed corpora with the project's own writers:
// usage `fuzz_make_seeds DIR` writes DIR/fuzz_modelfile/ and DIR/fuzz_modelspec/ (both folders
// must exist). The seeds are kept in fuzz/corpus/<target>/; rerun this only when a format or the
// fuzz model (fuzzmodel.h) changes.
#include "core/io/modelfile.h"
#include "core/io/safetensors.h"
#include "core/savedmodel/modelspec.h"
#include "fuzz/fuzzmodel.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

using namespace attn;

/// A CSV model: T = 5 steps of F = 2 values, LSTM(4) -> attention -> Dense(O).
ModelSpec csvSpec(AttentionKind attention, TaskType type)
{
    ModelSpec s;
    s.task = TaskKind::Csv;
    s.model.inputs = 2;
    s.model.hidden = 4;
    s.model.attention = attention;
    s.model.attentionUnits = 3;
    s.model.steps = 5;
    s.steps = 5;
    s.features = 2;
    s.taskType = type;
    s.csv.layout = CsvLayout::WideMultivariate;
    s.csv.features = 2;
    s.csv.target = CsvColumn::named("label");
    s.csv.header = CsvHeader::Yes;
    if (type == TaskType::MultiClass) {
        s.loss = LossKind::SoftmaxCrossEntropy;
        s.model.outputs = 3;
        s.classNames = {"low", "mid", "high"};
        s.textClasses = true;
    } else if (type == TaskType::Binary) {
        s.loss = LossKind::BinaryCrossEntropy;
        s.classNames = {"0", "1"};
    } else {
        s.loss = LossKind::Mse;
        s.scaling.target.setStatistics({12.5}, {2.0});
    }
    s.scaling.input.setStatistics({0.5, -1.0}, {0.25, 3.0});
    s.epochsTrained = 7;
    return s;
}

/// The spec as NAME.json in dir, after checking that it reads back.
void writeSpec(const std::string &dir, const std::string &name, const ModelSpec &spec)
{
    const std::string text = modelSpecToJson(spec);
    (void)modelSpecFromJson(text, name); // throws (and ends the program) if the seed is invalid
    std::ofstream(dir + "/" + name + ".json", std::ios::binary) << text;
}

void writeSpecSeeds(const std::string &dir)
{
    writeSpec(dir, "csv_luong", csvSpec(AttentionKind::Luong, TaskType::Regression));
    ModelSpec s = csvSpec(AttentionKind::Bahdanau, TaskType::MultiClass);
    s.model.cell = RecurrentCell::Gru;
    s.model.dropout = 0.25;
    writeSpec(dir, "csv_bahdanau_gru", s);
    s = csvSpec(AttentionKind::FeedForward, TaskType::Binary);
    s.model.inputDropout = 0.1;
    s.model.recurrentDropout = 0.2;
    writeSpec(dir, "csv_feedforward", s);
    s = csvSpec(AttentionKind::Local, TaskType::Regression);
    s.model.localHalfWidth = 2;
    s.csv.layout = CsvLayout::Series;
    s.csv.window = 5;
    s.csv.date = CsvColumn::automatic();
    writeSpec(dir, "csv_local_series", s);
    s = csvSpec(AttentionKind::None, TaskType::Binary);
    s.model.baselineReference = AttentionKind::LuongDot;
    s.model.baselineUnits = 6;
    writeSpec(dir, "csv_none", s);

    // Sentiment: V = 5 words, Embedding(6, 4) -> LSTM(4) -> self-attention (2 heads, causal).
    s = ModelSpec{};
    s.task = TaskKind::Sentiment;
    s.model.inputs = 1;
    s.model.hidden = 4;
    s.model.attention = AttentionKind::SelfAttention;
    s.model.heads = 2;
    s.model.causal = true;
    s.model.window = 3;
    s.model.vocabulary = 5;
    s.model.embeddingDim = 4;
    s.model.steps = 6;
    s.steps = 6;
    s.features = 1;
    s.taskType = TaskType::Binary;
    s.loss = LossKind::BinaryCrossEntropy;
    s.classNames = {"0", "1"};
    s.words = {"", "good", "bad", "don't", "caf\xc3\xa9", "90s"};
    s.tokenizer.maxLength = 6;
    s.tokenizer.padding = SequenceSide::Pre;
    s.tokenizer.vocabularyLimit = 5;
    writeSpec(dir, "sentiment_self", s);

    // Feature: F = 4 inputs -> feature attention -> Dense(3) -> Dense(1).
    s = ModelSpec{};
    s.task = TaskKind::Feature;
    s.model.architecture = ModelArchitecture::Feature;
    s.model.inputs = 4;
    s.model.attention = AttentionKind::Feature;
    s.model.denseUnits = 3;
    s.model.steps = 1;
    s.steps = 1;
    s.features = 4;
    s.taskType = TaskType::Regression;
    s.loss = LossKind::Mae;
    writeSpec(dir, "feature", s);
}

} // namespace

int main(int argc, char **argv)
{
    using namespace attn;
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const std::string dir = std::string(argv[1]) + "/fuzz_modelfile";
    fuzz::FuzzModel model;
    double v = -1.0;
    for (const ParamRef &p : model.params())
        for (Eigen::Index i = 0; i < p.value->size(); ++i, v += 0.0625)
            p.value->data()[i] = Scalar(v);
    const auto params = model.params();
    // The model as the loader expects it, in both dtypes.
    writeSafetensors(dir + "/model_f32.safetensors", modelTensors(params, TensorDType::F32),
                     {{"format", "pt"}});
    writeSafetensors(dir + "/model_f64.safetensors", modelTensors(params, TensorDType::F64));
    // The same tensors in reverse order, with a metadata block of several keys.
    auto reversed = modelTensors(params, TensorDType::F32);
    std::vector<NamedTensor> back(reversed.rbegin(), reversed.rend());
    writeSafetensors(dir + "/reversed.safetensors", back,
                     {{"format", "pt"}, {"producer", "attention-studio"}, {"note", "h\xc3\xa9"}});
    // Valid files the model rejects: a missing tensor, a wrong shape, an extra tensor.
    auto missing = modelTensors(params, TensorDType::F32);
    missing.pop_back();
    writeSafetensors(dir + "/missing.safetensors", missing);
    auto shaped = modelTensors(params, TensorDType::F32);
    shaped[0].shape = {2, 8};
    writeSafetensors(dir + "/wrong_shape.safetensors", shaped);
    auto extra = modelTensors(params, TensorDType::F64);
    extra.push_back({"extra", TensorDType::F32, {0, 3}, {}});
    extra.push_back({"scalar", TensorDType::F64, {}, {3.5}});
    writeSafetensors(dir + "/extra.safetensors", extra);
    writeSpecSeeds(std::string(argv[1]) + "/fuzz_modelspec");
    std::printf("seeds written to %s/fuzz_modelfile and %s/fuzz_modelspec\n", argv[1], argv[1]);
    return 0;
}
