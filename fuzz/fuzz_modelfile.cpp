// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the model loader: any bytes -> parseSafetensors -> loadModelWeights into a
// small fixed model, and parseModelArchitecture on the same bytes. A clean SafetensorsError or
// ModelFileError is the expected outcome; anything else (a crash, a sanitizer report, another
// exception, a half-loaded model) is a bug.
#include "core/io/modelfile.h"
#include "core/io/safetensors.h"
#include "fuzz/fuzzmodel.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace attn;
    const std::string_view bytes(reinterpret_cast<const char *>(data), size);
    fuzz::FuzzModel model;
    model.weightIh.setConstant(7);
    model.weightHh.setConstant(7);
    model.biasIh.setConstant(7);
    model.biasHh.setConstant(7);
    model.denseWeight.setConstant(7);
    model.denseBias.setConstant(7);
    try {
        const SafetensorsFile file = parseSafetensors(bytes, "fuzz.safetensors");
        for (const NamedTensor &t : file.tensors)
            if (t.data.size() != t.elements())
                std::abort(); // the parser promised product(shape) values
        loadModelWeights(file, model.params());
    } catch (const SafetensorsError &) {
    } catch (const ModelFileError &) {
        // No half-load: a rejected file leaves every parameter as it was.
        for (const attn::ParamRef &p : model.params())
            for (Eigen::Index i = 0; i < p.value->size(); ++i)
                if (p.value->data()[i] != 7)
                    std::abort();
    }
    try {
        parseModelArchitecture(bytes, "fuzz.json");
    } catch (const ModelFileError &) {
    }
    return 0;
}
