// SPDX-License-Identifier: GPL-3.0-or-later
// TrainedModel: weight copies, rebuilding a live model from them, and their files.
#include "core/savedmodel/trainedmodel.h"

#include "core/io/modelfile.h"

namespace attn {

namespace {

/// Dropout masks are never drawn outside training; the seed only has to be fixed.
constexpr std::uint64_t kEvaluationSeed = 0;

std::unique_ptr<Model> freshModel(const ModelSpec &spec)
{
    Rng rng(kEvaluationSeed);
    return makeModel(spec.model, rng, kEvaluationSeed);
}

} // namespace

std::shared_ptr<const TrainedModel> captureTrainedModel(Model &model, const ModelSpec &spec, int epoch)
{
    auto m = std::make_shared<TrainedModel>();
    m->spec = spec;
    m->epoch = epoch;
    for (const ParamRef &p : model.params()) {
        m->names.push_back(p.name);
        m->values.push_back(*p.value);
    }
    return m;
}

std::unique_ptr<Model> buildModel(const TrainedModel &m)
{
    std::unique_ptr<Model> model = freshModel(m.spec);
    const std::vector<ParamRef> params = model->params();
    if (params.size() != m.values.size() || params.size() != m.names.size())
        throw ShapeError("buildModel: " + std::to_string(m.values.size()) + " weights for a model with " +
                         std::to_string(params.size()) + " parameters");
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Mat &v = m.values[i];
        if (params[i].name != m.names[i] || params[i].value->rows() != v.rows() ||
            params[i].value->cols() != v.cols())
            throw ShapeError("buildModel: weight \"" + m.names[i] + "\" (" + std::to_string(v.rows()) +
                             "x" + std::to_string(v.cols()) + ") does not fit parameter \"" +
                             params[i].name + "\"");
    }
    for (std::size_t i = 0; i < params.size(); ++i)
        *params[i].value = m.values[i];
    return model;
}

void saveTrainedModel(const TrainedModel &m, const std::string &path)
{
    // saveModel reads through ParamRefs; point them at a scratch copy so m stays const.
    std::vector<Mat> values = m.values;
    std::vector<ParamRef> params;
    for (std::size_t i = 0; i < values.size(); ++i)
        params.push_back({m.names[i], &values[i], nullptr});
    ModelSpec spec = m.spec;
    spec.epochsTrained = m.epoch;
    const std::string json = modelSpecToJson(spec);
    // The reader refuses an architecture file over kMaxArchitectureBytes: never write one.
    if (json.size() > kMaxArchitectureBytes)
        throw ModelFileError(modelPaths(path).architecture,
                             "not written: it would be " + std::to_string(json.size()) +
                                 " bytes, more than the " + std::to_string(kMaxArchitectureBytes) +
                                 " bytes a model file may have" +
                                 (spec.words.size() > 1
                                      ? " (its vocabulary of " + std::to_string(spec.words.size() - 1) +
                                            " words is most of it: train with a smaller --vocabulary)"
                                      : std::string()));
    saveModel(path, params, json);
}

TrainedModel loadTrainedModel(const std::string &path)
{
    TrainedModel m;
    m.spec = readModelSpec(path);
    m.epoch = m.spec.epochsTrained;
    std::unique_ptr<Model> model; // built once, here: its sizes were checked by readModelSpec
    try {
        model = freshModel(m.spec);
    } catch (const ConfigError &e) {
        throw ModelFileError(modelPaths(path).architecture,
                             std::string("model: does not describe a model: ") + e.what());
    }
    const std::vector<ParamRef> params = model->params();
    loadModelWeights(path, params);
    for (const ParamRef &p : params) {
        m.names.push_back(p.name);
        m.values.push_back(*p.value);
    }
    return m;
}

} // namespace attn
