// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the fuzz_modelfile seed corpus with the project's own writer: usage
// `fuzz_make_seeds DIR`. The seeds are kept in fuzz/corpus/fuzz_modelfile/; rerun this only when
// the format or the fuzz model (fuzzmodel.h) changes.
#include "core/io/modelfile.h"
#include "core/io/safetensors.h"
#include "fuzz/fuzzmodel.h"

#include <cstdio>
#include <string>

int main(int argc, char **argv)
{
    using namespace attn;
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
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
    std::printf("seeds written to %s\n", dir.c_str());
    return 0;
}
