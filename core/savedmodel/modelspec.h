// SPDX-License-Identifier: GPL-3.0-or-later
// Everything besides the weights that a trained model needs to be used again: the model's
// configuration, its loss (how outputs read), the input standardisation, the classes, how its
// CSV files are read and the sentiment vocabulary. Stored as NAME.json beside NAME.safetensors
// (core/io/modelfile.h); the format is documented in docs/model-format.md.
#pragma once

#include "core/models/losskind.h"
#include "core/models/model.h"
#include "core/data/sequencecsv.h"
#include "core/data/task.h"
#include "core/data/tokenizer.h"

#include <string>
#include <string_view>
#include <vector>

namespace attn {

/// The "format" value of every architecture file, and the version this build writes and reads.
inline constexpr const char *kModelFormat = "attention-studio-model";
inline constexpr int kModelFormatVersion = 1;

struct ModelSpec {
    TaskKind task = TaskKind::Add;
    ModelConfig model;  // resolved: inputs F, outputs O, steps T and vocabulary V filled in
    LossKind loss = LossKind::Mse;
    int steps = 0;      // T of the inputs (1 for the feature task)
    int features = 0;   // F per step
    TaskType taskType = TaskType::Regression; // how outputs read (never Auto)
    std::vector<std::string> classNames; // C labels (output k = class k); {"0", "1"} for binary
                                         // tasks without names; empty for regression
    bool textClasses = false;            // the labels are words (csv)
    Scaling scaling;                     // unfitted parts: values used as they are
    // csv: how a file is read for prediction (layout, target column as a 1-based index or
    // name, delimiter, header, F, sequence-id column, window). Other tasks: wide rows of T*F
    // values with an optional target last.
    CsvOptions csv;
    // sentiment: words[id] for id 0..V (words[0] = "" padding) and the tokenizer settings.
    std::vector<std::string> words;
    TokenizerOptions tokenizer;
    int epochsTrained = 0; // epochs behind the saved weights ("epochs_trained"; 0 = untrained)
};

/// The spec as NAME.json: {"format", "version", "task", "layers" (a readable list of the layers
/// with their sizes, for users rebuilding the model in PyTorch), "model", "loss", "outputs",
/// "inputs", "csv", "tokenizer"}; indented, ends with a newline.
std::string modelSpecToJson(const ModelSpec &spec);

/// Parses NAME.json (named `file` in messages). Throws ModelFileError naming the entry at fault:
/// not JSON, another format, a newer version, a missing or mistyped key, an unknown name
/// (task, attention, loss, layout...), sizes beyond the app's limits (checkModelSize,
/// core/models/modellimits.h: checked from the sizes, nothing is built or allocated), statistics
/// whose lengths do not match F, more words than kMaxVocabulary. Whether the sizes combine into a
/// model (heads dividing hidden, ...) is checked when loadTrainedModel builds it.
ModelSpec modelSpecFromJson(std::string_view text, const std::string &file);

/// The first entry of NAME.json in which two specs differ, epochs_trained and the derived
/// layers list aside, as
/// "PATH: SAVED in the model file, RUN in this run" (e.g. "model.hidden: 32 in the model file,
/// 16 in this run", "tokenizer.words[17]: \"good\" in the model file, \"bad\" in this run",
/// "inputs.standardization.mean[0]: ..."); empty when they agree.
std::string modelSpecDifference(const ModelSpec &saved, const ModelSpec &run);

/// Reads the architecture file of modelPaths(path) and parses it (modelSpecFromJson).
ModelSpec readModelSpec(const std::string &path);

} // namespace attn
