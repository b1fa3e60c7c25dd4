// SPDX-License-Identifier: GPL-3.0-or-later
// Model save/load: parameters <-> NAME.safetensors under PyTorch names and shapes, architecture
// JSON <-> NAME.json. Loading checks names and shapes of all tensors before copying any.
#include "core/io/modelfile.h"

#include "core/fileio/boundedread.h"

#include "core/fileio/atomicfile.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <unordered_map>
#include <unordered_set>

namespace attn {

namespace {

using Json = nlohmann::json;

bool endsWith(const std::string &s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void requireValue(const ParamRef &p)
{
    if (p.value == nullptr)
        throw std::invalid_argument("parameter \"" + p.name + "\" has no value matrix");
}

/// Throws std::invalid_argument for a null value or a repeated name.
void checkParams(const std::vector<ParamRef> &params)
{
    std::unordered_set<std::string_view> names;
    for (const ParamRef &p : params) {
        requireValue(p);
        if (!names.insert(p.name).second)
            throw std::invalid_argument("two parameters are named \"" + p.name + "\"");
    }
}

/// Validates JSON text without building a document; remembers what the top-level value is.
class ArchitectureSax final : public nlohmann::json_sax<Json> {
public:
    std::string firstKind; // "" until the first event; "object" for a JSON object
    std::string error;

    bool null() override { return first("null"); }
    bool boolean(bool v) override { return first(v ? "true" : "false"); }
    bool number_integer(number_integer_t) override { return first("a number"); }
    bool number_unsigned(number_unsigned_t) override { return first("a number"); }
    bool number_float(number_float_t, const string_t &) override { return first("a number"); }
    bool string(string_t &) override { return first("a string"); }
    bool binary(binary_t &) override { return first("binary data"); }
    bool start_object(std::size_t) override { return first("object"); }
    bool key(string_t &) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return first("an array"); }
    bool end_array() override { return true; }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &ex) override
    {
        error = jsonParseErrorText(ex.what());
        return false;
    }

private:
    bool first(const char *kind)
    {
        if (firstKind.empty())
            firstKind = kind;
        return true;
    }
};

} // namespace

ModelFileError::ModelFileError(std::string f, std::string m)
    : std::runtime_error(f + ": " + m), file(std::move(f)), message(std::move(m))
{
}

ModelPaths modelPaths(const std::string &path)
{
    std::string base = path;
    for (std::string_view extension : {std::string_view(".safetensors"), std::string_view(".json")})
        if (endsWith(base, extension)) {
            base.erase(base.size() - extension.size());
            break;
        }
    return {base + ".safetensors", base + ".json"};
}

namespace {

/// Vectors in torch that older files held as [1, n]: the weight of a LayerNorm named as in
/// nn.TransformerEncoder(Layer) ("norm1.weight", "encoder.norm.weight") and a bias whose name
/// ends in "_bias" (nn.MultiheadAttention's "in_proj_bias").
bool isLateVector(std::string_view name)
{
    const auto dot = name.rfind('.');
    const std::string_view last = name.substr(dot == std::string_view::npos ? 0 : dot + 1);
    if (last.size() > 5 && last.substr(last.size() - 5) == "_bias")
        return true;
    if (dot == std::string_view::npos || dot == 0 || last != "weight")
        return false;
    const auto start = name.rfind('.', dot - 1);
    const std::string_view module = name.substr(start == std::string_view::npos ? 0 : start + 1);
    return module.substr(0, 4) == "norm";
}

} // namespace

std::vector<std::int64_t> torchShape(const ParamRef &param)
{
    requireValue(param);
    const auto dot = param.name.rfind('.');
    const std::string_view last =
        std::string_view(param.name).substr(dot == std::string::npos ? 0 : dot + 1);
    if (param.value->rows() == 1 && (last.substr(0, 4) == "bias" || isLateVector(param.name)))
        return {std::int64_t(param.value->cols())};
    return {std::int64_t(param.value->rows()), std::int64_t(param.value->cols())};
}

std::string shapeToString(const std::vector<std::int64_t> &shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0)
            s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

std::vector<NamedTensor> modelTensors(const std::vector<ParamRef> &params, TensorDType dtype)
{
    std::vector<NamedTensor> tensors;
    tensors.reserve(params.size());
    for (const ParamRef &p : params) {
        NamedTensor t;
        t.name = p.name;
        t.dtype = dtype;
        t.shape = torchShape(p);
        // Mat is row-major: its storage order is the tensor's row-major order.
        t.data.assign(p.value->data(), p.value->data() + p.value->size());
        tensors.push_back(std::move(t));
    }
    return tensors;
}

void saveModel(const std::string &path, const std::vector<ParamRef> &params,
               const std::string &architectureJson, TensorDType dtype)
{
    const ModelPaths paths = modelPaths(path);
    parseModelArchitecture(architectureJson, paths.architecture);
    const std::string weights =
        encodeSafetensors(modelTensors(params, dtype), {{"format", "pt"}}, paths.weights);
    const std::string architecture =
        endsWith(architectureJson, "\n") ? architectureJson : architectureJson + "\n";
    // Both files are written and checked before either replaces the old pair.
    writeFilesAtomically({{paths.weights, weights}, {paths.architecture, architecture}});
}

void loadModelWeights(const std::string &path, const std::vector<ParamRef> &params)
{
    checkParams(params); // argument errors before file errors
    loadModelWeights(readSafetensors(modelPaths(path).weights), params);
}

void loadModelWeights(const SafetensorsFile &file, const std::vector<ParamRef> &params)
{
    std::unordered_map<std::string_view, const NamedTensor *> byName;
    for (const NamedTensor &t : file.tensors)
        byName.emplace(t.name, &t); // names are unique in a parsed file
    checkParams(params);
    std::unordered_set<std::string_view> expected;
    for (const ParamRef &p : params)
        expected.insert(p.name);

    // Validate everything first: no Mat is touched unless the whole file fits.
    std::vector<const NamedTensor *> sources;
    sources.reserve(params.size());
    for (const ParamRef &p : params) {
        const std::vector<std::int64_t> shape = torchShape(p);
        const auto it = byName.find(p.name);
        if (it == byName.end())
            throw ModelFileError(file.file, "missing tensor " + quoteForMessage(p.name) +
                                                " (expected shape " + shapeToString(shape) + ")");
        // Files written before LayerNorm weights and in_proj_bias were vectors hold them as
        // [1, n]: the same values.
        const bool legacy = shape.size() == 1 && isLateVector(p.name) &&
                            it->second->shape == std::vector<std::int64_t>{1, shape[0]};
        if (it->second->shape != shape && !legacy)
            throw ModelFileError(file.file, "tensor " + quoteForMessage(p.name) + " has shape " +
                                                shapeToString(it->second->shape) + ", expected " +
                                                shapeToString(shape));
        sources.push_back(it->second);
    }
    for (const NamedTensor &t : file.tensors)
        if (!expected.count(t.name))
            throw ModelFileError(file.file, "unexpected tensor " + quoteForMessage(t.name) +
                                                " with shape " + shapeToString(t.shape) +
                                                " (the model has no parameter of that name)");

    for (std::size_t i = 0; i < params.size(); ++i) {
        // Equal shapes imply equal element counts; the float build rounds F64 to nearest.
        std::transform(sources[i]->data.begin(), sources[i]->data.end(), params[i].value->data(),
                       [](double v) { return static_cast<Scalar>(v); });
    }
}

std::string parseModelArchitecture(std::string_view text, const std::string &file)
{
    ArchitectureSax sax;
    const bool ok = Json::sax_parse(text.begin(), text.end(), &sax);
    if (!ok)
        throw ModelFileError(file, "architecture is not valid JSON: " +
                                       (sax.error.empty() ? std::string("parse error") : sax.error));
    if (sax.firstKind != "object")
        throw ModelFileError(file, "architecture is not a JSON object (found " + sax.firstKind + ")");
    return std::string(text);
}

std::string readModelArchitecture(const std::string &path)
{
    const std::string file = modelPaths(path).architecture;
    std::string text;
    try {
        text = readRegularFile(file, kMaxArchitectureBytes);
    } catch (const FileReadError &e) {
        throw ModelFileError(file, e.message + " (expected the model's architecture JSON)");
    }
    return parseModelArchitecture(text, file);
}

} // namespace attn
