// SPDX-License-Identifier: GPL-3.0-or-later
// A trained model on disk: NAME.safetensors holds the parameters under their PyTorch names and
// shapes (core/io/safetensors.h), NAME.json the architecture (written by the model's owner, checked
// here to be a JSON object). Loading validates every tensor before it copies any, so a corrupt or
// mismatched file never leaves a half-loaded model. Format for users: docs/model-format.md.
#pragma once

#include "core/io/safetensors.h"
#include "core/tensor/tensor.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace attn {

/// A model file that does not fit the model (missing, extra or mis-shaped tensors) or an
/// unreadable / invalid architecture file. what() is exactly "FILE: message" (FILE as given).
/// Format errors of the weights file itself are SafetensorsError; both are std::runtime_error.
class ModelFileError : public std::runtime_error {
public:
    ModelFileError(std::string file, std::string message);
    std::string file;
    std::string message; // what() without the "FILE: " prefix
};

/// The engine's Scalar as a safetensors dtype: F32 in the app, F64 in the double test build.
inline constexpr TensorDType kScalarDType =
    std::is_same_v<Scalar, float> ? TensorDType::F32 : TensorDType::F64;

/// An architecture file longer than this is rejected unread (real ones are a few hundred bytes).
inline constexpr std::uint64_t kMaxArchitectureBytes = std::uint64_t(16) << 20;

/// The two files of a model.
struct ModelPaths {
    std::string weights;      // NAME.safetensors
    std::string architecture; // NAME.json
};
/// "dir/model", "dir/model.safetensors" or "dir/model.json" -> {"dir/model.safetensors",
/// "dir/model.json"}: either file of a model names the pair.
ModelPaths modelPaths(const std::string &path);

/// The shape a parameter has in PyTorch: a (1, n) parameter whose name's last dotted component
/// starts with "bias" (bias_ih_l0, bias) or ends with "_bias" (in_proj_bias), or is the
/// "weight" of a module whose name starts with "norm" (a LayerNorm: norm1.weight,
/// encoder.norm.weight), is a vector [n] as in torch; every other (rows, cols) parameter is
/// [rows, cols] (Mat is row-major, so this is torch's (out, in) for Linear weights). Loading
/// also accepts [1, n] for the "_bias" and LayerNorm weight tensors (files written before).
std::vector<std::int64_t> torchShape(const ParamRef &param);

/// "[4, 3]": a shape as written in messages and docs.
std::string shapeToString(const std::vector<std::int64_t> &shape);

/// The parameters as tensors (name, torchShape, values row-major) of the given dtype.
/// Throws std::invalid_argument if a value pointer is null.
std::vector<NamedTensor> modelTensors(const std::vector<ParamRef> &params, TensorDType dtype);

/// Writes NAME.safetensors (modelTensors(params, dtype), metadata {"format": "pt"}) and NAME.json
/// (architectureJson and a newline), NAME = modelPaths(path), as one change (writeFilesAtomically):
/// both files are written and checked before either is renamed, so a failed write (full disk)
/// leaves the old pair in place and loadable.
/// dtype: the default stores the engine's values exactly; F32 from the double build rounds each
/// value to the nearest float (ties to even); F64 from the float build is exact.
/// Throws ModelFileError if architectureJson is not a JSON object; SafetensorsError for duplicate
/// or empty parameter names; IoError (core/fileio/atomicfile.h) when a file cannot be written;
/// std::invalid_argument for a null value pointer.
void saveModel(const std::string &path, const std::vector<ParamRef> &params,
               const std::string &architectureJson, TensorDType dtype = kScalarDType);

/// Reads modelPaths(path).weights and copies its tensors into the parameters' Mats. Every
/// parameter needs a tensor of its name with exactly torchShape(param), and the file may hold no
/// other tensor; F32 and F64 files both load (F64 into the float build rounds to nearest float).
/// Nothing is copied unless everything matches. Throws SafetensorsError (unreadable or corrupt
/// file) and ModelFileError (FILE: prefix omitted):
///   missing tensor "lstm.bias_ih_l0" (expected shape [8])
///   tensor "lstm.weight_ih_l0" has shape [8, 3], expected [8, 2]
///   unexpected tensor "extra" with shape [3] (the model has no parameter of that name)
/// Throws std::invalid_argument for a null value pointer or two parameters of the same name.
void loadModelWeights(const std::string &path, const std::vector<ParamRef> &params);
/// The same from an already parsed file (the errors name file.file).
void loadModelWeights(const SafetensorsFile &file, const std::vector<ParamRef> &params);

/// Checks that text (named `file` in messages) is one JSON object and returns it unchanged.
/// Throws ModelFileError: "architecture is not valid JSON: <the parser's message>",
/// "architecture is not a JSON object (found <kind>)".
std::string parseModelArchitecture(std::string_view text, const std::string &file);
/// Reads modelPaths(path).architecture and checks it as parseModelArchitecture. Also throws
/// ModelFileError if the file cannot be read, is not a regular file (a directory, a device) or
/// is longer than kMaxArchitectureBytes (readRegularFile, core/fileio/boundedread.h).
std::string readModelArchitecture(const std::string &path);

} // namespace attn
