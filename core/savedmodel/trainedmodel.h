// SPDX-License-Identifier: GPL-3.0-or-later
// A trained model as a value: a copy of its weights with its ModelSpec, made in the training
// thread and handed to the GUI (save, predict) without sharing live buffers; and the save/load
// of that value as NAME.safetensors + NAME.json (core/io/modelfile.h, core/savedmodel/modelspec.h).
#pragma once

#include "core/models/model.h"
#include "core/savedmodel/modelspec.h"

#include <memory>
#include <string>
#include <vector>

namespace attn {

struct TrainedModel {
    ModelSpec spec;
    std::vector<std::string> names; // parameter names, in the model's order
    std::vector<Mat> values;        // the weights, same order and shapes as Model::params()
    int epoch = 0;                  // the epoch after which the weights were copied (0: untrained)
};

/// Copies model's weights. spec must describe model (its config is not re-checked here).
std::shared_ptr<const TrainedModel> captureTrainedModel(Model &model, const ModelSpec &spec, int epoch);

/// Builds a model from m.spec.model and copies m's weights into it. Throws ConfigError if the
/// config does not build a model, ShapeError if a weight's name or shape differs from the
/// built model's.
std::unique_ptr<Model> buildModel(const TrainedModel &m);

/// Writes modelPaths(path): the weights under their PyTorch names and the spec as JSON.
/// Throws SafetensorsError / ModelFileError (core/io/modelfile.h) when a file cannot be written,
/// ModelFileError (nothing written) when NAME.json would exceed kMaxArchitectureBytes, the size
/// loadTrainedModel reads (a sentiment model with a vocabulary of about a million long words).
void saveTrainedModel(const TrainedModel &m, const std::string &path);

/// Reads both files of modelPaths(path): the spec first (ModelFileError naming the JSON entry at
/// fault), then builds its model once (ModelFileError "model: does not describe a model: ..."
/// for sizes that do not combine) and loads the weights (SafetensorsError for a corrupt file,
/// ModelFileError for a missing, extra or mis-shaped tensor). Nothing is returned half-loaded.
TrainedModel loadTrainedModel(const std::string &path);

} // namespace attn
